"""Physical network ports from /sys/class/net.

A port is physical when it has a ``device`` link; loopback, bridges,
bonds, VLANs, tunnels and the like have none. The device may be a PCI
function or a child of one (virtio), or sit on no PCI bus at all (a
platform NIC), in which case the port has no PCI address.
"""

import logging

from sysinv.agent.inventory import _sysfs

LOG = logging.getLogger(__name__)

NET_DIR = 'sys/class/net'


def collect(root='/'):
    """One dict per physical port, sorted by name."""
    net_dir = _sysfs.path(root, NET_DIR)
    ports = []
    for name in _sysfs.list_dir(net_dir):
        port_dir = _sysfs.path(net_dir, name)
        device = _sysfs.path(port_dir, 'device')
        if name == 'lo' or _sysfs.read_link_name(device) is None:
            continue
        pci_address = _sysfs.pci_address_of(device)
        pci_dir = _sysfs.path(root, 'sys/bus/pci/devices', pci_address or '')
        numa_node = _sysfs.read_int(_sysfs.path(device, 'numa_node'))
        if numa_node is None and pci_address:
            numa_node = _sysfs.read_int(_sysfs.path(pci_dir, 'numa_node'))
        speed = _sysfs.read_int(_sysfs.path(port_dir, 'speed'))
        sriov_dir = device if pci_address is None else pci_dir
        ports.append({
            'name': name,
            'mac': _mac(_sysfs.read_text(_sysfs.path(port_dir, 'address'))),
            'mtu': _sysfs.read_int(_sysfs.path(port_dir, 'mtu')),
            'speed': speed if speed and speed > 0 else None,
            'operstate': _sysfs.read_text(_sysfs.path(port_dir, 'operstate')),
            'driver': _sysfs.read_link_name(_sysfs.path(device, 'driver')),
            'pci_address': pci_address,
            'numa_node': _sysfs.numa_node(numa_node),
            'sriov_totalvfs': _sysfs.read_int(
                _sysfs.path(sriov_dir, 'sriov_totalvfs')),
            'sriov_numvfs': _sysfs.read_int(
                _sysfs.path(sriov_dir, 'sriov_numvfs')),
        })
    return ports


def _mac(text):
    if not text:
        return None
    parts = text.lower().split(':')
    if len(parts) != 6 or not all(
            len(p) == 2 and all(c in '0123456789abcdef' for c in p)
            for p in parts):
        LOG.debug('Malformed MAC address %r', text[:40])
        return None
    return text.lower()
