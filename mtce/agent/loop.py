"""One thread that owns every host state machine: events, timers, slow work.

Events (RPC calls, heartbeat changes, alive messages) are posted here and
handled one at a time, so the state machines need no locks.  Anything
slow (a BMC request, a call to sysinv) runs on a worker pool and posts
its outcome back as another event; nothing on this thread waits.
"""

import concurrent.futures
import heapq
import itertools
import logging
import queue
import threading
import time

LOG = logging.getLogger(__name__)

# Seconds between two tries of work that must go through (see persist).
RETRY_FIRST = 1.0
RETRY_MAX = 30.0


class EventLoop:
    def __init__(self, name='mtce-events', workers=8):
        self.name = name
        self._events = queue.Queue()
        self._timers = []
        self._order = itertools.count()
        self._pool = concurrent.futures.ThreadPoolExecutor(
            max_workers=workers, thread_name_prefix=name + '-work')
        # Named queues, one thread each: what goes through one queue is
        # done in order (sysinv sees a host's updates as they were made),
        # and one queue never waits for another.
        self._queues = {}
        # Work queued there and not yet done, for stop() to wait on.
        self._ordered_work = set()
        self._ordered_lock = threading.Lock()
        self._thread = None
        self._stopping = False
        self._halt = threading.Event()      # ends persist's retries

    def start(self):
        self._stopping = False
        self._halt.clear()
        self._thread = threading.Thread(target=self._run, name=self.name,
                                        daemon=True)
        self._thread.start()

    def stop(self, timeout=10.0):
        """Stop within about ``timeout`` s: ordered work (what sysinv is
        to be told) gets what is left of it to go out; the rest is dropped
        with a count in the log, so that a stop during a storm of
        thousands of reports does not wait for every one of them."""
        if self._thread is None:
            return
        deadline = time.monotonic() + timeout
        self._stopping = True
        self._events.put(None)
        self._thread.join(timeout)
        self._thread = None
        self._pool.shutdown(wait=False, cancel_futures=True)
        with self._ordered_lock:
            waiting = list(self._ordered_work)
        _, not_done = concurrent.futures.wait(
            waiting, max(0.0, deadline - time.monotonic()))
        # ends persist's retries; work already running finishes its try
        self._halt.set()
        dropped = sum(1 for future in not_done if future.cancel())
        for queue_pool in self._queues.values():
            queue_pool.shutdown(wait=False, cancel_futures=True)
        if dropped:
            LOG.error('%s: stopped with %d queued reports not sent',
                      self.name, dropped)

    def post(self, function, *args):
        """Run ``function(*args)`` on the loop thread."""
        self._events.put((function, args))

    def call_later(self, delay, function, *args):
        """Run ``function(*args)`` on the loop thread after ``delay`` s."""
        self.post(self._add_timer, time.monotonic() + delay, function, args)

    def _add_timer(self, when, function, args):
        heapq.heappush(self._timers, (when, next(self._order), function,
                                      args))

    def slow(self, function, then, ordered=None):
        """Run ``function()`` on a worker; post ``then(result, error)``.

        ``ordered`` names a queue whose work is done one at a time, in
        the order given.
        """
        pool = self._pool
        if ordered:
            pool = self._queues.get(ordered)
            if pool is None:
                pool = self._queues[ordered] = \
                    concurrent.futures.ThreadPoolExecutor(
                        max_workers=1,
                        thread_name_prefix='%s-%s' % (self.name, ordered))

        def work():
            try:
                result, error = function(), None
            except Exception as exc:
                result, error = None, exc
            if then is not None:
                self.post(then, result, error)
        try:
            future = pool.submit(work)
        except RuntimeError:        # shut down: the loop is stopping
            LOG.debug('%s: dropped work while stopping', self.name)
            return
        if ordered:
            with self._ordered_lock:
                self._ordered_work.add(future)
            future.add_done_callback(self._ordered_done)

    def _ordered_done(self, future):
        with self._ordered_lock:
            self._ordered_work.discard(future)

    def persist(self, function, what, ordered):
        """Run ``function()`` on the ``ordered`` queue until it goes
        through: while sysinv or the broker is down, what maintenance has
        to tell waits there, in order, instead of being lost. Later work
        on the same queue waits behind it."""
        def work():
            delay, failures = RETRY_FIRST, 0
            while True:
                try:
                    function()
                except Exception as exc:
                    failures += 1
                    if failures == 1:
                        LOG.warning('%s failed, retrying until it goes '
                                    'through: %s', what, exc)
                    if self._halt.wait(delay):
                        LOG.error('%s not done: stopping', what)
                        return
                    delay = min(delay * 2, RETRY_MAX)
                else:
                    if failures:
                        LOG.info('%s went through after %d tries', what,
                                 failures + 1)
                    return
        self.slow(work, None, ordered=ordered)

    def _run(self):
        while not self._stopping:
            timeout = None
            if self._timers:
                timeout = max(0.0, self._timers[0][0] - time.monotonic())
            try:
                event = self._events.get(timeout=timeout)
            except queue.Empty:
                event = ()
            if event is None:
                break
            if event:
                self._handle(*event)
            now = time.monotonic()
            while self._timers and self._timers[0][0] <= now:
                _, _, function, args = heapq.heappop(self._timers)
                self._handle(function, args)

    def _handle(self, function, args):
        try:
            function(*args)
        except Exception:
            LOG.exception('%s: error handling %s', self.name,
                          getattr(function, '__name__', function))
