"""Write a fake /sys + /proc tree for a simulated host.

The tree follows the real Linux layout closely enough for the real
sysinv-agent inventory: CPU topology and NUMA placement, per-node meminfo
and huge pages, block devices behind an AHCI controller or NVMe, network
ports on PCI functions (or a platform device), GPUs and QuickAssist
functions. Only plain files, directories and relative symlinks are
written, all under ``root``. MACs and serial numbers derive from a hash
of the hostname, so a host looks the same every time it is generated.
"""

import copy
import hashlib
import os
import shutil

from hostsim.tree import _writer
from hostsim.tree import profile as profile_mod

MARKER = '.hostsim-tree'
PCI_ROOT = 'sys/devices/pci0000:00'
AHCI = {'address': '0000:00:17.0', 'class_id': '010601',
        'vendor_id': '8086', 'device_id': 'a352', 'driver': 'ahci'}
HOST_BRIDGE = {'address': '0000:00:00.0', 'class_id': '060000',
               'vendor_id': '8086', 'device_id': '2020', 'driver': None}
NVME = {'class_id': '010802', 'vendor_id': '144d', 'device_id': 'a80a',
        'driver': 'nvme'}
FIRST_BUS = 0x18
KIB_PER_MIB = 1024


def generate(profile, root, hostname, macs=None):
    """Write the tree for ``profile`` (a name, path or loaded dict).

    ``macs`` overrides generated MACs, as a list in port order or a
    {port name: mac} dict. A tree previously generated at ``root`` is
    replaced; anything else already there is refused. Returns the facts
    a test or the BMC simulator needs (hostname, mgmt_mac, ports ...,
    and the BMC's ``sensors``).
    """
    if not isinstance(profile, dict):
        profile = profile_mod.load(profile)
    root = os.path.abspath(root)
    _prepare(root)
    tree = _writer.Tree(root)
    tree.write(MARKER, profile['name'])
    tree.write('proc/sys/kernel/hostname', hostname)
    numa_nodes = profile['numa_nodes']
    cpus = _write_cpus(tree, profile['cpu'], numa_nodes)
    _write_memory(tree, profile['memory'], numa_nodes)
    buses = iter(range(FIRST_BUS, 0x100))
    _write_pci(tree, HOST_BRIDGE, 0 if numa_nodes else -1)
    disks = _write_disks(tree, profile['disks'], hostname, buses,
                         numa_nodes)
    ports = _write_nics(tree, profile['nics'], hostname, macs, buses,
                        numa_nodes)
    for i, device in enumerate(profile['pci_devices']):
        _write_pci(tree, dict(device, address=_address(next(buses))),
                   _numa(device['numa_node'], i, numa_nodes))
    ports.sort(key=lambda port: port['name'])
    return {
        'hostname': hostname,
        'root': root,
        'profile': profile['name'],
        'mgmt_mac': ports[0]['mac'] if ports else None,
        'cpus': cpus,
        'numa_nodes': numa_nodes,
        'disks': disks,
        'ports': ports,
        'sensors': copy.deepcopy(profile['sensors']),
    }


def derived_mac(hostname, index):
    """A locally administered unicast MAC, stable for hostname/index."""
    digest = _digest(hostname, 'mac', index)
    return '02:' + ':'.join('%02x' % b for b in digest[:5])


def _prepare(root):
    if os.path.realpath(root) == os.sep:
        raise ValueError('refusing to generate a hardware tree at /')
    if os.path.exists(os.path.join(root, MARKER)):
        for top in ('sys', 'proc', 'dev'):
            shutil.rmtree(os.path.join(root, top), ignore_errors=True)
    elif any(os.path.exists(os.path.join(root, top))
             for top in ('sys', 'proc')):
        raise FileExistsError('%s already holds a sys or proc tree that '
                              'hostsim did not generate' % root)


def _digest(hostname, *parts):
    text = '/'.join(str(p) for p in (hostname,) + parts)
    return hashlib.sha256(text.encode()).digest()


def _numa(configured, index, numa_nodes):
    """A device's node: as configured, else round robin; -1 without NUMA."""
    if not numa_nodes:
        return -1
    return configured if configured is not None else index % numa_nodes


def _address(bus):
    return '0000:%02x:00.0' % bus


