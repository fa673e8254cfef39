"""Odd, partial and malformed trees: report what is there, never raise."""

from sysinv.agent import inventory
from sysinv.agent.inventory import _sysfs
from sysinv.agent.inventory import cpu
from sysinv.agent.inventory import disk
from sysinv.agent.inventory import memory
from sysinv.agent.inventory import network
from sysinv.agent.inventory import pci
from sysinv.tests.unit.inventory import base


class TestEmptyTree(base.InventoryTestCase):
    def test_nothing_at_all(self):
        result = inventory.collect(self.root)
        self.assertEqual({
            'hostname': None, 'mgmt_mac': None, 'cpus': [],
            'cpu_summary': {
                'cpus': 0, 'sockets': 0, 'cores_per_socket': 0,
                'threads_per_core': 0, 'hyperthreading': False,
                'numa_nodes': 0, 'cpu_model': None},
            'memory': [], 'disks': [], 'ports': [], 'pci_devices': [],
        }, result)


class TestCpu(base.InventoryTestCase):
    def test_no_numa_directory_smt_off(self):
        for n in range(4):
            self.cpu(n, 0, n, n)
        self.write({'sys/devices/system/cpu/online': '0-3',
                    'proc/cpuinfo': ''.join(
                        'processor\t: %d\nmodel name\t: Atom\n'
                        'cpu family\t: 6\n\n' % n for n in range(4))})
        cpus = cpu.collect(self.root)
        self.assertEqual([0, 1, 2, 3], [c['cpu'] for c in cpus])
        self.assertEqual({0}, {c['numa_node'] for c in cpus})
        self.assertEqual({0}, {c['thread'] for c in cpus})
        self.assertEqual('Atom', cpus[3]['cpu_model'])
        self.assertEqual('6', cpus[3]['cpu_family'])
        summary = cpu.summarize(cpus)
        self.assertEqual(1, summary['sockets'])
        self.assertEqual(4, summary['cores_per_socket'])
        self.assertEqual(1, summary['threads_per_core'])
        self.assertFalse(summary['hyperthreading'])

    def test_smt_siblings_numbered_apart(self):
        # Intel numbering: cpu0 and cpu2 share core 0.
        self.cpu(0, 0, 0, '0,2')
        self.cpu(1, 0, 4, '1,3')
        self.cpu(2, 0, 0, '0,2')
        self.cpu(3, 0, 4, '1,3')
        self.write({'sys/devices/system/node/node0/cpulist': '0-3'})
        cpus = cpu.collect(self.root)
        self.assertEqual([0, 0, 1, 1], [c['thread'] for c in cpus])
        summary = cpu.summarize(cpus)
        self.assertEqual(2, summary['cores_per_socket'])
        self.assertTrue(summary['hyperthreading'])

    def test_offline_and_malformed_cpus_skipped(self):
        self.cpu(0, 0, 0, 0)
        self.cpu(1, 0, 'garbage', 1)
        self.cpu(2, 0, 2, 2)
        self.cpu(3, 0, 3, '3-x')
        self.write({'sys/devices/system/cpu/online': '0-1,3',
                    'proc/cpuinfo': 'processor: nope\n\nrandom text'})
        cpus = cpu.collect(self.root)
        self.assertEqual([0, 3], [c['cpu'] for c in cpus])
        self.assertEqual(0, cpus[1]['thread'])
        self.assertIsNone(cpus[0]['cpu_model'])


class TestMemory(base.InventoryTestCase):
    def test_no_numa_falls_back_to_proc_and_global_pages(self):
        pages = 'sys/kernel/mm/hugepages/hugepages-1048576kB/'
        self.write({
            'proc/meminfo': 'MemTotal:  16777216 kB\n'
                            'MemAvailable:  8388608 kB\n'
                            'HugePages_Total:   0\n',
            pages + 'nr_hugepages': 4,
            pages + 'free_hugepages': 3,
        })
        self.assertEqual([{
            'numa_node': 0, 'total_mib': 16384, 'available_mib': 8192,
            'hugepages_2m_total_mib': 0, 'hugepages_2m_free_mib': 0,
            'hugepages_1g_total_mib': 4096, 'hugepages_1g_free_mib': 3072,
        }], memory.collect(self.root))

    def test_nodes_with_a_malformed_one(self):
        node = 'sys/devices/system/node/node%d/'
        self.write({
            node % 0 + 'meminfo': 'Node 0 MemTotal:  2097152 kB\n'
                                  'Node 0 MemFree:  1048576 kB\n'
                                  'Node 0 FilePages:  1024 kB\n'
                                  'this line is junk\n',
            node % 0 + 'hugepages/hugepages-2048kB/nr_hugepages': 10,
            node % 0 + 'hugepages/hugepages-2048kB/free_hugepages': 'x',
            node % 1 + 'meminfo': '\x00\x01 binary junk',
        })
        nodes = memory.collect(self.root)
        self.assertEqual(1, len(nodes))
        self.assertEqual(2048, nodes[0]['total_mib'])
        self.assertEqual(1025, nodes[0]['available_mib'])
        self.assertEqual(20, nodes[0]['hugepages_2m_total_mib'])
        self.assertEqual(0, nodes[0]['hugepages_2m_free_mib'])


