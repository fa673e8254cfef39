"""Run a service's console script as a real process in a test."""

import os
import signal
import socket
import subprocess
import sys
import time

import fixtures
from testtools import content


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def script(name):
    """The console script installed beside this interpreter."""
    return os.path.join(os.path.dirname(sys.executable), name)


# The most of a log a test result carries: subunit refuses a detail
# past 4 MB, and a broker outage makes megabytes of reconnect tracebacks.
LOG_DETAIL_BYTES = 1024 * 1024


def _log_detail(path, limit=LOG_DETAIL_BYTES):
    """The end of the log at ``path``, read when the result is written."""
    def read():
        with open(path, 'rb') as log:
            size = log.seek(0, os.SEEK_END)
            log.seek(max(0, size - limit))
            data = log.read()
        if size > limit:
            data = b'[... first %d bytes left out ...]\n' % (
                size - limit) + data
        return [data]
    return content.Content(content.UTF8_TEXT, read)


class Process(fixtures.Fixture):
    """A console script in its own process group, log kept for failures."""

    def __init__(self, name, args, log_dir, wait_port=None, timeout=60,
                 env=None):
        self.name = name
        self.env = env
        self.args = args
        self.log_path = os.path.join(log_dir, '%s.log' % name)
        self.wait_port = wait_port
        self.timeout = timeout
        self.proc = None

    def _setUp(self):
        self.start()
        self.addCleanup(self.stop)
        self.addDetail('%s-log' % self.name, _log_detail(self.log_path))

    def start(self):
        log = open(self.log_path, 'ab')
        self.proc = subprocess.Popen([script(self.name)] + self.args,
                                     stdout=log, stderr=subprocess.STDOUT,
                                     start_new_session=True,
                                     env=dict(os.environ, **(self.env or {})))
        log.close()
        if self.wait_port:
            self._wait_for_port()

    def _wait_for_port(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError('%s exited with %s:\n%s' % (
                    self.name, self.proc.returncode, self.log_tail()))
            try:
                socket.create_connection(('127.0.0.1', self.wait_port),
                                         timeout=0.5).close()
                return
            except OSError:
                time.sleep(0.1)
        raise AssertionError('%s did not listen on %d:\n%s' % (
            self.name, self.wait_port, self.log_tail()))

    def log_tail(self, lines=30):
        with open(self.log_path, errors='replace') as log:
            return ''.join(log.readlines()[-lines:])

    def kill(self):
        """SIGKILL the whole process group: no chance to clean up."""
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.kill()
