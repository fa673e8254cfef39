"""Fault messages on their way to fm, held while the broker is away.

A service raising alarms about hosts must not lose a set or a clear
because RabbitMQ restarted: the alarm list would stay wrong until the
next change. The outbox sends every message from one thread, in the
order they were made, and keeps a message until the broker has taken
it. A message keeps its event uuid and time, so fm records it once, at
the time it happened. Held messages live in memory: a process that stops
with some still held logs which ones were lost.
"""

import collections
import logging
import threading
import time

LOG = logging.getLogger(__name__)

# Failures other than the expected one, in a row on one payload, before
# that payload is dropped.
UNEXPECTED_ERRORS = 3
# Seconds between two log lines about messages dropped past the limit: a
# storm of alarms must not turn into a storm of log lines.
DROP_LOG_INTERVAL = 10.0
# Undelivered messages named one by one at shutdown; the rest are counted.
NAMED_AT_SHUTDOWN = 20


class Outbox:
    """Deliver payloads through ``send`` in order, retrying failures.

    :param send: callable taking one payload; raises ``failure`` when the
        broker did not take it.
    :param failure: the exception type (or tuple) that means "try again".
    :param retry_interval: seconds between attempts while failing.
    :param limit: most messages held; past it the oldest are dropped (and
        counted in the log), so a long outage cannot exhaust memory.
    """

    def __init__(self, send, failure, retry_interval=2.0, limit=10000):
        self._send = send
        self._failure = failure
        self._retry_interval = retry_interval
        self._limit = limit
        self._pending = collections.deque()
        self._cond = threading.Condition()
        self._thread = None
        self._closing = False
        self._dropped = 0           # since the last line about it
        self._drop_logged = None    # monotonic time of that line

    def submit(self, payload):
        """Queue one payload; never blocks on the broker."""
        with self._cond:
            if self._closing:
                raise RuntimeError('the fault outbox is closed')
            if len(self._pending) >= self._limit:
                self._drop_oldest()
            self._pending.append(payload)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name='fm-outbox', daemon=True)
                self._thread.start()
            self._cond.notify_all()

    def _drop_oldest(self):
        """Make room (under the lock); log the first drop of a stretch,
        then a count at most every DROP_LOG_INTERVAL s."""
        lost = self._pending.popleft()
        self._dropped += 1
        now = time.monotonic()
        if (self._drop_logged is None
                or now - self._drop_logged >= DROP_LOG_INTERVAL):
            LOG.error('%d fault messages are waiting for the broker, the '
                      'most held; dropped %d, the oldest first (the last '
                      'dropped: %s)', self._limit, self._dropped,
                      describe(lost))
            self._dropped = 0
            self._drop_logged = now

    def _report_drops(self):
        """Log drops not yet logged, once the backlog is gone (under the
        lock)."""
        if self._dropped:
            LOG.error('Dropped %d more fault messages past the %d held',
                      self._dropped, self._limit)
        self._dropped = 0
        self._drop_logged = None

    def pending(self):
        with self._cond:
            return len(self._pending)

    def flush(self, timeout):
        """Wait up to ``timeout`` s for every queued message to go out;
        True when none is left."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending, timeout)

    def close(self, timeout=5.0):
        """Send what is queued (for up to ``timeout`` s) and stop; log
        the messages that could not be delivered (the first ones by name,
        then a count)."""
        self.flush(timeout)
        with self._cond:
            self._closing = True
            lost = list(self._pending)
            self._pending.clear()
            self._report_drops()
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
        for payload in lost[:NAMED_AT_SHUTDOWN]:
            LOG.error('fm unreachable at shutdown; not delivered: %s',
                      describe(payload))
        if len(lost) > NAMED_AT_SHUTDOWN:
            LOG.error('fm unreachable at shutdown; %d more fault messages '
                      'not delivered', len(lost) - NAMED_AT_SHUTDOWN)

    def _next(self):
        with self._cond:
            self._cond.wait_for(lambda: self._pending or self._closing)
            return None if self._closing else self._pending[0]

    def _run(self):
        failing = False
        errors = 0
        while True:
            payload = self._next()
            if payload is None:
                return
            try:
                self._send(payload)
            except Exception as exc:
                expected = isinstance(exc, self._failure)
                errors = 0 if expected else errors + 1
                if errors > UNEXPECTED_ERRORS:
                    # Something in this one payload keeps failing: it
                    # would block every later message.
                    LOG.exception('Dropping fault message %s',
                                  describe(payload))
                else:
                    if not failing:
                        failing = True
                        LOG.warning('%s; holding fault messages and '
                                    'sending them again in order every '
                                    '%.0f s', exc, self._retry_interval)
                    with self._cond:
                        self._cond.wait_for(lambda: self._closing,
                                            self._retry_interval)
                    continue
            errors = 0
            with self._cond:
                if self._pending and self._pending[0] is payload:
                    self._pending.popleft()
                held = len(self._pending)
                if not held:
                    self._report_drops()
                self._cond.notify_all()
            if failing:
                failing = False
                LOG.info('fm is reachable again; held fault messages '
                         'sent (%d still queued)', held)


def describe(payload):
    """A short, secret-free description of a fault payload for logs."""
    fault = payload.get('fault') or {}
    return '%s %s %s at %s' % (payload.get('action'), fault.get('alarm_id',
                               ''), fault.get('entity_instance_id', ''),
                               payload.get('timestamp'))
