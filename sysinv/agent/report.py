"""Turn what the inventory saw into the report sysinv-conductor takes.

The report is the RPC contract between every host's agent and the
conductor (see sysinv/db/sqlalchemy/inventory.py for how it is applied):
StarlingX-like names, huge pages as page counts.
"""

_MIB_PER_2M_PAGE = 2
_MIB_PER_1G_PAGE = 1024


def _pages(mib, size_mib):
    return None if mib is None else mib // size_mib


def _memory(node):
    return {
        'numa_node': node['numa_node'],
        'total_mib': node.get('total_mib'),
        'available_mib': node.get('available_mib'),
        'hugepages_2m_total': _pages(node.get('hugepages_2m_total_mib'),
                                     _MIB_PER_2M_PAGE),
        'hugepages_2m_free': _pages(node.get('hugepages_2m_free_mib'),
                                    _MIB_PER_2M_PAGE),
        'hugepages_1g_total': _pages(node.get('hugepages_1g_total_mib'),
                                     _MIB_PER_1G_PAGE),
        'hugepages_1g_free': _pages(node.get('hugepages_1g_free_mib'),
                                    _MIB_PER_1G_PAGE),
    }


def _disk(disk):
    return {
        'device_node': disk['device_node'],
        'device_path': disk.get('device_path'),
        'device_type': disk.get('device_type'),
        'size_mib': disk.get('size_mib'),
        'serial': disk.get('serial_id'),
        'model': disk.get('model_num'),
    }


def _port(port):
    return {
        'name': port['name'],
        'mac': port.get('mac'),
        'mtu': port.get('mtu'),
        'speed': port.get('speed'),
        'driver': port.get('driver'),
        'pciaddr': port.get('pci_address'),
        'numa_node': port.get('numa_node'),
        'sriov_totalvfs': port.get('sriov_totalvfs'),
        'sriov_numvfs': port.get('sriov_numvfs'),
    }


def _pci_device(device):
    return {
        'pciaddr': device['address'],
        'class_id': device.get('class_id'),
        'vendor_id': device.get('vendor_id'),
        'device_id': device.get('device_id'),
        'driver': device.get('driver'),
        'numa_node': device.get('numa_node'),
        'kind': device.get('kind'),
    }


_CPU_FIELDS = ('cpu', 'numa_node', 'socket', 'core', 'thread', 'cpu_model',
               'cpu_family')


def build(inventory):
    """The conductor's report from ``sysinv.agent.inventory.collect()``."""
    return {
        'hostname': inventory.get('hostname'),
        'mgmt_mac': inventory.get('mgmt_mac'),
        'cpus': [{k: cpu.get(k) for k in _CPU_FIELDS}
                 for cpu in inventory.get('cpus', [])],
        'memory': [_memory(node) for node in inventory.get('memory', [])],
        'disks': [_disk(disk) for disk in inventory.get('disks', [])],
        'ports': [_port(port) for port in inventory.get('ports', [])],
        'pci_devices': [_pci_device(device)
                        for device in inventory.get('pci_devices', [])],
    }