class TestDisk(base.InventoryTestCase):
    def test_types_serials_and_virtual_devices(self):
        scsi = 'sys/devices/pci0000:00/0000:00:17.0/ata1/host0/' \
               'target0:0:0/0:0:0:0'
        self.write({scsi + '/model': 'ST4000NM000A    ',
                    scsi + '/vpd_pg80': b'\x00\x80\x00\x08ZC1ABCDE',
                    scsi + '/block/sda/size': 2048 * 1024,
                    scsi + '/block/sda/queue/rotational': 1})
        self.link(scsi + '/block/sda/device', scsi)
        self.link('sys/block/sda', scsi + '/block/sda')
        self.link('dev/disk/by-path/pci-0000:00:17.0-ata-1', 'dev/sda')
        self.link('dev/disk/by-path/pci-0000:00:17.0-ata-1-part1',
                  'dev/sda1')
        ctrl = 'sys/devices/pci0000:00/0000:18:00.0/nvme/nvme0'
        self.write({ctrl + '/serial': 'S4ABC  ', ctrl + '/model': 'NV',
                    ctrl + '/nvme0n1/size': 4096,
                    ctrl + '/nvme0n1/queue/rotational': 0})
        self.link(ctrl + '/nvme0n1/device', ctrl)
        self.link('sys/block/nvme0n1', ctrl + '/nvme0n1')
        self.write({'sys/devices/virtual/block/loop0/size': 100,
                    'sys/devices/virtual/block/weird0/size': 100,
                    'sys/block/vdb/size': 'not a number',
                    'sys/block/vda/size': 8192,
                    'sys/block/vda/serial': 'overlayblk',
                    'sys/block/vda/queue/rotational': 0})
        self.link('sys/block/loop0', 'sys/devices/virtual/block/loop0')
        self.link('sys/block/weird0', 'sys/devices/virtual/block/weird0')
        disks = {d['name']: d for d in disk.collect(self.root)}
        self.assertEqual(['nvme0n1', 'sda', 'vda'], sorted(disks))
        sda = disks['sda']
        self.assertEqual('/dev/sda', sda['device_node'])
        self.assertEqual('/dev/disk/by-path/pci-0000:00:17.0-ata-1',
                         sda['device_path'])
        self.assertEqual(('HDD', 1024, 'ZC1ABCDE', 'ST4000NM000A'),
                         (sda['device_type'], sda['size_mib'],
                          sda['serial_id'], sda['model_num']))
        self.assertEqual('0000:00:17.0', sda['pci_address'])
        nvme = disks['nvme0n1']
        self.assertEqual(('NVME', 2, 'S4ABC', 'NV', None),
                         (nvme['device_type'], nvme['size_mib'],
                          nvme['serial_id'], nvme['model_num'],
                          nvme['device_path']))
        self.assertEqual(('SSD', 'overlayblk', None),
                         (disks['vda']['device_type'],
                          disks['vda']['serial_id'],
                          disks['vda']['pci_address']))

    def test_malformed_vpd_page_falls_back_to_wwid(self):
        self.write({'sys/block/sdb/size': 2048,
                    'sys/block/sdb/device/vpd_pg80': b'\x00\x83',
                    'sys/block/sdb/wwid': 'naa.5000c500a1b2c3d4'})
        (sdb,) = disk.collect(self.root)
        self.assertEqual('naa.5000c500a1b2c3d4', sdb['serial_id'])
        self.assertEqual('SSD', sdb['device_type'])


