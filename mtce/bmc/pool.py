"""A pool of BMC worker processes with hard deadlines.

Each request goes to an idle worker (:mod:`mtce.bmc.worker`), which
handles one at a time.  A worker that has not answered by the deadline
is killed, whatever pyghmi was waiting for, and a fresh one takes its
place on demand: a silent BMC costs its caller the timeout and never
blocks the other BMCs or the next call.
"""

import itertools
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time

import mtce

LOG = logging.getLogger(__name__)

DEFAULT_SIZE = 4
# How long a new worker may take to import pyghmi and say it is ready.
START_TIMEOUT = 30.0
_PYTHONPATH = os.path.dirname(os.path.dirname(os.path.abspath(
    mtce.__file__)))


class Timeout(Exception):
    """The worker did not answer in time and was killed."""


class WorkerLost(Exception):
    """The worker exited without answering (it crashed or was killed)."""


class PoolBusy(Exception):
    """No worker became free before the deadline."""


class _Worker(object):

    def __init__(self, python):
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join(
            filter(None, [_PYTHONPATH, env.get('PYTHONPATH')]))
        self.process = subprocess.Popen(
            [python, '-m', 'mtce.bmc.worker'], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, env=env, close_fds=True, text=True,
            bufsize=1)
        self.answers = queue.Queue()
        self.reader = threading.Thread(
            target=self._read, daemon=True,
            name='bmc-worker-%d' % self.process.pid)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            try:
                self.answers.put(json.loads(line))
            except ValueError:
                LOG.warning('BMC worker %d wrote a line that is not '
                            'JSON', self.process.pid)
        self.answers.put(None)          # end of output: the worker is gone

    def ask(self, request, deadline):
        """Send ``request`` and return its answer dict."""
        try:
            self.process.stdin.write(json.dumps(request) + '\n')
            self.process.stdin.flush()
        except (OSError, ValueError):
            raise WorkerLost()
        while True:
            remaining = deadline - time.monotonic()
            try:
                answer = self.answers.get(timeout=max(0.0, remaining))
            except queue.Empty:
                raise Timeout()
            if answer is None:
                raise WorkerLost()
            if answer.get('id') == request['id']:
                return answer

    def alive(self):
        return self.process.poll() is None

    def kill(self):
        if self.alive():
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            LOG.warning('BMC worker %d did not exit', self.process.pid)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except Exception:
                pass


class WorkerPool(object):
    """Up to ``size`` worker processes, started when first needed."""

    def __init__(self, size=DEFAULT_SIZE, python=None):
        if size < 1:
            raise ValueError('a BMC worker pool needs at least 1 worker')
        self.size = size
        self.python = python or sys.executable
        self._idle = []
        self._count = 0
        self._closed = False
        self._cond = threading.Condition()
        self._ids = itertools.count(1)

    @property
    def workers(self):
        """How many worker processes exist now."""
        with self._cond:
            return self._count

    def call(self, request, timeout):
        """The answer to ``request`` (a dict) within ``timeout`` seconds.

        Raises :class:`Timeout` (the worker was killed), :class:`WorkerLost`
        or :class:`PoolBusy`.  Waiting for a free worker and starting one
        do not count against ``timeout``; the busy wait is bounded by it.
        """
        worker = self._acquire(time.monotonic() + timeout)
        request = dict(request, id=next(self._ids))
        try:
            answer = worker.ask(request, time.monotonic() + timeout)
        except BaseException:
            self._discard(worker)
            raise
        self._release(worker)
        return answer

    def close(self):
        """Stop every worker; calls after this fail."""
        with self._cond:
            self._closed = True
            idle, self._idle = self._idle, []
            self._count -= len(idle)
            self._cond.notify_all()
        for worker in idle:
            worker.kill()

    def _acquire(self, deadline):
        with self._cond:
            while True:
                if self._closed:
                    raise WorkerLost()
                while self._idle:
                    worker = self._idle.pop()
                    if worker.alive():
                        return worker
                    self._count -= 1
                    worker.kill()
                if self._count < self.size:
                    self._count += 1
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise PoolBusy()
                self._cond.wait(remaining)
        try:
            return self._start()
        except BaseException:
            with self._cond:
                self._count -= 1
                self._cond.notify()
            raise

    def _start(self):
        worker = _Worker(self.python)
        try:
            ready = worker.answers.get(timeout=START_TIMEOUT)
        except queue.Empty:
            ready = None
        if not ready or ready.get('id') != 0:
            worker.kill()
            raise WorkerLost()
        LOG.debug('BMC worker %d started', worker.process.pid)
        return worker

    def _release(self, worker):
        with self._cond:
            if self._closed:
                self._count -= 1
                closed = True
            else:
                self._idle.append(worker)
                closed = False
            self._cond.notify()
        if closed:
            worker.kill()

    def _discard(self, worker):
        worker.kill()
        with self._cond:
            self._count -= 1
            self._cond.notify()
