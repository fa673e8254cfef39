"""Hardware profiles: load a YAML file, validate it, fill in defaults.

The schema is documented at the top of every file in hostsim/profiles/.
:func:`load` returns a normalised dict in which every ``count`` has been
expanded, so the generator never deals with shorthand, and ``sensors`` (the
BMC's) is always a list: derived from the sockets when the file has none.
"""

import os

import yaml

from hostsim.bmc import sensors as bmc_sensors

PROFILE_DIR = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'profiles')
DISK_TYPES = ('HDD', 'SSD', 'NVME')
NIC_BUSES = ('pci', 'platform')
PCI_KINDS = ('gpu', 'crypto', 'other')
SENSOR_TYPES = tuple(bmc_sensors.SENSOR_TYPE_CODES)


class ProfileError(ValueError):
    """A hardware profile that cannot be generated, and where it's wrong."""


def names():
    """Profiles shipped in hostsim/profiles, by name."""
    return sorted(f[:-5] for f in os.listdir(PROFILE_DIR)
                  if f.endswith('.yaml'))


def load(name_or_path):
    """A validated profile from a shipped name ('worker') or a path."""
    file_path = name_or_path
    if os.sep not in name_or_path and not name_or_path.endswith('.yaml'):
        file_path = os.path.join(PROFILE_DIR, name_or_path + '.yaml')
    try:
        with open(file_path, encoding='utf-8') as f:
            data = yaml.safe_load(f)
    except OSError as exc:
        raise ProfileError('%s: cannot read: %s' % (file_path, exc))
    except yaml.YAMLError as exc:
        raise ProfileError('%s: not valid YAML: %s' % (file_path, exc))
    return validate(data, os.path.basename(file_path))


