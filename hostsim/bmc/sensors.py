"""Simulated sensors and their IPMI Sensor Data Records.

Every sensor is a threshold-based analog sensor described by an SDR
"Full Sensor Record" (type 01h, IPMI 2.0 table 43-1).  Readings are one
byte and are converted to engineering units with the linear formula

    y = (M * x + B * 10 ** b_exp) * 10 ** r_exp

whose factors are stored in the record, so any IPMI client (pyghmi,
ipmitool) can decode them without knowing this simulator.
"""

import copy
import struct

# IPMI sensor type codes (table 42-3) and unit codes (table 43-15).
SENSOR_TYPE_CODES = {'temperature': 0x01, 'voltage': 0x02, 'fan': 0x04}
UNIT_CODES = {'temperature': 1, 'voltage': 4, 'fan': 18}

# Default linear conversion factors per sensor type:
# temperature 0.5 degC steps (0 - 127.5), fans 50 RPM steps (0 - 12750),
# voltages 0.08 V steps (0 - 20.4 V).
DEFAULT_FACTORS = {
    'temperature': {'m': 5, 'b': 0, 'b_exp': 0, 'r_exp': -1},
    'fan': {'m': 50, 'b': 0, 'b_exp': 0, 'r_exp': 0},
    'voltage': {'m': 8, 'b': 0, 'b_exp': 0, 'r_exp': -2},
}

# Entity IDs (table 43-13).
ENTITY_PROCESSOR = 0x03
ENTITY_SYSTEM_BOARD = 0x07
ENTITY_FAN = 0x1d

# Threshold names in the order of the readable-threshold mask bits
# (bit 0 = lower non-critical ... bit 5 = upper non-recoverable).
THRESHOLDS = (
    'lower_non_critical', 'lower_critical', 'lower_non_recoverable',
    'upper_non_critical', 'upper_critical', 'upper_non_recoverable',
)
# ipmitool's short names (and their IPMI-spec spellings) for the above.
THRESHOLD_ALIASES = {
    'lnc': 'lower_non_critical', 'lc': 'lower_critical',
    'lcr': 'lower_critical', 'lnr': 'lower_non_recoverable',
    'unc': 'upper_non_critical', 'uc': 'upper_critical',
    'ucr': 'upper_critical', 'unr': 'upper_non_recoverable',
}

# Sensor reading response byte 2: event messages and scanning enabled.
_READING_ENABLED = 0xc0
_READING_UNAVAILABLE = 0x20

DEFAULT_SENSORS = (
    {'name': 'CPU Temp', 'type': 'temperature', 'value': 45.0,
     'thresholds': {'upper_non_critical': 85.0, 'upper_critical': 95.0,
                    'upper_non_recoverable': 105.0}},
    {'name': 'Inlet Temp', 'type': 'temperature', 'value': 24.0,
     'thresholds': {'upper_non_critical': 40.0, 'upper_critical': 45.0}},
    {'name': 'Fan 1', 'type': 'fan', 'value': 6000,
     'thresholds': {'lower_non_critical': 1000, 'lower_critical': 500}},
    {'name': 'Fan 2', 'type': 'fan', 'value': 6000,
     'thresholds': {'lower_non_critical': 1000, 'lower_critical': 500}},
    {'name': '12V', 'type': 'voltage', 'value': 12.0,
     'thresholds': {'lower_critical': 10.8, 'upper_critical': 13.2}},
    {'name': '3.3V', 'type': 'voltage', 'value': 3.3,
     'thresholds': {'lower_critical': 2.97, 'upper_critical': 3.63}},
)


def _twos(value, bits):
    if not -(1 << (bits - 1)) <= value < (1 << (bits - 1)):
        raise ValueError('%d does not fit in %d bits' % (value, bits))
    return value & ((1 << bits) - 1)


