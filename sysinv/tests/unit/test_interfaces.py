"""A host's interfaces: one per reported port, changed by the operator."""

from sysinv.tests.unit import base


class InterfaceTest(base.SysinvTestCase):

    def setUp(self):
        super().setUp()
        self.add_host('worker-0', '08:00:27:00:00:01')

    def report(self, **kwargs):
        return self.sysinv.conductor_api.report_host(
            self.sysinv.context, base.report(mac='08:00:27:00:00:01',
                                             **kwargs))

    def interfaces(self):
        return {i['ifname']: i for i in self.app.get(
            '/v1/ihosts/worker-0/iinterfaces').json['iinterfaces']}

    def modify(self, uuid, status=200, user=None, **values):
        return self.app.patch_json('/v1/iinterfaces/%s' % uuid, [
            {'op': 'replace', 'path': '/' + k, 'value': v}
            for k, v in values.items()], status=status,
            headers=base.READER if user == 'reader' else None)

    def test_each_port_gets_an_ethernet_interface(self):
        self.report(ports=3)
        found = self.interfaces()
        self.assertEqual(['eth0', 'eth1', 'eth2'], sorted(found))
        eth1 = found['eth1']
        self.assertEqual(('ethernet', 'none', '08:00:27:00:01:01', 1500),
                         (eth1['iftype'], eth1['ifclass'], eth1['imac'],
                          eth1['imtu']))
        self.assertEqual(eth1, self.app.get(
            '/v1/iinterfaces/%s' % eth1['uuid']).json)
        host = self.app.get('/v1/ihosts/worker-0').json
        self.assertIn('iinterfaces', host)

        # Re-reports keep them; a removed port takes its interface along.
        self.report(ports=2)
        again = self.interfaces()
        self.assertEqual(['eth0', 'eth1'], sorted(again))
        self.assertEqual(eth1['uuid'], again['eth1']['uuid'])

    def test_operator_names_and_classes_an_interface(self):
        self.report(ports=2)
        eth0 = self.interfaces()['eth0']
        changed = self.modify(eth0['uuid'], ifname='mgmt0',
                              ifclass='platform', imtu=9000).json
        self.assertEqual(('mgmt0', 'platform', 9000),
                         (changed['ifname'], changed['ifclass'],
                          changed['imtu']))
        self.assertEqual('Config out-of-date', self.app.get(
            '/v1/ihosts/worker-0').json['config_status'])
        # The next report keeps the operator's name and adds nothing.
        self.report(ports=2)
        self.assertEqual(['eth1', 'mgmt0'], sorted(self.interfaces()))
        sriov = self.modify(self.interfaces()['eth1']['uuid'],
                            ifclass='pci-sriov', sriov_numvfs=8).json
        self.assertEqual(8, sriov['sriov_numvfs'])

    def test_bad_changes_are_refused(self):
        self.report(ports=2)
        eth0 = self.interfaces()['eth0']['uuid']
        for values, reason in (
                ({'ifname': 'a-name-that-is-too-long'}, 'not an interface'),
                ({'ifname': 'eth1'}, 'already has an interface named'),
                ({'ifclass': 'magic'}, 'ifclass must be one of'),
                ({'imtu': 100}, 'imtu must be from 576 to 9216'),
                ({'imtu': 'big'}, 'must be an integer'),
                ({'sriov_numvfs': 4}, 'needs ifclass pci-sriov'),
                ({'ifclass': 'pci-sriov', 'sriov_numvfs': 64},
                 'from 0 to 63'),
                ({'iftype': 'vlan'}, 'iftype cannot be changed')):
            response = self.modify(eth0, status=400, **values)
            self.assertIn(reason, self.error(response), values)
        self.modify(eth0, status=403, user='reader', ifclass='data')
        self.app.patch_json('/v1/iinterfaces/%s' % base.MISSING, [
            {'op': 'replace', 'path': '/imtu', 'value': 1500}], status=404)

    def test_only_on_a_locked_host(self):
        self.report(ports=1)
        self.dbapi.host_update('worker-0', {'administrative': 'unlocked'})
        response = self.modify(self.interfaces()['eth0']['uuid'],
                               status=400, imtu=9000)
        self.assertIn('must be locked', self.error(response))


class DeviceTest(base.SysinvTestCase):
    """PCI devices: renamed, enabled or disabled on a locked host."""

    def setUp(self):
        super().setUp()
        self.add_host('worker-0', '08:00:27:00:00:01')
        self.sysinv.conductor_api.report_host(
            self.sysinv.context, base.report(mac='08:00:27:00:00:01'))
        self.device = self.app.get(
            '/v1/ihosts/worker-0/pci_devices').json['pci_devices'][0]

    def modify(self, status=200, **values):
        return self.app.patch_json(
            '/v1/pci_devices/%s' % self.device['uuid'],
            [{'op': 'replace', 'path': '/' + k, 'value': v}
             for k, v in values.items()], status=status)

    def test_rename_and_disable(self):
        changed = self.modify(name='uplink-nic', enabled=False).json
        self.assertEqual(('uplink-nic', False),
                         (changed['name'], changed['enabled']))
        # A re-report leaves the operator's choice alone.
        self.sysinv.conductor_api.report_host(
            self.sysinv.context, base.report(mac='08:00:27:00:00:01'))
        shown = self.app.get('/v1/pci_devices/%s'
                             % self.device['uuid']).json
        self.assertFalse(shown['enabled'])

    def test_bad_changes(self):
        for values, reason in (({'enabled': 'maybe'}, 'true or false'),
                               ({'name': ''}, '1 to 255 characters'),
                               ({'pciaddr': 'x'}, 'pciaddr cannot be')):
            self.assertIn(reason, self.error(self.modify(status=400,
                                                         **values)))
