"""sysinv-agent on a simulated host: discovery, report, conductor, API."""

import os

import fixtures

from hostsim import tree
from sysinv.agent import service as agent_service
from sysinv.tests.unit import base


class AgentTest(base.SysinvTestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        self.facts = tree.generate('worker', self.root, 'worker-7')
        self.sysinv.conf.set_override('root', self.root, 'agent')
        self.agent = agent_service.AgentService(
            self.sysinv.conf, self.sysinv.rpc_transport)

    def _host(self):
        hosts = self.app.get('/v1/ihosts').json['ihosts']
        self.assertEqual(1, len(hosts))
        return hosts[0]

    def _items(self, host, collection):
        return self.app.get('/v1/ihosts/%s/%s' % (
            host['uuid'], collection)).json[collection]

    def test_first_report_discovers_the_host_with_its_inventory(self):
        uuid = self.agent.report_once(self.sysinv.conductor_api)
        host = self._host()
        self.assertEqual(uuid, host['uuid'])
        self.assertEqual(self.facts['mgmt_mac'], host['mgmt_mac'])
        self.assertEqual('unprovisioned', host['invprovision'])

        cpus = self._items(host, 'icpus')
        self.assertEqual(2 * 16 * 2, len(cpus))
        self.assertEqual({0, 1}, {c['numa_node'] for c in cpus})
        self.assertEqual({0, 1}, {c['thread'] for c in cpus})
        memory = self._items(host, 'imemorys')
        self.assertEqual(2, len(memory))
        # The profile reserves 2048 2M pages and 16 1G pages per node.
        self.assertEqual([2048, 2048],
                         [m['vm_hugepages_nr_2M'] for m in memory])
        self.assertEqual([16, 16], [m['vm_hugepages_nr_1G'] for m in memory])
        disks = self._items(host, 'idisks')
        self.assertEqual(len(self.facts['disks']), len(disks))
        self.assertIn('NVME', {d['device_type'] for d in disks})
        ports = self._items(host, 'ports')
        self.assertEqual(len(self.facts['ports']), len(ports))
        self.assertTrue(any(p['sriov_totalvfs'] for p in ports))
        kinds = {d['kind'] for d in self._items(host, 'pci_devices')}
        self.assertTrue({'gpu', 'crypto'} <= kinds, kinds)

    def test_rereport_updates_in_place_and_drops_a_removed_disk(self):
        self.agent.report_once(self.sysinv.conductor_api)
        host = self._host()
        before = {d['device_node']: d['uuid']
                  for d in self._items(host, 'idisks')}
        cpus_before = {c['uuid'] for c in self._items(host, 'icpus')}
        removed = sorted(before)[-1]
        # /sys/block/<disk> is a link into the device tree: unplug it.
        os.unlink(os.path.join(self.root, 'sys', 'block',
                               os.path.basename(removed)))
        self.agent.report_once(self.sysinv.conductor_api)
        after = {d['device_node']: d['uuid']
                 for d in self._items(host, 'idisks')}
        self.assertNotIn(removed, after)
        self.assertEqual({k: v for k, v in before.items() if k != removed},
                         after)
        self.assertEqual(cpus_before,
                         {c['uuid'] for c in self._items(host, 'icpus')})

    def test_service_reports_on_start(self):
        self.agent.start()
        self.addCleanup(self.agent.stop)
        base.stx_fixtures.wait_for(lambda: self.agent.reports)
        self.assertEqual(self.agent.host_uuid, self._host()['uuid'])


class RealHostAgentTest(base.SysinvTestCase):
    """The agent on the machine running the tests: its report is taken."""

    def test_this_machine(self):
        self.sysinv.conf.set_override('root', '/', 'agent')
        agent = agent_service.AgentService(self.sysinv.conf,
                                           self.sysinv.rpc_transport)
        uuid = agent.report_once(self.sysinv.conductor_api)
        cpus = self.app.get('/v1/ihosts/%s/icpus' % uuid).json['icpus']
        self.assertEqual(os.cpu_count(), len(cpus))
        memory = self.app.get('/v1/ihosts/%s/imemorys' % uuid).json[
            'imemorys']
        self.assertTrue(memory and all(m['memtotal_mib'] for m in memory))
