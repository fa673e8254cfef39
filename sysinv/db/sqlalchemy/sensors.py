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
               'unit_base': _text(sensor.get('unit'), 'a sensor unit'),
               'suppress': 'False'}
        for ipmi, column in THRESHOLDS.items():
            value = _number(thresholds.get(ipmi), 'sensor %r %s'
                            % (name, ipmi))
            row[column] = None if value is None else '%g' % value
        result.append(row)
    return result


def apply(session, host, sensor_rows, audit_interval=None):
    """Make the host's sensors match ``sensor_rows``."""
    existing = {row.sensorname: row for row in
                session.query(models.Sensor).filter_by(host_id=host.id)}
    wanted = {row['sensorname'] for row in sensor_rows}
    for name, row in existing.items():
        if name not in wanted:
            session.delete(row)
    session.flush()
    for values in sensor_rows:
        row = existing.get(values['sensorname'])
        if row is None:
            row = models.Sensor(uuid=str(uuid_lib.uuid4()), host_id=host.id)
            session.add(row)
        for key, value in values.items():
            if getattr(row, key, None) != value:
                setattr(row, key, value)
        if audit_interval is not None:
            row.audit_interval = audit_interval
