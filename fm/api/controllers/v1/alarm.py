"""/v1/alarms: the active alarm list, one alarm, the summary."""

import pecan
from pecan import rest
from wsme import types as wtypes
from wsmeext import pecan as wsme_pecan

from fm.api.controllers.v1 import types
from fm import catalogue
from fm import client
from fm import constants
from fm import exception
from stxcommon import api
from stxcommon.api import params
from stxcommon import exception as stx_exception

_QUERY_FIELDS = {name: str for name in (
    'alarm_id', 'entity_type_id', 'entity_instance_id', 'severity',
    'alarm_type', 'uuid')}
_SORT_KEYS = ('timestamp', 'alarm_id', 'entity_instance_id', 'severity',
              'created_at', 'id')
_SUMMARY_FIELDS = ('uuid', 'alarm_id', 'entity_instance_id', 'severity',
                   'timestamp', 'reason_text')
_DETAIL_FIELDS = ('uuid', 'alarm_id', 'alarm_state', 'entity_type_id',
                  'entity_instance_id', 'timestamp', 'severity',
                  'reason_text', 'alarm_type', 'probable_cause',
                  'proposed_repair_action', 'created_at', 'updated_at')
# Rank of a severity against an "affecting" threshold; 'none' is never met.
_RANK = {'warning': 1, 'minor': 2, 'major': 3, 'critical': 4, 'none': 5}


def _affects(severity, threshold):
    """StarlingX's "True"/"False": does the severity reach the threshold?"""
    return str(_RANK.get(severity, 0) >= _RANK.get(threshold, 5))


def _to_type(row, expand):
    alarm, suppression_status = row
    flags = dict(
        suppression_status=suppression_status,
        mgmt_affecting=_affects(alarm.severity, alarm.mgmt_affecting),
        degrade_affecting=_affects(alarm.severity, alarm.degrade_affecting))
    if not expand:
        values = {f: getattr(alarm, f) for f in _SUMMARY_FIELDS}
        return types.Alarm(**flags, **values)
    values = {f: getattr(alarm, f) for f in _DETAIL_FIELDS}
    return types.Alarm(
        **flags,
        service_affecting=str(alarm.service_affecting),
        suppression=str(alarm.suppression),
        links=[types.Link(**link)
               for link in params.links('v1', 'alarms', alarm.uuid)],
        **values)


def _given(body):
    """The attributes a request body actually set."""
    return {attr.key: getattr(body, attr.key)
            for attr in wtypes.list_attributes(type(body))
            if getattr(body, attr.key) is not wtypes.Unset}


def _fault_from(values):
    """A client.Fault from request values, the catalogue filling gaps."""
    alarm_id = values.get('alarm_id')
    if not alarm_id or not values.get('entity_instance_id'):
        raise stx_exception.Invalid(
            reason='alarm_id and entity_instance_id are required')
    try:
        definition = catalogue.get(alarm_id)
    except catalogue.UnknownAlarmId as exc:
        raise stx_exception.Invalid(reason=str(exc))
    fields = dict(
        alarm_state='set', entity_type_id=definition.entity_type_id,
        severity=definition.severity, reason_text=definition.description,
        alarm_type=definition.alarm_type,
        probable_cause=definition.probable_cause,
        proposed_repair_action=definition.proposed_repair_action,
        service_affecting=definition.service_affecting,
        suppression=definition.suppression,
        inhibit_alarms=definition.inhibit_alarms)
    fields.update(values)
    return client.Fault(**fields)