def _write_cpus(tree, cpu, numa_nodes):
    sockets, cores = cpu['sockets'], cpu['cores_per_socket']
    threads = cpu['threads_per_core']
    per_thread = sockets * cores
    count = per_thread * threads
    cpu_dir = 'sys/devices/system/cpu'
    everything = _writer.cpulist(range(count))
    for name in ('online', 'possible', 'present'):
        tree.write('%s/%s' % (cpu_dir, name), everything)
    node_cpus = {}
    cpuinfo = []
    # Linux numbers first threads of every core, then second threads.
    for logical in range(count):
        thread, rest = divmod(logical, per_thread)
        socket, core = divmod(rest, cores)
        siblings = [t * per_thread + rest for t in range(threads)]
        package = [t * per_thread + socket * cores + c
                   for t in range(threads) for c in range(cores)]
        topology = '%s/cpu%d/topology/' % (cpu_dir, logical)
        tree.write(topology + 'physical_package_id', socket)
        tree.write(topology + 'die_id', 0)
        tree.write(topology + 'core_id', core)
        tree.write(topology + 'thread_siblings_list',
                   _writer.cpulist(siblings))
        tree.write(topology + 'core_siblings_list', _writer.cpulist(package))
        if numa_nodes:
            node = rest * numa_nodes // per_thread
            node_cpus.setdefault(node, []).append(logical)
        cpuinfo.append(
            'processor\t: %d\nvendor_id\t: %s\ncpu family\t: %d\n'
            'model name\t: %s\nphysical id\t: %d\nsiblings\t: %d\n'
            'core id\t\t: %d\ncpu cores\t: %d\n\n'
            % (logical, cpu['vendor'], cpu['family'], cpu['model'], socket,
               cores * threads, core, cores))
    tree.write('proc/cpuinfo', ''.join(cpuinfo))
    node_dir = 'sys/devices/system/node'
    for node, members in node_cpus.items():
        tree.write('%s/node%d/cpulist' % (node_dir, node),
                   _writer.cpulist(members))
    if numa_nodes:
        nodes = _writer.cpulist(range(numa_nodes))
        tree.write(node_dir + '/online', nodes)
        tree.write(node_dir + '/possible', nodes)
    return count