class Sensor(object):
    """One threshold-based analog sensor."""

    MAX_NAME = 16

    def __init__(self, spec, number, entity_instance=1):
        spec = dict(spec)
        self.name = str(spec['name'])
        if not self.name or len(self.name.encode('latin-1')) > self.MAX_NAME:
            raise ValueError('sensor name must be 1-%d characters: %r'
                             % (self.MAX_NAME, self.name))
        self.type = spec['type']
        if self.type not in SENSOR_TYPE_CODES:
            raise ValueError('unknown sensor type %r (expected one of %s)'
                             % (self.type, ', '.join(SENSOR_TYPE_CODES)))
        self.number = int(spec.get('number', number))
        if not 0 <= self.number <= 0xfe:
            raise ValueError('sensor number out of range: %d' % self.number)
        factors = dict(DEFAULT_FACTORS[self.type])
        for key in factors:
            if key in spec:
                factors[key] = int(spec[key])
        self.m = factors['m']
        self.b = factors['b']
        self.b_exp = factors['b_exp']
        self.r_exp = factors['r_exp']
        if self.m == 0:
            raise ValueError('conversion factor M must not be 0')
        if 'entity' in spec:
            self.entity = int(spec['entity'])
        elif self.type == 'fan':
            self.entity = ENTITY_FAN
        elif self.type == 'temperature' and 'cpu' in self.name.lower():
            self.entity = ENTITY_PROCESSOR
        else:
            self.entity = ENTITY_SYSTEM_BOARD
        self.entity_instance = int(spec.get('entity_instance',
                                            entity_instance))
        self.thresholds = {}
        for key, value in (spec.get('thresholds') or {}).items():
            key = THRESHOLD_ALIASES.get(key, key)
            if key not in THRESHOLDS:
                raise ValueError('unknown threshold %r' % key)
            if value is not None:
                self.thresholds[key] = float(value)
        self.value = spec.get('value')

    # -- conversions -------------------------------------------------------

    @property
    def resolution(self):
        """Engineering-unit size of one raw reading step."""
        return abs(self.m) * 10.0 ** self.r_exp

    def to_raw(self, value):
        """Engineering units -> one-byte raw reading (clamped)."""
        offset = self.b * 10.0 ** self.b_exp
        raw = int(round((float(value) / 10.0 ** self.r_exp - offset)
                        / self.m))
        return max(0, min(0xff, raw))

    def from_raw(self, raw):
        """One-byte raw reading -> engineering units."""
        return ((self.m * raw + self.b * 10.0 ** self.b_exp)
                * 10.0 ** self.r_exp)

    # -- IPMI encodings ----------------------------------------------------

    @property
    def readable_mask(self):
        mask = 0
        for bit, name in enumerate(THRESHOLDS):
            if name in self.thresholds:
                mask |= 1 << bit
        return mask

    def threshold_status(self):
        """Threshold comparison status byte of Get Sensor Reading."""
        if self.value is None:
            return 0
        raw = self.to_raw(self.value)
        status = 0
        for bit, name in enumerate(THRESHOLDS):
            if name not in self.thresholds:
                continue
            limit = self.to_raw(self.thresholds[name])
            if name.startswith('lower') and raw < limit:
                status |= 1 << bit
            elif name.startswith('upper') and raw > limit:
                status |= 1 << bit
        return status

    def reading_response(self):
        """Response data of Get Sensor Reading (netfn 04h, cmd 2Dh)."""
        if self.value is None:
            return [0, _READING_ENABLED | _READING_UNAVAILABLE, 0]
        return [self.to_raw(self.value), _READING_ENABLED,
                self.threshold_status()]

    def thresholds_response(self):
        """Response data of Get Sensor Thresholds (netfn 04h, cmd 27h)."""
        data = [self.readable_mask]
        for name in THRESHOLDS:
            if name in self.thresholds:
                data.append(self.to_raw(self.thresholds[name]))
            else:
                data.append(0)
        return data

    @property
    def event_mask(self):
        """Threshold events: going-low for lower thresholds (bits 0, 2, 4),
        going-high for upper thresholds (bits 7, 9, 11)."""
        mask = self.readable_mask
        events = 0
        for bit in range(3):
            if mask & (1 << bit):
                events |= 1 << (2 * bit)
            if mask & (1 << (bit + 3)):
                events |= 1 << (2 * bit + 7)
        return events

    def event_enable_response(self):
        """Response data of Get Sensor Event Enable (netfn 04h, cmd 29h)."""
        events = self.event_mask
        return [0xc0, events & 0xff, events >> 8, events & 0xff,
                events >> 8]

    def sdr_record(self, record_id):
        """Full Sensor Record (SDR type 01h) for this sensor."""
        mask = self.readable_mask
        lower = mask & 0b111
        upper = (mask >> 3) & 0b111
        # bits 12-14 tell which lower (assertion mask) / upper (deassertion
        # mask) threshold comparisons the reading reports
        events = self.event_mask
        assertion = events | (lower << 12)
        deassertion = events | (upper << 12)
        threshold_mask = mask | (mask << 8)   # readable | settable
        # Threshold access: 01b readable; none when there are no thresholds.
        capabilities = 0x40 | ((0b01 << 2) if mask else 0)
        m = _twos(self.m, 10)
        b = _twos(self.b, 10)
        name = self.name.encode('latin-1')
        body = bytearray([
            0x20,                        # 6: sensor owner ID (BMC)
            0x00,                        # 7: owner LUN
            self.number,                 # 8: sensor number
            self.entity,                 # 9: entity ID
            self.entity_instance,        # 10: entity instance
            0x7f,                        # 11: sensor initialization
            capabilities,                # 12: sensor capabilities
            SENSOR_TYPE_CODES[self.type],  # 13: sensor type
            0x01,                        # 14: event/reading type: threshold
        ])
        body += struct.pack('<HHH', assertion, deassertion, threshold_mask)
        body += bytearray([
            0x00,                        # 21: units 1: unsigned, no rate
            UNIT_CODES[self.type],       # 22: base unit
            0x00,                        # 23: modifier unit
            0x00,                        # 24: linearization: linear
            m & 0xff,                    # 25: M LS 8 bits
            (m >> 8) << 6,               # 26: M MS 2 bits, tolerance 0
            b & 0xff,                    # 27: B LS 8 bits
            (b >> 8) << 6,               # 28: B MS 2 bits, accuracy 0
            0x00,                        # 29: accuracy, direction
            (_twos(self.r_exp, 4) << 4) | _twos(self.b_exp, 4),  # 30
            0x00,                        # 31: analog characteristic flags
            0x00, 0x00, 0x00,            # 32-34: nominal, normal max/min
            0xff, 0x00,                  # 35-36: sensor max / min reading
        ])
        for name_ in reversed(THRESHOLDS):  # 37-42: UNR UC UNC LNR LC LNC
            if name_ in self.thresholds:
                body.append(self.to_raw(self.thresholds[name_]))
            else:
                body.append(0)
        body += bytearray([
            0x00, 0x00,                  # 43-44: hysteresis
            0x00, 0x00,                  # 45-46: reserved
            0x00,                        # 47: OEM
            0xc0 | len(name),            # 48: ID string: 8-bit ASCII
        ])
        body += name
        header = struct.pack('<HBBB', record_id, 0x51, 0x01, len(body))
        return bytearray(header) + body

    def as_dict(self):
        return {'name': self.name, 'type': self.type, 'value': self.value,
                'number': self.number,
                'thresholds': copy.deepcopy(self.thresholds)}


