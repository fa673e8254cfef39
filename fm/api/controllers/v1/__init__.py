"""/v1 of the fault API."""

import pecan

from fm.api.controllers.v1 import alarm
from fm.api.controllers.v1 import event_log
from fm.api.controllers.v1 import event_suppression
from stxcommon.api import params

MEDIA_TYPE = 'application/vnd.openstack.fm.v1+json'


class Controller:
    alarms = alarm.AlarmController()
    event_log = event_log.EventLogController()
    event_suppression = event_suppression.EventSuppressionController()

    @pecan.expose('json')
    def index(self):
        doc = {
            'id': 'v1',
            'media_types': [{'base': 'application/json',
                             'type': MEDIA_TYPE}],
            'links': [{'href': params.resource_url('v1') + '/',
                       'rel': 'self'}],
        }
        for name in ('alarms', 'event_log', 'event_suppression'):
            doc[name] = params.links('v1', name + '/')
        return doc
