"""/v1/ihosts and the host sub-collections: paths, fields, errors, policy."""

import json

from sysinv.tests.unit import base


def _replace(path, value):
    return {'op': 'replace', 'path': path, 'value': value}


class HostCrudTest(base.SysinvTestCase):

    def test_add_show_list(self):
        added = self.add_host('compute-0', '11:22:33:44:55:66',
                              mgmt_ip='192.168.204.200', bm_type='bmc',
                              bm_ip='10.10.10.240', bm_username='root',
                              location={'locn': 'West tower'})
        self.assertEqual('compute-0', added['hostname'])
        self.assertEqual('worker', added['personality'])
        self.assertEqual('worker', added['subfunctions'])
        self.assertEqual(('locked', 'disabled', 'offline'),
                         (added['administrative'], added['operational'],
                          added['availability']))
        self.assertEqual({'locn': 'West tower'}, added['location'])
        self.assertEqual('sda', added['boot_device'])
        self.assertEqual('ttyS0,115200', added['console'])
        system = self.app.get('/v1/isystems').json['isystems'][0]
        self.assertEqual(system['uuid'], added['isystem_uuid'])
        for name in ('icpus', 'imemorys', 'idisks', 'ports',
                     'ethernet_ports', 'pci_devices'):
            self.assertTrue(added[name][0]['href'].endswith(
                '/v1/ihosts/%s/%s' % (added['uuid'], name)), name)
        by_uuid = self.app.get('/v1/ihosts/%s' % added['uuid']).json
        by_name = self.app.get('/v1/ihosts/compute-0').json
        self.assertEqual(by_uuid, by_name)
        hosts = self.app.get('/v1/ihosts').json['ihosts']
        self.assertEqual([added['uuid']], [h['uuid'] for h in hosts])
        self.assertNotIn('icpus', hosts[0])

    def test_mac_is_normalized_and_unique(self):
        added = self.add_host('worker-0', '08-00-27-AB-CD-EF')
        self.assertEqual('08:00:27:ab:cd:ef', added['mgmt_mac'])
        response = self.app.post_json('/v1/ihosts', {
            'hostname': 'worker-1', 'personality': 'worker',
            'mgmt_mac': '08:00:27:ab:cd:ef'}, status=409)
        self.assertIn('mgmt_mac', self.error(response))
        response = self.app.post_json('/v1/ihosts', {
            'hostname': 'worker-0', 'personality': 'worker',
            'mgmt_mac': '08:00:27:ab:cd:00'}, status=409)
        self.assertIn('hostname', self.error(response))

    def test_paging_sorting_and_filter(self):
        for i in range(5):
            self.add_host('worker-%d' % i, '08:00:27:00:00:%02d' % i)
        self.add_host('controller-0', '08:00:27:00:01:00',
                      personality='controller')
        page = self.app.get('/v1/ihosts?limit=2').json
        seen = [h['uuid'] for h in page['ihosts']]
        while page['next']:
            page = self.app.get(page['next'].split('localhost', 1)[1]).json
            seen += [h['uuid'] for h in page['ihosts']]
        self.assertEqual(6, len(set(seen)))
        names = [h['hostname'] for h in self.app.get(
            '/v1/ihosts?sort_key=hostname&sort_dir=desc').json['ihosts']]
        self.assertEqual(sorted(names, reverse=True), names)
        controllers = self.app.get(
            '/v1/ihosts?personality=controller').json['ihosts']
        self.assertEqual(['controller-0'],
                         [h['hostname'] for h in controllers])

    def test_patch(self):
        uuid = self.add_host()['uuid']
        patched = self.app.patch_json('/v1/ihosts/%s' % uuid, [
            _replace('/hostname', 'worker-9'),
            _replace('/location', "{'locn': 'Rack 4'}"),
            _replace('/bm_type', 'ipmi'),
            _replace('/bm_ip', '10.0.0.9'),
            _replace('/bm_username', 'admin'),
            _replace('/install_output', 'graphical'),
        ]).json
        self.assertEqual('worker-9', patched['hostname'])
        self.assertEqual({'locn': 'Rack 4'}, patched['location'])
        self.assertEqual(('ipmi', '10.0.0.9', 'admin', 'graphical'),
                         (patched['bm_type'], patched['bm_ip'],
                          patched['bm_username'],
                          patched['install_output']))
        removed = self.app.patch_json('/v1/ihosts/worker-9', [
            {'op': 'remove', 'path': '/bm_ip'}]).json
        self.assertIsNone(removed['bm_ip'])

    def test_provision_a_discovered_host(self):
        uuid = self.dbapi.create_unprovisioned_host(
            '08:00:27:00:00:77').uuid
        patched = self.app.patch_json('/v1/ihosts/%s' % uuid, [
            _replace('/hostname', 'storage-0'),
            _replace('/personality', 'storage')]).json
        self.assertEqual(('storage-0', 'storage', 'storage'),
                         (patched['hostname'], patched['personality'],
                          patched['subfunctions']))

    def test_unlocked_host_cannot_be_renamed_or_deleted(self):
        uuid = self.add_host()['uuid']
        self.dbapi.host_update(uuid, {'administrative': 'unlocked'})
        response = self.app.patch_json(
            '/v1/ihosts/%s' % uuid, [_replace('/hostname', 'other')],
            status=400)
        self.assertIn('locked', self.error(response))
        response = self.app.delete('/v1/ihosts/%s' % uuid, status=400)
        self.assertIn('must be locked', self.error(response))
        self.app.get('/v1/ihosts/%s' % uuid)
        self.dbapi.host_update(uuid, {'administrative': 'locked'})
        self.app.delete('/v1/ihosts/%s' % uuid, status=204)
        self.app.get('/v1/ihosts/%s' % uuid, status=404)

    def test_delete_by_hostname_removes_inventory(self):
        added = self.add_host('worker-5', '08:00:27:00:00:05')
        self.dbapi.apply_inventory(added['uuid'], base.report())
        cpu = self.app.get('/v1/ihosts/worker-5/icpus').json['icpus'][0]
        self.app.delete('/v1/ihosts/worker-5', status=204)
        self.app.get('/v1/icpus/%s' % cpu['uuid'], status=404)