class AlarmController(rest.RestController):

    _custom_actions = {'summary': ['GET']}

    def _send(self, fault):
        try:
            return pecan.request.fault_api.set_fault(fault)
        except client.ClientException as exc:
            raise stx_exception.Invalid(reason=str(exc))
        except client.APIException as exc:
            raise stx_exception.ServiceUnavailable(reason=str(exc))

    @wsme_pecan.wsexpose(types.AlarmCollection, [types.Query], int,
                         wtypes.text, wtypes.text, wtypes.text, wtypes.text,
                         wtypes.text)
    def get_all(self, q=None, limit=None, marker=None, sort_key=None,
                sort_dir=None, include_suppress=None, expand=None):
        api.authorize('fm:alarm:get')
        include_suppress = params.check_bool(include_suppress,
                                             'include_suppress')
        expand = params.check_bool(expand, 'expand')
        filters = params.parse_query(q, _QUERY_FIELDS)
        limit = params.check_limit(limit, pecan.request.conf.api.max_limit)
        sort_key, sort_dir = params.check_sort(sort_key, sort_dir,
                                               _SORT_KEYS, 'timestamp')
        if marker:
            marker = params.check_uuid(marker, 'marker')
        try:
            rows = pecan.request.dbapi.alarm_get_list(
                filters, limit, marker, sort_key, sort_dir, include_suppress)
        except exception.AlarmNotFound:
            raise stx_exception.Invalid(reason='marker %s is not an active '
                                        'alarm' % marker)
        alarms = [_to_type(row, expand) for row in rows]
        return types.AlarmCollection(
            ialarms=alarms,
            next=params.next_link(params.resource_url('v1', 'alarms'),
                                  limit, alarms))

    @wsme_pecan.wsexpose(types.Alarm, wtypes.text)
    def get_one(self, uuid):
        api.authorize('fm:alarm:get')
        return _to_type(pecan.request.dbapi.alarm_get(
            params.check_uuid(uuid)), expand=True)

    @wsme_pecan.wsexpose(types.AlarmSummary, wtypes.text)
    def summary(self, include_suppress=None):
        api.authorize('fm:alarm:get')
        include_suppress = params.check_bool(include_suppress,
                                             'include_suppress')
        counts = pecan.request.dbapi.alarm_summary(include_suppress)
        if counts['critical']:
            status = constants.SUMMARY_STATUS_CRITICAL
        elif counts['major'] or counts['minor']:
            status = constants.SUMMARY_STATUS_DEGRADED
        else:
            status = constants.SUMMARY_STATUS_OK
        return types.AlarmSummary(
            critical=counts['critical'], major=counts['major'],
            minor=counts['minor'], warnings=counts['warning'], status=status)

    @wsme_pecan.wsexpose(None, wtypes.text, status_code=204)
    def delete(self, uuid):
        api.authorize('fm:alarm:delete')
        pecan.request.dbapi.alarm_destroy(params.check_uuid(uuid))

    @wsme_pecan.wsexpose(types.Alarm, body=types.AlarmBody, status_code=201)
    def post(self, body):
        """Raise an alarm through the same durable path as fm.client."""
        api.authorize('fm:alarm:create')
        values = _given(body)
        fault = _fault_from(values)
        existing = pecan.request.dbapi.alarms_by_entity(
            fault.entity_instance_id, fault.alarm_id)
        if existing:
            fault.uuid = existing[0].uuid
        fault.uuid = self._send(fault)
        return types.Alarm(**{k: v for k, v in fault.as_dict().items()
                              if k in _SUMMARY_FIELDS and v is not None})

    @wsme_pecan.wsexpose(types.Alarm, wtypes.text, body=types.AlarmBody)
    def put(self, uuid, body):
        """Update an active alarm; the change is queued like a raise."""
        api.authorize('fm:alarm:update')
        alarm, _status = pecan.request.dbapi.alarm_get(
            params.check_uuid(uuid))
        values = _given(body)
        for key in ('alarm_id', 'entity_instance_id'):
            if key in values and values[key] != getattr(alarm, key):
                raise stx_exception.Invalid(reason='%s cannot be changed'
                                            % key)
        current = {f: getattr(alarm, f) for f in (
            'alarm_id', 'entity_type_id', 'entity_instance_id', 'severity',
            'reason_text', 'alarm_type', 'probable_cause',
            'proposed_repair_action', 'service_affecting', 'suppression',
            'inhibit_alarms', 'uuid')}
        current.update(values)
        fault = _fault_from(current)
        self._send(fault)
        return types.Alarm(**{k: v for k, v in fault.as_dict().items()
                              if k in _SUMMARY_FIELDS and v is not None})
