"""fm-manager's consumer of fault messages.

Batches from the durable queue are validated, written in one transaction and
only then acknowledged (the listener acks after this endpoint returns).
A failed write requeues the whole batch; a malformed message is logged and
dropped, since requeueing it would only fail again forever.
"""

import logging
import time

from oslo_messaging import NotificationResult

from fm import messages

LOG = logging.getLogger(__name__)


class FaultEndpoint:
    def __init__(self, connection, announcer, retry_delay=1.0):
        self.connection = connection
        self.announcer = announcer
        self.retry_delay = retry_delay

    def info(self, batch):
        payloads = []
        for message in batch:
            try:
                payloads.append(messages.validate(message['payload']))
            except messages.InvalidFault as exc:
                LOG.error('Dropping malformed fault message from %s: %s',
                          message.get('publisher_id'), exc)
        if not payloads:
            return NotificationResult.HANDLED
        started = time.monotonic()
        try:
            changes = self.connection.apply_fault_messages(payloads)
        except Exception:
            LOG.exception('Writing %d fault messages failed; requeueing',
                          len(payloads))
            time.sleep(self.retry_delay)
            return NotificationResult.REQUEUE
        LOG.debug('Recorded %d fault messages in %.3f s', len(payloads),
                  time.monotonic() - started)
        if changes:
            self.announcer.announce(changes)
        return NotificationResult.HANDLED