class SubCollectionTest(base.SysinvTestCase):

    def setUp(self):
        super().setUp()
        self.host = self.add_host('worker-0', '08:00:27:00:00:01')
        self.uuid = self.host['uuid']
        self.dbapi.apply_inventory(self.uuid, base.report(
            mac='08:00:27:00:00:01', cpus=4, numa_nodes=2))

    def test_collections_and_shows(self):
        cases = [
            ('icpus', 'icpus', 'cpu', 4),
            ('imemorys', 'imemorys', 'numa_node', 2),
            ('idisks', 'idisks', 'device_node', 2),
            ('ports', 'ports', 'name', 2),
            ('ethernet_ports', 'ethernet_ports', 'name', 2),
            ('pci_devices', 'pci_devices', 'pciaddr', 2),
        ]
        for path, key, natural_key, count in cases:
            url = '/v1/ihosts/%s/%s' % (self.uuid, path)
            items = self.app.get(url).json[key]
            self.assertEqual(count, len(items), path)
            self.assertEqual({self.uuid}, {i['ihost_uuid'] for i in items})
            shown = self.app.get('/v1/%s/%s' % (path, items[0]['uuid'])).json
            self.assertEqual(items[0], shown)
            nested = self.app.get('%s/%s' % (url, items[0]['uuid'])).json
            self.assertEqual(items[0], nested)
            self.assertIn(natural_key, shown)
        memory = self.app.get('/v1/ihosts/worker-0/imemorys').json[
            'imemorys'][0]
        for field in ('memtotal_mib', 'memavail_mib', 'vm_hugepages_nr_2M',
                      'vm_hugepages_avail_2M', 'vm_hugepages_nr_1G',
                      'vm_hugepages_nr_2M_pending', 'platform_reserved_mib'):
            self.assertIn(field, memory)
        port = self.app.get('/v1/ihosts/worker-0/ports').json['ports'][0]
        self.assertEqual(('eth0', 'ethernet', '08:00:27:00:01:00', 63),
                         (port['name'], port['type'], port['mac'],
                          port['sriov_totalvfs']))

    def test_paging_items(self):
        page = self.app.get('/v1/ihosts/%s/icpus?limit=3' % self.uuid).json
        self.assertEqual([0, 1, 2], [c['cpu'] for c in page['icpus']])
        rest = self.app.get(page['next'].split('localhost', 1)[1]).json
        self.assertEqual([3], [c['cpu'] for c in rest['icpus']])
        everything = self.app.get('/v1/icpus').json['icpus']
        self.assertEqual(4, len(everything))

    def test_item_of_another_host_is_404(self):
        other = self.add_host('worker-1', '08:00:27:00:00:02')
        cpu = self.app.get('/v1/ihosts/%s/icpus' % self.uuid).json[
            'icpus'][0]['uuid']
        self.app.get('/v1/ihosts/%s/icpus/%s' % (other['uuid'], cpu),
                     status=404)


