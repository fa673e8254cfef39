"""PCI functions from /sys/bus/pci/devices, each with a ``kind``.

Kinds matter to scheduling: 'gpu' (display controllers, class 0x03),
'crypto' (encryption controllers, class 0x1080, and Intel QuickAssist
functions, which report themselves as co-processors, class 0x0b40),
'network' (class 0x02) and 'other'. Ids stay numeric: no pci.ids
dependency on every host.
"""

import logging

from sysinv.agent.inventory import _sysfs

LOG = logging.getLogger(__name__)

PCI_DIR = 'sys/bus/pci/devices'
INTEL = '8086'
# Intel QuickAssist physical and virtual functions, as bound by the
# kernel's qat_* drivers.
QAT_DEVICE_IDS = frozenset((
    '0435', '0443',  # DH895xCC
    '37c8', '37c9',  # C62x
    '19e2', '19e3',  # C3xxx
    '6f54', '6f55',  # D15xx
    '18ee', '18ef',  # 200xx
    '18a0', '18a1',  # C4xxx
    '4940', '4941',  # 4xxx
    '4942', '4943',  # 401xx
    '4944', '4945',  # 402xx
    '4946', '4947',  # 420xx
))


def collect(root='/'):
    """One dict per PCI function, sorted by address."""
    pci_dir = _sysfs.path(root, PCI_DIR)
    devices = []
    for address in _sysfs.list_dir(pci_dir):
        if not _sysfs.PCI_ADDRESS_RE.match(address):
            continue
        device_dir = _sysfs.path(pci_dir, address)
        class_id = _hex_id(_sysfs.path(device_dir, 'class'), 6)
        vendor_id = _hex_id(_sysfs.path(device_dir, 'vendor'), 4)
        device_id = _hex_id(_sysfs.path(device_dir, 'device'), 4)
        if class_id is None or vendor_id is None or device_id is None:
            LOG.debug('Incomplete PCI function %s; skipped', address)
            continue
        devices.append({
            'address': address.lower(),
            'class_id': class_id,
            'vendor_id': vendor_id,
            'device_id': device_id,
            'driver': _sysfs.read_link_name(
                _sysfs.path(device_dir, 'driver')),
            'numa_node': _sysfs.numa_node(_sysfs.read_int(
                _sysfs.path(device_dir, 'numa_node'))),
            'sriov_totalvfs': _sysfs.read_int(
                _sysfs.path(device_dir, 'sriov_totalvfs')),
            'sriov_numvfs': _sysfs.read_int(
                _sysfs.path(device_dir, 'sriov_numvfs')),
            'kind': kind(class_id, vendor_id, device_id),
        })
    return devices


def kind(class_id, vendor_id, device_id):
    """'gpu', 'crypto', 'network' or 'other' for hex ids ('030000')."""
    if class_id.startswith('03'):
        return 'gpu'
    if class_id.startswith('1080') or (
            vendor_id == INTEL and device_id in QAT_DEVICE_IDS):
        return 'crypto'
    if class_id.startswith('02'):
        return 'network'
    return 'other'


def _hex_id(file_path, digits):
    """'0x030000' -> '030000'; None when malformed."""
    value = _sysfs.read_int(file_path, 16)
    if value is None or value < 0 or value >= 16 ** digits:
        return None
    return '%0*x' % (digits, value)
