"""The fault message that travels from fm.client (or fm-api) to fm-manager.

One schema, checked at both ends: the client refuses bad faults before they
leave, and fm-manager drops (and logs) anything malformed instead of
requeueing it forever.
"""

import datetime
import os
import time
import uuid as uuid_lib

from oslo_utils import timeutils

from fm import catalogue
from fm import constants

VERSION = 1
SET, CLEAR, CLEAR_ALL, LOG = 'set', 'clear', 'clear_all', 'log'
ACTIONS = (SET, CLEAR, CLEAR_ALL, LOG)
EVENT_TYPE = 'fm.fault.%s'

# Fields a raised fault carries, with their default when absent.
FAULT_DEFAULTS = {
    'reason_text': '',
    'proposed_repair_action': '',
    'service_affecting': False,
    'suppression': False,
    'inhibit_alarms': False,
    'keep_existing_alarm': False,
    'uuid': None,
}
FAULT_REQUIRED = ('alarm_id', 'alarm_state', 'entity_type_id',
                  'entity_instance_id', 'severity', 'alarm_type',
                  'probable_cause')
FAULT_FIELDS = FAULT_REQUIRED + tuple(FAULT_DEFAULTS)
_MAX_TEXT = 1024
_MAX_NAME = 255


class InvalidFault(ValueError):
    """A fault that fm will not record; the message says which field."""


def _check_text(fault, name, limit, required):
    value = fault.get(name)
    if value is None and not required:
        return
    if not isinstance(value, str) or (required and not value.strip()):
        raise InvalidFault('%s must be a non-empty string' % name
                           if required else '%s must be a string' % name)
    if len(value) > limit:
        raise InvalidFault('%s is longer than %d characters' % (name, limit))


def _check_choice(fault, name, choices):
    if fault.get(name) not in choices:
        raise InvalidFault('%s %r is not one of: %s'
                           % (name, fault.get(name), ', '.join(choices)))


def validate_fault(fault):
    """Return a complete fault dict, or raise InvalidFault."""
    if not isinstance(fault, dict):
        raise InvalidFault('a fault must be an object')
    unknown = set(fault) - set(FAULT_FIELDS)
    if unknown:
        raise InvalidFault('unknown fault fields: %s'
                           % ', '.join(sorted(unknown)))
    full = dict(FAULT_DEFAULTS, **fault)
    for name in ('alarm_id', 'entity_type_id', 'entity_instance_id'):
        _check_text(full, name, _MAX_NAME, required=True)
    for name in ('reason_text', 'proposed_repair_action'):
        _check_text(full, name, _MAX_TEXT, required=False)
    full['reason_text'] = full['reason_text'] or ''
    full['proposed_repair_action'] = full['proposed_repair_action'] or ''
    _check_choice(full, 'alarm_state', ('set', 'msg'))
    _check_choice(full, 'severity', constants.SEVERITIES)
    _check_choice(full, 'alarm_type', constants.ALARM_TYPES)
    _check_choice(full, 'probable_cause', constants.PROBABLE_CAUSES)
    for name in ('service_affecting', 'suppression', 'inhibit_alarms',
                 'keep_existing_alarm'):
        if not isinstance(full[name], bool):
            raise InvalidFault('%s must be true or false' % name)
    if full['uuid'] is not None:
        try:
            full['uuid'] = str(uuid_lib.UUID(str(full['uuid'])))
        except ValueError:
            raise InvalidFault('uuid %r is not a UUID' % full['uuid'])
    try:
        catalogue.get(full['alarm_id'])
    except catalogue.UnknownAlarmId as exc:
        raise InvalidFault(str(exc))
    return full


def time_ordered_uuid():
    """A UUID whose first 48 bits are the time in ms (RFC 9562 version 7).

    Event uuids are the event log's unique key: ids that grow with time
    land at the right edge of its index instead of at random pages.
    """
    millis = time.time_ns() // 1_000_000
    value = (millis << 80) | int.from_bytes(os.urandom(10), 'big')
    value &= ~(0xF << 76)
    value |= 0x7 << 76                      # version 7
    value &= ~(0x3 << 62)
    value |= 0x2 << 62                      # RFC 4122 variant
    return str(uuid_lib.UUID(int=value))


def _envelope(action, body):
    return {'version': VERSION, 'action': action,
            'event_uuid': time_ordered_uuid(),
            'timestamp': timeutils.utcnow().isoformat(), 'fault': body}


def make_set(fault):
    """Raise or update an alarm, or record a log (alarm_state 'msg')."""
    fault = validate_fault(fault)
    if fault['uuid'] is None:
        fault['uuid'] = str(uuid_lib.uuid4())
    return _envelope(LOG if fault['alarm_state'] == 'msg' else SET, fault)


def make_clear(alarm_id, entity_instance_id):
    body = {'alarm_id': alarm_id, 'entity_instance_id': entity_instance_id}
    for name in body:
        _check_text(body, name, _MAX_NAME, required=True)
    return _envelope(CLEAR, body)


def make_clear_all(entity_instance_id):
    body = {'entity_instance_id': entity_instance_id}
    _check_text(body, 'entity_instance_id', _MAX_NAME, required=True)
    return _envelope(CLEAR_ALL, body)


def _parse_time(text):
    """ISO 8601 to naive UTC; fromisoformat first, it is 20x faster."""
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        parsed = timeutils.parse_isotime(text)
    return timeutils.normalize_time(parsed)


def validate(payload):
    """Check a received payload; return it with a parsed timestamp."""
    if not isinstance(payload, dict) or payload.get('version') != VERSION:
        raise InvalidFault('not a version %d fault message' % VERSION)
    action = payload.get('action')
    if action not in ACTIONS:
        raise InvalidFault('unknown action %r' % (action,))
    try:
        uuid_lib.UUID(payload['event_uuid'])
        timestamp = _parse_time(payload['timestamp'])
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidFault('bad event_uuid or timestamp: %s' % exc)
    fault = payload.get('fault')
    if not isinstance(fault, dict):
        raise InvalidFault('the fault must be an object')
    if action in (SET, LOG):
        fault = validate_fault(fault)
        if fault['uuid'] is None:
            raise InvalidFault('a raised fault needs its uuid')
    elif action == CLEAR:
        for name in ('alarm_id', 'entity_instance_id'):
            _check_text(fault, name, _MAX_NAME, required=True)
    else:
        _check_text(fault, 'entity_instance_id', _MAX_NAME,
                    required=True)
    return dict(payload, fault=fault, timestamp=timestamp)
