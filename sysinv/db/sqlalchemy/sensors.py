"""A host's BMC sensors as maintenance reports them: checked, then kept in
step with each reading (a sensor the BMC no longer lists goes)."""

import math
import uuid as uuid_lib

from sysinv.db.sqlalchemy import models

STATUSES = ('ok', 'minor', 'major', 'critical', 'offline')
# IPMI threshold names -> StarlingX's minor / major / critical thresholds
THRESHOLDS = {
    'lower_non_critical': 't_minor_lower',
    'upper_non_critical': 't_minor_upper',
    'lower_critical': 't_major_lower',
    'upper_critical': 't_major_upper',
    'lower_non_recoverable': 't_critical_lower',
    'upper_non_recoverable': 't_critical_upper',
}
MAX_SENSORS = 512


class SensorError(ValueError):
    """A sensor reading that cannot be recorded; the message says why."""


def _text(value, what, required=False):
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 255:
        raise SensorError('%s must be a text of 1 to 255 characters' % what)
    return value.strip()


def _number(value, what):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value):
        raise SensorError('%s must be a number' % what)
    return float(value)


def rows(sensors):
    """Column dicts for ``sensors`` (mtce.bmc's sensor dicts)."""
    if not isinstance(sensors, list) or len(sensors) > MAX_SENSORS:
        raise SensorError('sensors must be a list of at most %d'
                          % MAX_SENSORS)
    result, seen = [], set()
    for sensor in sensors:
        if not isinstance(sensor, dict):
            raise SensorError('every sensor must be an object')
        name = _text(sensor.get('name'), 'a sensor name', required=True)
        if name in seen:
            raise SensorError('sensor %r is listed twice' % name)
        seen.add(name)
        status = sensor.get('state') if sensor.get('available', True) \
            else 'offline'
        if status not in STATUSES:
            raise SensorError('sensor %r: state must be one of %s'
                              % (name, ', '.join(STATUSES)))
        thresholds = sensor.get('thresholds') or {}
        if not isinstance(thresholds, dict):
            raise SensorError('sensor %r: thresholds must be an object'
                              % name)
        row = {'sensorname': name,
               'sensortype': _text(sensor.get('type'), 'a sensor type'),
               'datatype': 'analog', 'status': status, 'state': 'enabled',
               'sensor_value': _number(sensor.get('value'),
                                       'sensor %r value' % name),
               'unit_base': _text(sensor.get('unit'), 'a sensor unit')}
        for ipmi, column in THRESHOLDS.items():
            value = _number(thresholds.get(ipmi), 'sensor %r %s'
                            % (name, ipmi))
            row[column] = None if value is None else '%g' % value
        result.append(row)
    return result


# What a crossed threshold of a group's sensor does, per severity:
# nothing, a customer log (200.007), or alarm 200.007 at that severity
# (a major or critical one degrades the host).
ACTIONS = ('ignore', 'log', 'alarm')
SEVERITIES = ('minor', 'major', 'critical')
DEFAULT_ACTION = 'alarm'
GROUP_CHANGES = ('actions_minor_group', 'actions_major_group',
                 'actions_critical_group', 'suppress')
# sensor type as mtce reads it -> the group's name, as hwmon names them
_GROUP_NAMES = {
    'temperature': 'server temperature',
    'fan': 'server fans',
    'voltage': 'server voltage',
    'current': 'server current',
    'power_supply': 'server power supplies',
    'power_unit': 'server power',
    'watchdog': 'server watchdog',
}


def group_name(sensortype):
    return _GROUP_NAMES.get(sensortype or '', 'server %s' % (
        (sensortype or 'other').replace('_', ' ')))


def _new_group(host, name, sensortype, unit, audit_interval):
    choices = ','.join(ACTIONS)
    return models.SensorGroup(
        uuid=str(uuid_lib.uuid4()), host_id=host.id, sensorgroupname=name,
        sensortype=sensortype, datatype='analog', state='enabled',
        algorithm='threshold',
        actions_minor_group=DEFAULT_ACTION,
        actions_major_group=DEFAULT_ACTION,
        actions_critical_group=DEFAULT_ACTION,
        actions_minor_choices=choices, actions_major_choices=choices,
        actions_critical_choices=choices, suppress='False',
        unit_base_group=unit, audit_interval_group=audit_interval)


def is_true(text):
    return str(text).lower() == 'true'


def policy(sensor):
    """What maintenance does when ``sensor`` (a row) crosses a
    threshold: {'minor': action, 'major': ..., 'critical': ...,
    'suppress': bool}."""
    group = sensor.sensorgroup
    result = {severity: (getattr(group, 'actions_%s_group' % severity)
                         if group is not None else None) or DEFAULT_ACTION
              for severity in SEVERITIES}
    result['suppress'] = is_true(sensor.suppress) or (
        group is not None and is_true(group.suppress))
    return result


def apply(session, host, sensor_rows, audit_interval=None):
    """Make the host's sensors (and their groups, one per sensor type)
    match ``sensor_rows``; returns {sensor name: policy}."""
    groups = {row.sensorgroupname: row for row in
              session.query(models.SensorGroup).filter_by(host_id=host.id)}
    existing = {row.sensorname: row for row in
                session.query(models.Sensor).filter_by(host_id=host.id)}
    wanted = {row['sensorname'] for row in sensor_rows}
    for name, row in existing.items():
        if name not in wanted:
            session.delete(row)
    needed = {}
    for values in sensor_rows:
        needed.setdefault(group_name(values['sensortype']), values)
    for name, group in groups.items():
        if name not in needed:
            session.delete(group)
    session.flush()
    for name, values in needed.items():
        if name not in groups:
            groups[name] = _new_group(host, name, values['sensortype'],
                                      values['unit_base'], audit_interval)
            session.add(groups[name])
        elif audit_interval is not None:
            groups[name].audit_interval_group = audit_interval
    session.flush()
    result = {}
    for values in sensor_rows:
        row = existing.get(values['sensorname'])
        if row is None:
            row = models.Sensor(uuid=str(uuid_lib.uuid4()), host_id=host.id,
                                suppress='False')
            session.add(row)
        for key, value in values.items():
            if getattr(row, key, None) != value:
                setattr(row, key, value)
        if audit_interval is not None:
            row.audit_interval = audit_interval
        row.sensorgroup = groups[group_name(values['sensortype'])]
        result[row.sensorname] = policy(row)
    return result


def check_group_changes(changes):
    """Column values for a PATCH of a sensor group; SensorError if not."""
    unknown = sorted(set(changes) - set(GROUP_CHANGES))
    if unknown:
        raise SensorError('%s cannot be changed (only %s)' % (
            ', '.join(unknown), ', '.join(GROUP_CHANGES)))
    values = {}
    for field, value in changes.items():
        if field == 'suppress':
            values[field] = _suppress(value)
        elif value not in ACTIONS:
            raise SensorError('%s must be one of %s, not %r'
                              % (field, ', '.join(ACTIONS), value))
        else:
            values[field] = value
    return values


def check_sensor_changes(changes):
    unknown = sorted(set(changes) - {'suppress'})
    if unknown:
        raise SensorError('%s cannot be changed (only suppress)'
                          % ', '.join(unknown))
    return {'suppress': _suppress(changes['suppress'])}


def _suppress(value):
    text = str(value).lower()
    if text not in ('true', 'false'):
        raise SensorError('suppress must be True or False, not %r'
                          % (value,))
    return 'True' if text == 'true' else 'False'
