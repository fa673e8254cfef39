"""An agent's inventory report, turned into rows and applied to a host.

The report (see ``sysinv.agent``) lists the host's CPUs, memory per NUMA
node, disks, ports and PCI devices. Each section replaces the host's rows
of that kind: a row is matched by its natural key within the host (CPU
number, NUMA node, device node, port name, PCI address) and updated in
place, so its UUID survives every report; rows no longer reported are
deleted and new ones inserted. A section missing from the report leaves
its table alone; an empty list empties it.

Columns the operator owns (a CPU's function, reserved and pending memory,
whether a PCI device is enabled) are set on insert and never overwritten.
"""

import re
import uuid as uuid_lib

from sysinv import constants
from sysinv import host_config
from sysinv.db.sqlalchemy import models
from sysinv import exception

MAC_RE = re.compile(r'^([0-9a-f]{2}:){5}[0-9a-f]{2}$')


def _fail(reason):
    raise exception.InvalidInventory(reason=reason)


def normalize_mac(value, what='mac'):
    """Lower-case, colon-separated; anything else is refused."""
    if not isinstance(value, str):
        _fail('%s must be a string, not %r' % (what, value))
    mac = value.strip().lower().replace('-', ':')
    if not MAC_RE.match(mac):
        _fail('%s %r is not a MAC address' % (what, value))
    return mac


def _int(item, name, section, required=False):
    value = item.get(name)
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        _fail('%s: %s must be a non-negative integer, not %r'
              % (section, name, value))
    return value


def _str(item, name, section, required=False):
    value = item.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        _fail('%s: %s must be a string, not %r' % (section, name, value))
    return value


def _cpu(item):
    return dict(cpu=_int(item, 'cpu', 'cpus', True),
                numa_node=_int(item, 'numa_node', 'cpus'),
                core=_int(item, 'core', 'cpus'),
                thread=_int(item, 'thread', 'cpus'),
                cpu_model=_str(item, 'cpu_model', 'cpus'),
                cpu_family=_str(item, 'cpu_family', 'cpus'))


def _memory(item):
    section = 'memory'
    nr_2m = _int(item, 'hugepages_2m_total', section)
    nr_1g = _int(item, 'hugepages_1g_total', section)
    return dict(numa_node=_int(item, 'numa_node', section, True),
                memtotal_mib=_int(item, 'total_mib', section),
                memavail_mib=_int(item, 'available_mib', section),
                vm_hugepages_nr_2M=nr_2m,
                vm_hugepages_avail_2M=_int(item, 'hugepages_2m_free',
                                           section),
                vm_hugepages_nr_1G=nr_1g,
                vm_hugepages_avail_1G=_int(item, 'hugepages_1g_free',
                                           section),
                hugepages_configured=bool(nr_2m or nr_1g))


def _disk(item):
    section = 'disks'
    device_type = _str(item, 'device_type', section)
    if device_type is not None and device_type not in constants.DISK_TYPES:
        _fail('disks: device_type must be one of %s, not %r'
              % (', '.join(constants.DISK_TYPES), device_type))
    rpm = _str(item, 'rpm', section)
    if rpm is None:
        rpm = 'Undetermined' if device_type in (None, 'HDD') else 'N/A'
    model = _str(item, 'model', section)
    return dict(device_node=_str(item, 'device_node', section, True),
                device_path=_str(item, 'device_path', section),
                device_type=device_type,
                size_mib=_int(item, 'size_mib', section),
                serial_id=_str(item, 'serial', section),
                rpm=rpm,
                capabilities={'model_num': model} if model else {})


def _port(item):
    section = 'ports'
    mac = item.get('mac')
    return dict(name=_str(item, 'name', section, True),
                type=constants.PORT_TYPE_ETHERNET,
                mac=None if mac is None else normalize_mac(mac, 'ports: mac'),
                mtu=_int(item, 'mtu', section),
                speed=_int(item, 'speed', section),
                driver=_str(item, 'driver', section),
                pciaddr=_str(item, 'pciaddr', section),
                numa_node=_int(item, 'numa_node', section),
                sriov_totalvfs=_int(item, 'sriov_totalvfs', section),
                sriov_numvfs=_int(item, 'sriov_numvfs', section))


def _pci_device(item):
    section = 'pci_devices'
    pciaddr = _str(item, 'pciaddr', section, True)
    return dict(pciaddr=pciaddr,
                name='pci_' + re.sub(r'[:.]', '_', pciaddr),
                pclass_id=_str(item, 'class_id', section),
                pvendor_id=_str(item, 'vendor_id', section),
                pdevice_id=_str(item, 'device_id', section),
                pclass=_str(item, 'class', section),
                pvendor=_str(item, 'vendor', section),
                pdevice=_str(item, 'device', section),
                driver=_str(item, 'driver', section),
                numa_node=_int(item, 'numa_node', section),
                kind=_str(item, 'kind', section))


_CONVERTERS = {
    'cpus': _cpu,
    'memory': _memory,
    'disks': _disk,
    'ports': _port,
    'pci_devices': _pci_device,
}

# Set when a row is first inserted; later reports leave them alone.
_INSERT_DEFAULTS = {
    'cpus': {'allocated_function': constants.CPU_FUNCTION_DEFAULT,
             'capabilities': {}},
    'memory': {'capabilities': {}},
    'disks': {},
    'ports': {'capabilities': {}},
    'pci_devices': {'enabled': True},
}


def rows_from_report(report):
    """``{section: [column dicts]}`` for the sections the report has."""
    if not isinstance(report, dict):
        _fail('the report must be a JSON object')
    sections = {}
    for section, convert in _CONVERTERS.items():
        if section not in report or report[section] is None:
            continue
        items = report[section]
        if not isinstance(items, list):
            _fail('%s must be a list' % section)
        _model, key = models.HOST_ITEMS[section]
        rows, seen = [], set()
        for item in items:
            if not isinstance(item, dict):
                _fail('every entry of %s must be an object' % section)
            row = convert(item)
            if row[key] in seen:
                _fail('%s lists %s %r twice' % (section, key, row[key]))
            seen.add(row[key])
            rows.append(row)
        sections[section] = rows
    return sections


def apply(session, host, sections):
    """Make the host's rows match ``sections``; return what changed."""
    changes = {}
    for section, rows in sections.items():
        model, key = models.HOST_ITEMS[section]
        existing = {getattr(row, key): row for row in
                    session.query(model).filter_by(host_id=host.id)}
        wanted = {row[key] for row in rows}
        removed = [row for name, row in existing.items()
                   if name not in wanted]
        for row in removed:
            session.delete(row)
        # Deletes first, so a natural key can never clash on insert.
        session.flush()
        added = updated = 0
        for values in rows:
            row = existing.get(values[key])
            if row is None:
                defaults = dict(_INSERT_DEFAULTS[section])
                if section == 'memory':
                    defaults['platform_reserved_mib'] = \
                        host_config.default_platform_reserved_mib(
                            values['numa_node'], values.get('memtotal_mib'))
                session.add(model(uuid=str(uuid_lib.uuid4()),
                                  host_id=host.id, **defaults, **values))
                added += 1
                continue
            changed = False
            for name, value in values.items():
                if getattr(row, name) != value:
                    setattr(row, name, value)
                    changed = True
            updated += changed
        changes[section] = {'added': added, 'updated': updated,
                            'removed': len(removed)}
    return changes
