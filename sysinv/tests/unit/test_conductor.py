"""Agent reports over RPC: discovery of new hosts, in-place updates."""

from sysinv import exception
from sysinv.tests.unit import base


class ReportInventoryTest(base.SysinvTestCase):

    def report(self, payload):
        return self.sysinv.conductor_api.report_inventory(
            self.sysinv.context, payload)

    def test_unknown_mac_discovers_an_unprovisioned_host(self):
        uuid = self.report(base.report(mac='08:00:27:AA:00:01'))
        host = self.app.get('/v1/ihosts/%s' % uuid).json
        self.assertEqual('08:00:27:aa:00:01', host['mgmt_mac'])
        self.assertIsNone(host['hostname'])
        self.assertIsNone(host['personality'])
        self.assertEqual('unprovisioned', host['invprovision'])
        self.assertEqual('locked', host['administrative'])
        self.assertEqual('disabled', host['operational'])
        self.assertEqual('offline', host['availability'])
        cpus = self.app.get('/v1/ihosts/%s/icpus' % uuid).json['icpus']
        self.assertEqual([0, 1, 2, 3], [c['cpu'] for c in cpus])
        self.assertEqual({uuid}, {c['ihost_uuid'] for c in cpus})

    def test_same_mac_reports_to_the_same_host(self):
        first = self.report(base.report())
        second = self.report(base.report())
        self.assertEqual(first, second)
        self.assertEqual(1, len(self.app.get('/v1/ihosts').json['ihosts']))

    def test_known_host_keeps_its_name_and_is_provisioned(self):
        added = self.add_host('worker-3', '08:00:27:00:00:33')
        self.assertEqual('unprovisioned', added['invprovision'])
        uuid = self.report(base.report(mac='08:00:27:00:00:33',
                                       hostname='localhost'))
        self.assertEqual(added['uuid'], uuid)
        host = self.app.get('/v1/ihosts/worker-3').json
        self.assertEqual('worker-3', host['hostname'])
        self.assertEqual('provisioned', host['invprovision'])

    def test_adding_a_discovered_host_provisions_it(self):
        uuid = self.report(base.report(mac='08:00:27:00:00:44'))
        added = self.add_host('worker-4', '08:00:27:00:00:44',
                              location={'locn': 'Rack 9'})
        self.assertEqual(uuid, added['uuid'])
        self.assertEqual(('worker-4', 'worker', 'provisioned'),
                         (added['hostname'], added['personality'],
                          added['invprovision']))
        self.assertEqual(4, len(self.app.get(
            '/v1/ihosts/worker-4/icpus').json['icpus']))
        self.assertEqual(1, len(self.app.get('/v1/ihosts').json['ihosts']))
        # Once named, the MAC is taken.
        response = self.app.post_json('/v1/ihosts', {
            'hostname': 'worker-5', 'personality': 'worker',
            'mgmt_mac': '08:00:27:00:00:44'}, status=409)
        self.assertIn('mgmt_mac', self.error(response))

    def test_second_report_updates_in_place_and_drops_vanished(self):
        uuid = self.report(base.report(disks=3, ports=3))

        def listing(path, key, natural_key):
            rows = self.app.get('/v1/ihosts/%s/%s' % (uuid, path)).json[key]
            return {row[natural_key]: row for row in rows}

        disks = listing('idisks', 'idisks', 'device_node')
        ports = listing('ports', 'ports', 'name')
        cpus = listing('icpus', 'icpus', 'cpu')
        memory = listing('imemorys', 'imemorys', 'numa_node')

        changed = base.report(disks=2, ports=2)
        changed['memory'][0]['available_mib'] = 12345
        changed['ports'][0]['mtu'] = 9000
        self.assertEqual(uuid, self.report(changed))

        new_disks = listing('idisks', 'idisks', 'device_node')
        new_ports = listing('ports', 'ports', 'name')
        self.assertEqual(['/dev/sda', '/dev/sdb'], sorted(new_disks))
        self.assertEqual(['eth0', 'eth1'], sorted(new_ports))
        for name, row in new_disks.items():
            self.assertEqual(disks[name]['uuid'], row['uuid'])
        for name, row in new_ports.items():
            self.assertEqual(ports[name]['uuid'], row['uuid'])
        self.assertEqual(9000, new_ports['eth0']['mtu'])
        self.assertEqual(
            {c['uuid'] for c in cpus.values()},
            {c['uuid'] for c in listing('icpus', 'icpus', 'cpu').values()})
        new_memory = listing('imemorys', 'imemorys', 'numa_node')
        self.assertEqual(memory[0]['uuid'], new_memory[0]['uuid'])
        self.assertEqual(12345, new_memory[0]['memavail_mib'])
        self.app.get('/v1/idisks/%s' % disks['/dev/sdc']['uuid'],
                     status=404)

    def test_bad_reports_are_refused_and_create_nothing(self):
        bad = [
            {},
            {'mgmt_mac': 'not-a-mac'},
            dict(base.report(), cpus='four'),
            dict(base.report(), cpus=[{'cpu': -1}]),
            dict(base.report(), cpus=[{'cpu': 0}, {'cpu': 0}]),
            dict(base.report(), disks=[{'device_node': '/dev/sda',
                                        'device_type': 'TAPE'}]),
            dict(base.report(), ports=[{'name': 'eth0', 'mac': 'zz'}]),
        ]
        for payload in bad:
            self.assertRaises(exception.InvalidInventory, self.report,
                              payload)
        self.assertEqual([], self.app.get('/v1/ihosts').json['ihosts'])
