"""Announce every committed alarm change to other services.

One notification per committed batch (event type ``fm.alarm.changed``,
topic ``[manager] event_topic``) listing each set, clear and log:
subscribers such as dcmanager see every change, and the announcement costs
one broker round trip per batch rather than one per alarm. Subscribers
bring their own queue; without one the broker drops the announcement.
"""

import logging

LOG = logging.getLogger(__name__)

EVENT_TYPE = 'fm.alarm.changed'
_FIELDS = ('uuid', 'alarm_id', 'entity_instance_id', 'severity',
           'reason_text', 'timestamp')


def _change(action, row):
    change = {name: row.get(name) for name in _FIELDS}
    change['action'] = action
    if change['timestamp'] is not None:
        change['timestamp'] = change['timestamp'].isoformat()
    return change


class Announcer:
    def __init__(self, publisher):
        self.publisher = publisher

    def announce(self, changes):
        payload = {'changes': [_change(action, row)
                               for action, row in changes]}
        try:
            self.publisher.publish(EVENT_TYPE, payload)
        except Exception:
            # The changes are committed; a lost announcement is logged, not
            # retried, so it never blocks fault ingestion.
            LOG.exception('Could not announce %d alarm changes',
                          len(changes))