class TestNetworkAndPci(base.InventoryTestCase):
    def test_ports(self):
        nic = self.pci_function('0000:18:00.0', '020000', '8086', '159b',
                                driver='ice', numa_node=1,
                                sriov_totalvfs=64, sriov_numvfs=8)
        self.port('enp24s0f0', nic, '02:AA:BB:CC:DD:EE', 9000, 25000)
        # virtio: the netdev's device is a child of the PCI function.
        virtio = self.pci_function('0000:00:03.0', '020000', '1af4',
                                   '1041', driver='virtio-pci')
        self.write({virtio + '/virtio2/vendor': '0x1af4'})
        self.link(virtio + '/virtio2/driver',
                  'sys/bus/virtio/drivers/virtio_net')
        self.port('eth0', virtio + '/virtio2', '02:fc:00:00:00:01', 1400,
                  -1)
        self.write({'sys/devices/platform/soc/0.ethernet/x': ''})
        self.port('end0', 'sys/devices/platform/soc/0.ethernet',
                  'not-a-mac', 'junk', 'junk')
        self.port('lo', 'sys/devices/virtual/net/lo', '00:00:00:00:00:00')
        self.port('br0', 'sys/devices/virtual/net/br0', '02:00:00:00:00:09')
        ports = {p['name']: p for p in network.collect(self.root)}
        self.assertEqual(['end0', 'enp24s0f0', 'eth0'], sorted(ports))
        self.assertEqual({
            'name': 'enp24s0f0', 'mac': '02:aa:bb:cc:dd:ee', 'mtu': 9000,
            'speed': 25000, 'operstate': None, 'driver': 'ice',
            'pci_address': '0000:18:00.0', 'numa_node': 1,
            'sriov_totalvfs': 64, 'sriov_numvfs': 8,
        }, ports['enp24s0f0'])
        self.assertEqual(('virtio_net', '0000:00:03.0', None, None),
                         (ports['eth0']['driver'],
                          ports['eth0']['pci_address'],
                          ports['eth0']['speed'],
                          ports['eth0']['numa_node']))
        self.assertEqual((None, None, None, None, None),
                         (ports['end0']['mac'], ports['end0']['mtu'],
                          ports['end0']['pci_address'],
                          ports['end0']['driver'],
                          ports['end0']['sriov_totalvfs']))
        # The first port by name is end0, whose MAC is unreadable.
        self.assertEqual('02:aa:bb:cc:dd:ee',
                         inventory.collect(self.root)['mgmt_mac'])

    def test_pci_kinds(self):
        self.pci_function('0000:00:02.0', '030000', '8086', '3e92')
        self.pci_function('0000:3b:00.0', '030200', '10de', '1eb8',
                          driver='nvidia', numa_node=0)
        self.pci_function('0000:3d:00.0', '0b4000', '8086', '37c8',
                          driver='c6xx')
        self.pci_function('0000:3e:00.0', '108000', '1234', '0001')
        self.pci_function('0000:3f:00.0', '0b4000', '1234', '37c8')
        self.pci_function('0000:18:00.0', '020000', '15b3', '101d')
        self.pci_function('0000:00:1f.0', 'zz', '8086', 'a1c1')
        self.write({'sys/bus/pci/devices/not-an-address/class': '0x0'})
        found = {d['address']: d for d in pci.collect(self.root)}
        self.assertEqual({
            '0000:00:02.0': 'gpu', '0000:3b:00.0': 'gpu',
            '0000:3d:00.0': 'crypto', '0000:3e:00.0': 'crypto',
            '0000:3f:00.0': 'other', '0000:18:00.0': 'network',
        }, {a: d['kind'] for a, d in found.items()})
        self.assertEqual({
            'address': '0000:3b:00.0', 'class_id': '030200',
            'vendor_id': '10de', 'device_id': '1eb8', 'driver': 'nvidia',
            'numa_node': 0, 'sriov_totalvfs': None, 'sriov_numvfs': None,
            'kind': 'gpu'}, found['0000:3b:00.0'])


class TestHelpers(base.InventoryTestCase):
    def test_parse_cpulist(self):
        self.assertEqual([0, 1, 2, 5, 8, 9],
                         _sysfs.parse_cpulist('0-2,5,8-9\n'))
        self.assertEqual([], _sysfs.parse_cpulist(''))
        self.assertIsNone(_sysfs.parse_cpulist('3-1'))
        self.assertIsNone(_sysfs.parse_cpulist('a,b'))

    def test_hostname(self):
        self.write({'proc/sys/kernel/hostname': 'worker-0'})
        self.assertEqual('worker-0',
                         inventory.collect(self.root)['hostname'])

    def test_unreadable_file_is_skipped(self):
        self.write({'sys/class/net/eth9/mtu/oops': 1})  # a dir, not a file
        self.assertIsNone(_sysfs.read_int(
            _sysfs.path(self.root, 'sys/class/net/eth9/mtu')))
