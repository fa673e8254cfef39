"""/v1/event_log: every set, clear and log, newest first."""

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from fm.api.controllers.v1 import types
from fm import exception
from stxcommon import api
from stxcommon.api import params

_QUERY_FIELDS = {
    'event_log_id': str, 'entity_type_id': str, 'entity_instance_id': str,
    'severity': str, 'event_log_type': str, 'state': str, 'uuid': str,
    # Pseudo-fields of StarlingX: a time window on the timestamp.
    'start': ('timestamp', 'ge', params.to_datetime),
    'end': ('timestamp', 'le', params.to_datetime),
}
_SORT_KEYS = ('timestamp', 'event_log_id', 'entity_instance_id',
              'severity', 'id')
_SUMMARY_FIELDS = ('uuid', 'event_log_id', 'state', 'entity_instance_id',
                   'timestamp', 'severity', 'reason_text')
_DETAIL_FIELDS = _SUMMARY_FIELDS + (
    'entity_type_id', 'event_log_type', 'probable_cause',
    'proposed_repair_action', 'created_at', 'updated_at')


def _to_type(row, expand):
    event, suppression_status = row
    if not expand:
        return types.EventLog(
            suppression_status=suppression_status,
            **{f: getattr(event, f) for f in _SUMMARY_FIELDS})
    return types.EventLog(
        suppression_status=suppression_status,
        service_affecting=str(event.service_affecting),
        suppression=str(event.suppression),
        links=[types.Link(**link)
               for link in params.links('v1', 'event_log', event.uuid)],
        **{f: getattr(event, f) for f in _DETAIL_FIELDS})


class EventLogController(rest.RestController):

    @wsme_pecan.wsexpose(types.EventLogCollection, [types.Query], int,
                         wtypes.text, wtypes.text, wtypes.text, wtypes.text,
                         wtypes.text, wtypes.text, wtypes.text)
    def get_all(self, q=None, limit=None, marker=None, sort_key=None,
                sort_dir=None, alarms=None, logs=None,
                include_suppress=None, expand=None):
        api.authorize('fm:event_log:get')
        alarms = params.check_bool(alarms, 'alarms')
        logs = params.check_bool(logs, 'logs')
        include_suppress = params.check_bool(include_suppress,
                                             'include_suppress')
        expand = params.check_bool(expand, 'expand')
        filters = params.parse_query(q, _QUERY_FIELDS)
        limit = params.check_limit(limit, pecan.request.conf.api.max_limit)
        sort_key, sort_dir = params.check_sort(sort_key, sort_dir,
                                               _SORT_KEYS, 'timestamp')
        if alarms and logs:
            raise exception.InvalidQuery(
                reason="'alarms' and 'logs' cannot both be true")
        if marker:
            marker = params.check_uuid(marker, 'marker')
        rows = pecan.request.dbapi.event_log_get_list(
            filters, limit, marker, sort_key, sort_dir, include_suppress,
            alarms_only=alarms, logs_only=logs)
        events = [_to_type(row, expand) for row in rows]
        return types.EventLogCollection(
            event_log=events,
            next=params.next_link(params.resource_url('v1', 'event_log'),
                                  limit, events))

    @wsme_pecan.wsexpose(types.EventLog, wtypes.text)
    def get_one(self, uuid):
        api.authorize('fm:event_log:get')
        return _to_type(pecan.request.dbapi.event_log_get(
            params.check_uuid(uuid)), expand=True)