class BadInputTest(base.SysinvTestCase):
    """Every kind of bad input is a 400 with a message, never a 500."""

    def test_query_errors(self):
        uuid = self.add_host()['uuid']
        urls = [
            '/v1/ihosts?limit=abc',
            '/v1/ihosts?limit=0',
            '/v1/ihosts?limit=100000000',
            '/v1/ihosts?limit=-5',
            '/v1/ihosts?marker=not-a-uuid',
            '/v1/ihosts?marker=' + base.MISSING,
            '/v1/ihosts?sort_key=bm_password',
            '/v1/ihosts?sort_dir=sideways',
            '/v1/ihosts?personality=compute-ish',
            '/v1/ihosts/Not_A_Host!',
            '/v1/ihosts/%s/icpus?limit=0' % uuid,
            '/v1/ihosts/%s/icpus?marker=nope' % uuid,
            '/v1/ihosts/%s/icpus?marker=%s' % (uuid, base.MISSING),
            '/v1/ihosts/-bad-/icpus',
            '/v1/icpus/not-a-uuid',
            '/v1/ports/not-a-uuid',
        ]
        for url in urls:
            response = self.app.get(url, expect_errors=True)
            self.assertEqual(400, response.status_int, url)
            self.assertTrue(self.error(response), url)

    def test_post_errors(self):
        good = {'hostname': 'worker-1', 'personality': 'worker',
                'mgmt_mac': '08:00:27:00:00:99'}
        bodies = [
            '{not json',
            '[]',
            json.dumps(dict(good, color='red')),
            json.dumps(dict(good, bm_password='')),
            json.dumps(dict(good, personality='compute-ish')),
            json.dumps(dict(good, hostname='Worker_1')),
            json.dumps(dict(good, hostname='-worker')),
            json.dumps(dict(good, hostname='a' * 64)),
            json.dumps(dict(good, hostname=base.MISSING)),
            json.dumps(dict(good, hostname=7)),
            json.dumps(dict(good, mgmt_mac='08:00:27:00:00')),
            json.dumps(dict(good, mgmt_mac='zz:00:27:00:00:01')),
            json.dumps(dict(good, mgmt_ip='192.168.1.300')),
            json.dumps(dict(good, bm_type='bmc')),
            json.dumps(dict(good, bm_type='bmc', bm_ip='not-an-ip')),
            json.dumps(dict(good, bm_type='telepathy')),
            json.dumps(dict(good, install_output='braille')),
            json.dumps(dict(good, location='[1, 2]')),
            json.dumps(dict(good, location={'locn': ['x']})),
            json.dumps({'hostname': 'worker-1', 'personality': 'worker'}),
            json.dumps({'mgmt_mac': '08:00:27:00:00:99',
                        'personality': 'worker'}),
        ]
        for body in bodies:
            response = self.app.post('/v1/ihosts', body,
                                     content_type='application/json',
                                     expect_errors=True)
            self.assertEqual(400, response.status_int, body)
            self.assertTrue(self.error(response), body)
        self.assertEqual([], self.app.get('/v1/ihosts').json['ihosts'])

    def test_patch_errors(self):
        uuid = self.add_host()['uuid']
        url = '/v1/ihosts/%s' % uuid
        bodies = [
            [_replace('/administrative', 'unlocked')],
            [_replace('/action', 'unlock')],
            [_replace('/mgmt_mac', '08:00:27:00:00:01')],
            [_replace('/uuid', base.MISSING)],
            [_replace('/hostname', 'UPPER')],
            [_replace('/hostname', 5)],
            [_replace('/personality', 'compute-ish')],
            [_replace('/bm_ip', '1.2.3')],
            [_replace('/location', 'not a dict')],
            [{'op': 'remove', 'path': '/hostname'}],
            [{'op': 'replace', 'path': '/hostname'}],
            [{'op': 'copy', 'path': '/hostname', 'value': 'x'}],
            [dict(_replace('/hostname', 'x'), extra=1)],
            [],
            {'hostname': 'x'},
        ]
        for body in bodies:
            response = self.app.patch_json(url, body, expect_errors=True)
            self.assertEqual(400, response.status_int, body)
            self.assertTrue(self.error(response), body)
        response = self.app.patch(url, '[{"op": ',
                                  content_type='application/json',
                                  expect_errors=True)
        self.assertEqual(400, response.status_int)
        response = self.app.patch_json(
            '/v1/ihosts/bad_name!', [_replace('/hostname', 'x')],
            expect_errors=True)
        self.assertEqual(400, response.status_int)

    def test_missing_things_are_404(self):
        for url in ('/v1/ihosts/' + base.MISSING, '/v1/ihosts/nobody',
                    '/v1/ihosts/nobody/icpus', '/v1/icpus/' + base.MISSING,
                    '/v1/pci_devices/' + base.MISSING, '/v1/nothing'):
            response = self.app.get(url, expect_errors=True)
            self.assertEqual(404, response.status_int, url)
            self.assertTrue(self.error(response), url)
        response = self.app.delete('/v1/ihosts/' + base.MISSING,
                                   expect_errors=True)
        self.assertEqual(404, response.status_int)


class PolicyTest(base.SysinvTestCase):

    def test_reader_reads_but_cannot_change(self):
        uuid = self.add_host()['uuid']
        self.app.get('/v1/ihosts', headers=base.READER)
        self.app.get('/v1/ihosts/%s' % uuid, headers=base.READER)
        self.app.get('/v1/ihosts/%s/icpus' % uuid, headers=base.READER)
        response = self.app.post_json('/v1/ihosts', {
            'hostname': 'worker-2', 'personality': 'worker',
            'mgmt_mac': '08:00:27:00:00:02'}, headers=base.READER,
            status=403)
        self.assertIn('sysinv:host:add', self.error(response))
        response = self.app.patch_json(
            '/v1/ihosts/%s' % uuid, [_replace('/hostname', 'x')],
            headers=base.READER, status=403)
        self.assertIn('sysinv:host:modify', self.error(response))
        response = self.app.delete('/v1/ihosts/%s' % uuid,
                                   headers=base.READER, status=403)
        self.assertIn('sysinv:host:delete', self.error(response))

    def test_no_role_cannot_read(self):
        for url in ('/v1/ihosts', '/v1/icpus', '/v1/isystems'):
            self.app.get(url, headers={'X-Roles': 'nobody'}, status=403)
