"""Physical disks from /sys/block.

Virtual block devices (loop, ram, zram, device-mapper, md, nbd ...) are
left out, both by name and because their sysfs node lives under
/sys/devices/virtual. Serial and model come from where each driver puts
them: the block directory (virtio-blk), the device (NVMe controller,
SCSI model), the SCSI VPD page 0x80, or the wwid as a last resort.
"""

import logging
import os

from sysinv.agent.inventory import _sysfs

LOG = logging.getLogger(__name__)

BLOCK_DIR = 'sys/block'
BY_PATH_DIR = 'dev/disk/by-path'
VIRTUAL_PREFIXES = ('loop', 'ram', 'zram', 'dm-', 'md', 'nbd', 'fd', 'sr',
                    'drbd', 'rbd', 'mtdblock')
SECTOR_BYTES = 512
MIB = 1024 * 1024


def collect(root='/'):
    """One dict per physical disk, sorted by name."""
    block_dir = _sysfs.path(root, BLOCK_DIR)
    by_path = _by_path_links(root)
    disks = []
    for name in _sysfs.list_dir(block_dir):
        disk_dir = _sysfs.path(block_dir, name)
        if name.startswith(VIRTUAL_PREFIXES) or _is_virtual(disk_dir):
            continue
        sectors = _sysfs.read_int(_sysfs.path(disk_dir, 'size'))
        if sectors is None:
            LOG.debug('No size for disk %s; skipped', name)
            continue
        rotational = _sysfs.read_int(
            _sysfs.path(disk_dir, 'queue', 'rotational'))
        if name.startswith('nvme'):
            device_type = 'NVME'
        else:
            device_type = 'HDD' if rotational else 'SSD'
        disks.append({
            'name': name,
            'device_node': '/dev/' + name,
            'device_path': by_path.get(name),
            'device_type': device_type,
            'rotational': bool(rotational),
            'size_mib': sectors * SECTOR_BYTES // MIB,
            'serial_id': _serial(disk_dir),
            'model_num': _first_text(disk_dir, ('device/model', 'model')),
            'pci_address': _sysfs.pci_address_of(
                _sysfs.path(disk_dir, 'device')),
        })
    return disks


def _is_virtual(disk_dir):
    try:
        return '/devices/virtual/' in os.readlink(disk_dir)
    except OSError:
        return False


def _by_path_links(root):
    """{'sda': '/dev/disk/by-path/pci-...-ata-1', ...}, whole disks only."""
    links = {}
    for link in _sysfs.list_dir(_sysfs.path(root, BY_PATH_DIR)):
        if '-part' in link:
            continue
        target = _sysfs.read_link_name(_sysfs.path(root, BY_PATH_DIR, link))
        if target and target not in links:
            links[target] = '/' + BY_PATH_DIR + '/' + link
    return links


def _first_text(disk_dir, names):
    for name in names:
        text = _sysfs.read_text(_sysfs.path(disk_dir, name))
        if text:
            return text
    return None


def _serial(disk_dir):
    serial = _first_text(disk_dir, ('device/serial', 'serial'))
    if serial:
        return serial
    serial = _vpd_serial(_sysfs.path(disk_dir, 'device', 'vpd_pg80'))
    if serial:
        return serial
    return _first_text(disk_dir, ('wwid', 'device/wwid'))


def _vpd_serial(vpd_path):
    """Unit serial number from SCSI VPD page 0x80: 4-byte header, then
    the serial, its length in byte 3."""
    data = _sysfs.read_bytes(vpd_path)
    if not data or len(data) < 4 or data[1] != 0x80:
        return None
    serial = data[4:4 + data[3]].decode('ascii', 'replace').strip()
    return serial or None
