"""fm-manager's writer of fault messages.

Batches from the durable queue are validated, written in one transaction
and only then acknowledged (the consumer acks after :meth:`handle` returns
True). A failed write is retried after ``retry_delay``, batch and order
intact; a malformed message is logged and dropped, since it would only
fail again forever.
"""

import logging
import time

from fm import messages

LOG = logging.getLogger(__name__)


class FaultWriter:
    def __init__(self, connection, announcer, retry_delay=1.0):
        self.connection = connection
        self.announcer = announcer
        self.retry_delay = retry_delay

    def handle(self, notifications):
        """Write a batch; True once committed (the batch may be acked)."""
        payloads = []
        for notification in notifications:
            if not isinstance(notification, dict):
                notification = {}
            try:
                payloads.append(messages.validate(
                    notification.get('payload')))
            except messages.InvalidFault as exc:
                LOG.error('Dropping malformed fault message from %s: %s',
                          notification.get('publisher_id'), exc)
        if not payloads:
            return True
        started = time.monotonic()
        try:
            changes = self.connection.apply_fault_messages(payloads)
        except Exception:
            LOG.exception('Writing %d fault messages failed; retrying',
                          len(payloads))
            time.sleep(self.retry_delay)
            return False
        LOG.debug('Recorded %d fault messages in %.3f s', len(payloads),
                  time.monotonic() - started)
        if changes:
            self.announcer.announce(changes)
        return True