def _write_memory(tree, memory, numa_nodes):
    nodes = max(numa_nodes, 1)
    node_kib = memory['total_gib'] * 1024 * KIB_PER_MIB // nodes
    pages = {2048: memory['hugepages_2m'], 1048576: memory['hugepages_1g']}
    reserved_kib = sum(size * n for size, n in pages.items())
    used_kib = node_kib // 50 + 256 * KIB_PER_MIB  # the kernel's share
    cached_kib = node_kib // 100
    free_kib = node_kib - reserved_kib - used_kib - cached_kib
    for node in range(numa_nodes):
        prefix = 'Node %d ' % node
        lines = [('MemTotal', node_kib), ('MemFree', free_kib),
                 ('MemUsed', node_kib - free_kib), ('FilePages', cached_kib),
                 ('Shmem', 0), ('SReclaimable', used_kib // 10)]
        text = ''.join('%s%s:%16d kB\n' % (prefix, k, v) for k, v in lines)
        text += ''.join('%s%s:%6d\n' % (prefix, k, pages[2048])
                        for k in ('HugePages_Total', 'HugePages_Free'))
        text += prefix + 'HugePages_Surp:     0\n'
        node_dir = 'sys/devices/system/node/node%d' % node
        tree.write(node_dir + '/meminfo', text)
        _write_hugepages(tree, node_dir + '/hugepages', pages)
    total_kib = node_kib * nodes
    free_total = free_kib * nodes
    lines = [('MemTotal', total_kib), ('MemFree', free_total),
             ('MemAvailable', free_total + cached_kib * nodes),
             ('Cached', cached_kib * nodes)]
    text = ''.join('%s:%16d kB\n' % (k, v) for k, v in lines)
    text += ''.join('%s:%6d\n' % (k, pages[2048] * nodes)
                    for k in ('HugePages_Total', 'HugePages_Free'))
    text += 'Hugepagesize:       2048 kB\nHugetlb:%16d kB\n' % (
        reserved_kib * nodes)
    tree.write('proc/meminfo', text)
    _write_hugepages(tree, 'sys/kernel/mm/hugepages',
                     {size: n * nodes for size, n in pages.items()})


def _write_hugepages(tree, base, pages):
    for size, count in pages.items():
        for name in ('nr_hugepages', 'free_hugepages'):
            tree.write('%s/hugepages-%dkB/%s' % (base, size, name), count)
        tree.write('%s/hugepages-%dkB/surplus_hugepages' % (base, size), 0)


def _write_pci(tree, device, numa_node, sriov=None):
    """A PCI function; returns its directory under /sys/devices."""
    address = device['address']
    pci_dir = '%s/%s' % (PCI_ROOT, address)
    tree.write(pci_dir + '/class', '0x' + device['class_id'])
    tree.write(pci_dir + '/vendor', '0x' + device['vendor_id'])
    tree.write(pci_dir + '/device', '0x' + device['device_id'])
    tree.write(pci_dir + '/numa_node', numa_node)
    if device.get('driver'):
        driver_dir = 'sys/bus/pci/drivers/' + device['driver']
        tree.mkdir(driver_dir)
        tree.link(pci_dir + '/driver', driver_dir)
    if sriov and sriov[0]:
        tree.write(pci_dir + '/sriov_totalvfs', sriov[0])
        tree.write(pci_dir + '/sriov_numvfs', sriov[1])
    tree.link('sys/bus/pci/devices/' + address, pci_dir)
    return pci_dir


def _disk_name(index):
    """sda .. sdz, sdaa .. (the kernel's sd naming)."""
    letters = ''
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(ord('a') + rem) + letters
    return 'sd' + letters


def _write_disks(tree, disks, hostname, buses, numa_nodes):
    facts = []
    scsi = [d for d in disks if d['type'] != 'NVME']
    nvme = [d for d in disks if d['type'] == 'NVME']
    if scsi:
        ahci_dir = _write_pci(tree, AHCI, 0 if numa_nodes else -1)
    for port, disk in enumerate(scsi):
        name = _disk_name(port)
        serial = _serial(hostname, len(facts))
        scsi_dir = '%s/ata%d/host%d/target%d:0:0/%d:0:0:0' % (
            ahci_dir, port + 1, port, port, port)
        tree.write(scsi_dir + '/vendor', 'ATA     ')
        tree.write(scsi_dir + '/model', disk['model'][:16].ljust(16))
        raw = serial.encode('ascii')
        tree.write_bytes(scsi_dir + '/vpd_pg80',
                         bytes((0, 0x80, 0, len(raw))) + raw)
        tree.write(scsi_dir + '/wwid', 't10.ATA     %s %s'
                   % (disk['model'], serial))
        block_dir = scsi_dir + '/block/' + name
        tree.link(block_dir + '/device', scsi_dir)
        _write_block(tree, block_dir, name, disk,
                     'pci-%s-ata-%d' % (AHCI['address'], port + 1))
        facts.append(_disk_facts(name, disk, serial))
    for k, disk in enumerate(nvme):
        name = 'nvme%dn1' % k
        serial = _serial(hostname, len(facts))
        address = _address(next(buses))
        pci_dir = _write_pci(tree, dict(NVME, address=address),
                             _numa(None, k, numa_nodes))
        ctrl_dir = '%s/nvme/nvme%d' % (pci_dir, k)
        tree.write(ctrl_dir + '/serial', serial.ljust(20))
        tree.write(ctrl_dir + '/model', disk['model'].ljust(40))
        block_dir = '%s/%s' % (ctrl_dir, name)
        tree.write(block_dir + '/wwid', 'eui.%s' % _digest(
            hostname, 'eui', k).hex()[:16])
        tree.link(block_dir + '/device', ctrl_dir)
        _write_block(tree, block_dir, name, disk,
                     'pci-%s-nvme-1' % address)
        facts.append(_disk_facts(name, disk, serial))
    return facts


def _serial(hostname, index):
    return 'SIM' + _digest(hostname, 'disk', index).hex()[:12].upper()


def _disk_facts(name, disk, serial):
    return {'name': name, 'device_type': disk['type'],
            'size_mib': disk['size_gib'] * 1024, 'serial_id': serial,
            'model_num': disk['model']}


def _write_block(tree, block_dir, name, disk, by_path):
    tree.write(block_dir + '/size', disk['size_gib'] * 1024 * 2048)
    tree.write(block_dir + '/removable', 0)
    tree.write(block_dir + '/queue/rotational',
               1 if disk['type'] == 'HDD' else 0)
    tree.link('sys/block/' + name, block_dir)
    # A dangling link, as udev's would be without the device node.
    tree.link('dev/disk/by-path/' + by_path, 'dev/' + name)


def _write_nics(tree, nics, hostname, macs, buses, numa_nodes):
    ports = []
    tree.write('sys/devices/virtual/net/lo/address', '00:00:00:00:00:00')
    tree.write('sys/devices/virtual/net/lo/mtu', 65536)
    tree.link('sys/class/net/lo', 'sys/devices/virtual/net/lo')
    for i, nic in enumerate(nics):
        if nic['bus'] == 'pci':
            bus = next(buses)
            address = _address(bus)
            device_dir = _write_pci(
                tree, dict(nic, address=address, class_id='020000'),
                _numa(nic['numa_node'], i, numa_nodes),
                (nic['sriov_totalvfs'], nic['sriov_numvfs']))
            name = nic['name'] or 'enp%ds0f0' % bus
        else:
            address = None
            name = nic['name'] or 'eth%d' % i
            device_dir = 'sys/devices/platform/soc/%d.ethernet' % i
            driver_dir = 'sys/bus/platform/drivers/' + nic['driver']
            tree.mkdir(driver_dir)
            tree.link(device_dir + '/driver', driver_dir)
        mac = _mac_for(macs, i, name) or derived_mac(hostname, i)
        net_dir = '%s/net/%s' % (device_dir, name)
        tree.write(net_dir + '/address', mac)
        tree.write(net_dir + '/mtu', nic['mtu'])
        tree.write(net_dir + '/speed', nic['speed'])
        tree.write(net_dir + '/operstate', 'up')
        tree.write(net_dir + '/type', 1)
        tree.link(net_dir + '/device', device_dir)
        tree.link('sys/class/net/' + name, net_dir)
        ports.append({'name': name, 'mac': mac, 'mtu': nic['mtu'],
                      'pci_address': address,
                      'sriov_totalvfs': nic['sriov_totalvfs'] or None,
                      'sriov_numvfs': (nic['sriov_numvfs']
                                       if nic['sriov_totalvfs'] else None)})
    return ports


def _mac_for(macs, index, name):
    if isinstance(macs, dict):
        return macs.get(name)
    if macs and index < len(macs):
        return macs[index]
    return None