def validate(data, source='profile'):
    """The normalised profile, or ProfileError naming the bad field."""
    check = _Checker(source)
    top = check.mapping(data, '', required=('name', 'cpu', 'memory'),
                        optional=('description', 'numa_nodes', 'disks',
                                  'nics', 'pci_devices', 'sensors'))
    cpu = check.mapping(top['cpu'], 'cpu',
                        required=('sockets', 'cores_per_socket',
                                  'threads_per_core'),
                        optional=('model', 'family', 'vendor'))
    sockets = check.integer(cpu, 'cpu', 'sockets', 1, 16)
    cores = check.integer(cpu, 'cpu', 'cores_per_socket', 1, 512)
    threads = check.integer(cpu, 'cpu', 'threads_per_core', 1, 8)
    numa_nodes = check.integer(top, '', 'numa_nodes', 0, 64, default=1)
    if numa_nodes > sockets * cores:
        check.fail('numa_nodes', 'more NUMA nodes (%d) than cores (%d)'
                   % (numa_nodes, sockets * cores))
    memory = check.mapping(top['memory'], 'memory', required=('total_gib',),
                           optional=('hugepages_2m', 'hugepages_1g'))
    total_gib = check.integer(memory, 'memory', 'total_gib', 1, 1 << 16)
    hugepages_2m = check.integer(memory, 'memory', 'hugepages_2m', 0,
                                 1 << 24, default=0)
    hugepages_1g = check.integer(memory, 'memory', 'hugepages_1g', 0,
                                 1 << 16, default=0)
    node_mib = total_gib * 1024 // max(numa_nodes, 1)
    if hugepages_2m * 2 + hugepages_1g * 1024 > node_mib * 3 // 4:
        check.fail('memory', 'huge pages take more than 3/4 of a node\'s '
                   '%d MiB' % node_mib)
    profile = {
        'name': check.string(top, '', 'name'),
        'description': check.string(top, '', 'description', default=''),
        'cpu': {
            'sockets': sockets,
            'cores_per_socket': cores,
            'threads_per_core': threads,
            'model': check.string(cpu, 'cpu', 'model',
                                  default='Simulated x86_64 CPU'),
            'family': check.integer(cpu, 'cpu', 'family', 0, 255,
                                    default=6),
            'vendor': check.string(cpu, 'cpu', 'vendor',
                                   default='GenuineIntel'),
        },
        'numa_nodes': numa_nodes,
        'memory': {'total_gib': total_gib, 'hugepages_2m': hugepages_2m,
                   'hugepages_1g': hugepages_1g},
        'disks': [],
        'nics': [],
        'pci_devices': [],
    }
    node_range = max(numa_nodes - 1, 0)
    for i, entry in enumerate(check.sequence(top, 'disks')):
        where = 'disks[%d]' % i
        disk = check.mapping(entry, where, required=('type', 'size_gib'),
                             optional=('count', 'model', 'rotational'))
        disk_type = check.choice(disk, where, 'type', DISK_TYPES)
        item = {
            'type': disk_type,
            'size_gib': check.integer(disk, where, 'size_gib', 1, 1 << 20),
            'model': check.string(disk, where, 'model',
                                  default='SIM-%s' % disk_type),
        }
        for _ in range(check.integer(disk, where, 'count', 1, 256,
                                     default=1)):
            profile['disks'].append(dict(item))
    for i, entry in enumerate(check.sequence(top, 'nics')):
        where = 'nics[%d]' % i
        nic = check.mapping(entry, where, required=(),
                            optional=('count', 'name', 'bus', 'driver',
                                      'vendor_id', 'device_id', 'speed',
                                      'mtu', 'numa_node', 'sriov_totalvfs',
                                      'sriov_numvfs'))
        count = check.integer(nic, where, 'count', 1, 256, default=1)
        if 'name' in nic and count != 1:
            check.fail(where + '.name', 'a fixed name needs count 1')
        item = {
            'name': check.string(nic, where, 'name', default=None),
            'bus': check.choice(nic, where, 'bus', NIC_BUSES, default='pci'),
            'driver': check.string(nic, where, 'driver', default='ixgbe'),
            'vendor_id': check.hex_id(nic, where, 'vendor_id', 4, '8086'),
            'device_id': check.hex_id(nic, where, 'device_id', 4, '10fb'),
            'speed': check.integer(nic, where, 'speed', 10, 800000,
                                   default=10000),
            'mtu': check.integer(nic, where, 'mtu', 68, 65536,
                                 default=1500),
            'numa_node': check.integer(nic, where, 'numa_node', 0,
                                       node_range, default=None),
            'sriov_totalvfs': check.integer(nic, where, 'sriov_totalvfs', 0,
                                            256, default=0),
        }
        item['sriov_numvfs'] = check.integer(
            nic, where, 'sriov_numvfs', 0, item['sriov_totalvfs'],
            default=0)
        if item['bus'] == 'platform' and item['sriov_totalvfs']:
            check.fail(where, 'SR-IOV needs a PCI NIC')
        for _ in range(count):
            profile['nics'].append(dict(item))
    for i, entry in enumerate(check.sequence(top, 'pci_devices')):
        where = 'pci_devices[%d]' % i
        dev = check.mapping(entry, where,
                            required=('kind', 'vendor_id', 'device_id',
                                      'class_id'),
                            optional=('count', 'driver', 'numa_node'))
        item = {
            'kind': check.choice(dev, where, 'kind', PCI_KINDS),
            'vendor_id': check.hex_id(dev, where, 'vendor_id', 4),
            'device_id': check.hex_id(dev, where, 'device_id', 4),
            'class_id': check.hex_id(dev, where, 'class_id', 6),
            'driver': check.string(dev, where, 'driver', default=None),
            'numa_node': check.integer(dev, where, 'numa_node', 0,
                                       node_range, default=None),
        }
        for _ in range(check.integer(dev, where, 'count', 1, 64,
                                     default=1)):
            profile['pci_devices'].append(dict(item))
    names = [nic['name'] for nic in profile['nics'] if nic['name']]
    if len(names) != len(set(names)):
        check.fail('nics', 'duplicate NIC names %s' % sorted(names))
    if 'sensors' in top:
        profile['sensors'] = _sensors(check, check.sequence(top, 'sensors'))
    else:
        profile['sensors'] = default_sensors(sockets)
    return profile


def default_sensors(sockets):
    """The BMC sensors of a profile that lists none: a typical 1U/2U
    server's, with a temperature per CPU socket and two fans per socket."""
    sensors = []
    for socket in range(sockets):
        sensors.append(_sensor('CPU%d Temp' % socket, 'temperature',
                               44.0 + 2 * socket,
                               upper_non_critical=85.0, upper_critical=95.0,
                               upper_non_recoverable=100.0))
    sensors.append(_sensor('Inlet Temp', 'temperature', 24.0,
                           upper_non_critical=40.0, upper_critical=45.0))
    for fan in range(1, 2 * sockets + 1):
        sensors.append(_sensor('Fan %d' % fan, 'fan', 6000,
                               lower_critical=500, lower_non_critical=1000))
    for name, volts in (('12V', 12.0), ('5V', 5.0), ('3.3V', 3.3)):
        sensors.append(_sensor(name, 'voltage', volts,
                               lower_critical=round(volts * 0.9, 2),
                               upper_critical=round(volts * 1.1, 2)))
    return sensors


def _sensor(name, kind, value, **thresholds):
    return {'name': name, 'type': kind, 'value': value,
            'thresholds': thresholds}


def _sensor_range(kind):
    """Lowest and highest reading the simulated BMC encodes for ``kind``."""
    probe = bmc_sensors.Sensor({'name': kind, 'type': kind}, 1)
    return probe.from_raw(0), probe.from_raw(0xff)