def mc_locator_record(record_id, name='BMC'):
    """Management Controller Device Locator record (SDR type 12h)."""
    name = name.encode('latin-1')
    body = bytearray([
        0x20,            # 6: device slave address (BMC)
        0x00,            # 7: channel number
        0x00,            # 8: power state notification / global init
        0x83,            # 9: capabilities: chassis, SDR repo, sensors
        0x00, 0x00, 0x00,  # 10-12: reserved
        ENTITY_SYSTEM_BOARD,  # 13: entity ID
        0x01,            # 14: entity instance
        0x00,            # 15: OEM
        0xc0 | len(name),  # 16: ID string type/length
    ]) + name
    return bytearray(struct.pack('<HBBB', record_id, 0x51, 0x12,
                                 len(body))) + body


class SensorSet(object):
    """The sensors of one BMC with their SDR repository.

    Not thread-safe on its own; SimulatedBmc guards it with its lock.
    """

    def __init__(self, specs):
        self.by_name = {}
        self.by_number = {}
        self.order = []
        instances = {}
        for index, spec in enumerate(specs, 1):
            probe = Sensor(spec, index)
            instances[probe.entity] = instances.get(probe.entity, 0) + 1
            sensor = Sensor(spec, index, instances[probe.entity])
            if sensor.name in self.by_name:
                raise ValueError('duplicate sensor name %r' % sensor.name)
            if sensor.number in self.by_number:
                raise ValueError('duplicate sensor number %d'
                                 % sensor.number)
            self.by_name[sensor.name] = sensor
            self.by_number[sensor.number] = sensor
            self.order.append(sensor)
        self.records = [sensor.sdr_record(record_id)
                        for record_id, sensor in enumerate(self.order, 1)]
        # like real BMCs, describe the BMC itself last; this also keeps
        # the repository non-empty, which pyghmi's client requires
        self.records.append(mc_locator_record(len(self.records) + 1))

    def get_record(self, record_id):
        """Return (record bytes, next record id) or None if unknown."""
        if not self.records:
            return None
        if record_id == 0:
            index = 0
        elif record_id == 0xffff:
            index = len(self.records) - 1
        else:
            index = record_id - 1
            if not 0 <= index < len(self.records):
                return None
        if index + 1 < len(self.records):
            next_id = index + 2
        else:
            next_id = 0xffff
        return self.records[index], next_id
