"""Connection.apply_inventory and friends, straight on the database."""

from sysinv.db.sqlalchemy import models
from sysinv import exception
from sysinv.tests.unit import base


class ApplyInventoryTest(base.SysinvTestCase):

    def setUp(self):
        super().setUp()
        self.host = self.dbapi.create_unprovisioned_host(
            '08:00:27:00:00:01')

    def items(self, kind):
        return {getattr(row, models.HOST_ITEMS[kind][1]): row
                for row, _ in self.dbapi.item_get_list(
                    {'cpus': 'cpu', 'memory': 'memory', 'disks': 'disk',
                     'ports': 'port', 'pci_devices': 'pci_device'}[kind],
                    self.host.uuid)}

    def test_first_report_inserts_everything(self):
        changes = self.dbapi.apply_inventory(
            self.host.uuid, base.report(cpus=8, numa_nodes=2))
        self.assertEqual({'added': 8, 'updated': 0, 'removed': 0},
                         changes['cpus'])
        self.assertEqual(2, changes['memory']['added'])
        memory = self.items('memory')
        self.assertEqual(32768, memory[1].memtotal_mib)
        self.assertEqual(512, memory[1].vm_hugepages_nr_2M)
        self.assertTrue(memory[1].hugepages_configured)
        disk = self.items('disks')['/dev/sda']
        self.assertEqual('SN0000', disk.serial_id)
        self.assertEqual('N/A', disk.rpm)
        self.assertEqual({'model_num': 'SAMSUNG MZ7LH480'},
                         disk.capabilities)
        pci = self.items('pci_devices')['0000:05:00.1']
        self.assertEqual('pci_0000_05_00_1', pci.name)
        self.assertEqual(('020000', '8086', '10fb', 'nic'),
                         (pci.pclass_id, pci.pvendor_id, pci.pdevice_id,
                          pci.kind))
        self.assertTrue(pci.enabled)
        self.assertEqual('Application',
                         self.items('cpus')[0].allocated_function)

    def test_same_report_twice_changes_nothing(self):
        self.dbapi.apply_inventory(self.host.uuid, base.report())
        changes = self.dbapi.apply_inventory(self.host.uuid, base.report())
        for section in changes.values():
            self.assertEqual({'added': 0, 'updated': 0, 'removed': 0},
                             section)

    def test_operator_columns_survive_reports(self):
        self.dbapi.apply_inventory(self.host.uuid, base.report())
        with self.sysinv.database.writer() as session:
            session.query(models.Cpu).filter_by(cpu=0).update(
                {'allocated_function': 'Platform'})
            session.query(models.Memory).update(
                {'vm_hugepages_nr_2M_pending': 1024,
                 'platform_reserved_mib': 8000})
        changed = base.report()
        changed['cpus'][0]['cpu_model'] = 'New model'
        self.dbapi.apply_inventory(self.host.uuid, changed)
        cpu = self.items('cpus')[0]
        self.assertEqual(('Platform', 'New model'),
                         (cpu.allocated_function, cpu.cpu_model))
        memory = self.items('memory')[0]
        self.assertEqual((1024, 8000), (memory.vm_hugepages_nr_2M_pending,
                                        memory.platform_reserved_mib))

    def test_missing_section_is_left_alone_empty_section_empties(self):
        self.dbapi.apply_inventory(self.host.uuid, base.report())
        partial = base.report()
        del partial['disks']
        partial['pci_devices'] = []
        changes = self.dbapi.apply_inventory(self.host.uuid, partial)
        self.assertNotIn('disks', changes)
        self.assertEqual(2, len(self.items('disks')))
        self.assertEqual({}, self.items('pci_devices'))

    def test_bad_report_changes_nothing(self):
        self.dbapi.apply_inventory(self.host.uuid, base.report())
        bad = base.report(disks=0)
        bad['ports'] = [{'name': 'eth0', 'mtu': 'big'}]
        self.assertRaises(exception.InvalidInventory,
                          self.dbapi.apply_inventory, self.host.uuid, bad)
        self.assertEqual(2, len(self.items('disks')))

    def test_host_for_mac_and_discovery_race(self):
        self.assertEqual(self.host.uuid,
                         self.dbapi.host_for_mac('08-00-27-00-00-01').uuid)
        self.assertIsNone(self.dbapi.host_for_mac('08:00:27:00:00:02'))
        again = self.dbapi.create_unprovisioned_host('08:00:27:00:00:01')
        self.assertEqual(self.host.uuid, again.uuid)

    def test_destroy_takes_the_inventory_along(self):
        self.dbapi.apply_inventory(self.host.uuid, base.report())
        self.dbapi.host_destroy(self.host.uuid)
        with self.sysinv.database.reader() as session:
            for model, _key in models.HOST_ITEMS.values():
                self.assertEqual(0, session.query(model).count())

    def test_destroy_refuses_unlocked(self):
        self.dbapi.host_update(self.host.uuid,
                               {'administrative': 'unlocked'})
        self.assertRaises(exception.HostNotLocked, self.dbapi.host_destroy,
                          self.host.uuid)

    def test_paging_hosts_with_null_hostnames(self):
        for i in range(2, 6):
            self.dbapi.create_unprovisioned_host('08:00:27:00:00:%02d' % i)
        self.dbapi.host_update(self.host.uuid, {'hostname': 'b'})
        seen, marker = [], None
        while True:
            page = self.dbapi.host_get_list(limit=2, marker=marker,
                                            sort_key='hostname',
                                            sort_dir='asc')
            seen += [h.uuid for h in page]
            if len(page) < 2:
                break
            marker = page[-1].uuid
        self.assertEqual(5, len(set(seen)))
        self.assertEqual(self.host.uuid, seen[-1])
