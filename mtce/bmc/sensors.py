"""Turn pyghmi's SDR entries and sensor readings into plain sensor dicts.

mtce compares sensor states with the StarlingX severities (minor, major,
critical), so the IPMI threshold levels are mapped onto them here, once.
"""

import pyghmi.constants as pyghmi_constants
import pyghmi.exceptions as pyghmi_exceptions
from pyghmi.ipmi import sdr as pyghmi_sdr

STATE_OK = 'ok'
STATE_MINOR = 'minor'
STATE_MAJOR = 'major'
STATE_CRITICAL = 'critical'

# Get Sensor Thresholds (IPMI 2.0 section 35.9): a readable mask, then one
# raw byte per threshold in this order.
THRESHOLD_NAMES = (
    'lower_non_critical', 'lower_critical', 'lower_non_recoverable',
    'upper_non_critical', 'upper_critical', 'upper_non_recoverable',
)

_NETFN_SENSOR = 0x04
_CMD_GET_SENSOR_READING = 0x2d
_CMD_GET_SENSOR_THRESHOLDS = 0x27
_CC_NOT_PRESENT = 0xcb
# Engineering values come out of a linear formula in floating point.
_DIGITS = 6


def state_from_health(health):
    """StarlingX severity of a pyghmi health bit set.

    IPMI non-critical -> minor, critical -> major, non-recoverable ->
    critical: the same ladder as StarlingX's sensor minor/major/critical
    thresholds.
    """
    if health & pyghmi_constants.Health.Failed:
        return STATE_CRITICAL
    if health & pyghmi_constants.Health.Critical:
        return STATE_MAJOR
    if health & pyghmi_constants.Health.Warning:
        return STATE_MINOR
    return STATE_OK


def read_sensors(command, threshold_cache):
    """Read every sensor of the BMC behind a logged-in pyghmi Command.

    ``threshold_cache`` maps sensor numbers to decoded thresholds; it is
    filled here so that thresholds (which rarely change) cost one round
    trip per sensor per session instead of one per poll.
    """
    command.init_sdr()
    # pyghmi keeps the decoded SDR here; its own get_sensor_data() yields
    # readings without the SDR entry that thresholds need.
    repository = command._sdr
    result = []
    for number in repository.get_sensor_numbers():
        entry = repository.sensors[number]
        response = command.raw_command(
            netfn=_NETFN_SENSOR, command=_CMD_GET_SENSOR_READING,
            rslun=entry.sensor_lun, data=(entry.sensor_number,))
        if 'error' in response:
            if response.get('code') == _CC_NOT_PRESENT:
                continue        # an optional device that is absent
            raise pyghmi_exceptions.IpmiException(
                'reading sensor %r: %s' % (entry.name, response['error']),
                code=response.get('code'))
        reading = entry.decode_sensor_reading(command, response['data'])
        if number not in threshold_cache:
            threshold_cache[number] = _read_thresholds(command, entry)
        result.append(_sensor_dict(reading, threshold_cache[number]))
    return result


def _sensor_dict(reading, thresholds):
    available = not reading.unavailable
    value = reading.value
    if value is not None:
        value = round(value, _DIGITS)
    return {
        'name': reading.name,
        'type': reading.type.lower().replace(' ', '_'),
        'value': value if available else None,
        'unit': reading.units,
        'state': state_from_health(reading.health),
        'thresholds': dict(thresholds),
        'available': available,
        'conditions': list(reading.states),
    }


def _read_thresholds(command, entry):
    """{threshold name: engineering value} of a threshold-based sensor."""
    if not entry.has_thresholds:
        return {}
    response = command.raw_command(
        netfn=_NETFN_SENSOR, command=_CMD_GET_SENSOR_THRESHOLDS,
        rslun=entry.sensor_lun, data=(entry.sensor_number,))
    data = response.get('data')
    if 'error' in response or not data:
        return {}           # a sensor may refuse; its readings still count
    readable = data[0]
    thresholds = {}
    for index, name in enumerate(THRESHOLD_NAMES):
        if readable & (1 << index) and len(data) > index + 1:
            raw = _signed(entry, data[index + 1])
            thresholds[name] = round(entry.decode_value(command, raw),
                                     _DIGITS)
    return thresholds


def _signed(entry, raw):
    if entry.numeric_format == 2:
        return pyghmi_sdr.twos_complement(raw, 8)
    if entry.numeric_format == 1:
        return pyghmi_sdr.ones_complement(raw, 8)
    return raw