def _sensors(check, entries):
    """Validated sensors, thresholds under their long names."""
    sensors, seen = [], set()
    for i, entry in enumerate(entries):
        where = 'sensors[%d]' % i
        spec = check.mapping(entry, where, required=('name', 'type',
                                                     'value'),
                             optional=('thresholds',))
        name = check.string(spec, where, 'name')
        try:
            encoded = name.encode('latin-1')
        except UnicodeEncodeError:
            encoded = b''
        if not 0 < len(encoded) <= bmc_sensors.Sensor.MAX_NAME:
            check.fail(where + '.name', 'must be 1-%d Latin-1 characters, '
                       'got %r' % (bmc_sensors.Sensor.MAX_NAME, name))
        if name in seen:
            check.fail(where + '.name', 'duplicate sensor name %r' % name)
        seen.add(name)
        kind = check.choice(spec, where, 'type', SENSOR_TYPES)
        low, high = _sensor_range(kind)
        value = check.number(spec, where, 'value', low, high)
        where_limits = where + '.thresholds'
        limits = check.mapping(
            spec.get('thresholds', {}), where_limits, required=(),
            optional=bmc_sensors.THRESHOLDS + tuple(
                bmc_sensors.THRESHOLD_ALIASES))
        thresholds = {}
        for key in limits:
            full = bmc_sensors.THRESHOLD_ALIASES.get(key, key)
            if full in thresholds:
                check.fail(where_limits, '%s given twice' % full)
            thresholds[full] = check.number(limits, where_limits, key, low,
                                            high)
        ordered = [thresholds[t] for t in _THRESHOLD_ORDER
                   if t in thresholds]
        if ordered != sorted(ordered):
            check.fail(where_limits, 'must increase from '
                       'lower_non_recoverable to upper_non_recoverable, '
                       'got %s' % thresholds)
        sensors.append(_sensor(name, kind, value, **thresholds))
    return sensors


# From the lowest threshold to the highest.
_THRESHOLD_ORDER = ('lower_non_recoverable', 'lower_critical',
                    'lower_non_critical', 'upper_non_critical',
                    'upper_critical', 'upper_non_recoverable')


class _Checker:
    def __init__(self, source):
        self.source = source

    def fail(self, where, message):
        raise ProfileError('%s: %s: %s' % (self.source, where or '(top)',
                                           message))

    def mapping(self, value, where, required, optional):
        if not isinstance(value, dict):
            self.fail(where, 'must be a mapping, got %s'
                      % type(value).__name__)
        missing = [k for k in required if k not in value]
        if missing:
            self.fail(where, 'missing %s' % ', '.join(missing))
        unknown = sorted(set(value) - set(required) - set(optional))
        if unknown:
            self.fail(where, 'unknown field(s) %s; allowed: %s' % (
                ', '.join(map(str, unknown)),
                ', '.join(sorted(required + optional))))
        return value

    def sequence(self, mapping, key):
        value = mapping.get(key, [])
        if not isinstance(value, list):
            self.fail(key, 'must be a list, got %s' % type(value).__name__)
        return value

    def _field(self, where, key):
        return '%s.%s' % (where, key) if where else key

    def integer(self, mapping, where, key, low, high, default=...):
        if key not in mapping and default is not ...:
            return default
        value = mapping.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(self._field(where, key),
                      'must be an integer, got %r' % (value,))
        if not low <= value <= high:
            self.fail(self._field(where, key), 'must be between %d and %d,'
                      ' got %d' % (low, high, value))
        return value

    def number(self, mapping, where, key, low, high):
        value = mapping.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(self._field(where, key),
                      'must be a number, got %r' % (value,))
        # The top of a range is M * 255 * 10 ** R, e.g. 20.400000000000002.
        if not low <= value <= high + 1e-9:
            self.fail(self._field(where, key), 'must be between %g and %g,'
                      ' got %g' % (low, high, value))
        return value

    def string(self, mapping, where, key, default=...):
        if key not in mapping and default is not ...:
            return default
        value = mapping.get(key)
        if not isinstance(value, str) or not value:
            self.fail(self._field(where, key),
                      'must be a non-empty string, got %r' % (value,))
        return value

    def choice(self, mapping, where, key, choices, default=...):
        value = self.string(mapping, where, key, default)
        if value not in choices:
            self.fail(self._field(where, key), 'must be one of %s, got %r'
                      % (', '.join(choices), value))
        return value

    def hex_id(self, mapping, where, key, digits, default=...):
        """A quoted '8086' or '0x8086', returned as bare hex digits.

        YAML reads an unquoted 8086 as a decimal int, so ids must be
        strings; an int is refused rather than silently misread.
        """
        value = self.string(mapping, where, key, default)
        text = value.lower().removeprefix('0x')
        if len(text) != digits or any(c not in '0123456789abcdef'
                                      for c in text):
            self.fail(self._field(where, key), 'must be %d hex digits as a '
                      'quoted string, got %r' % (digits, value))
        return text
