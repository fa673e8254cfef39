"""/v1/isystems and the version documents."""

from sysinv.tests.unit import base


class VersionTest(base.SysinvTestCase):
    def test_root_and_v1(self):
        root = self.app.get('/').json
        self.assertEqual('v1', root['default_version']['id'])
        v1 = self.app.get('/v1/').json
        self.assertEqual('application/vnd.openstack.sysinv.v1+json',
                         v1['media_types'][0]['type'])
        for name in ('isystems', 'ihosts', 'icpus', 'imemorys', 'idisks',
                     'ports', 'ethernet_ports', 'pci_devices'):
            self.assertIn(name, v1)


class SystemTest(base.SysinvTestCase):

    def system(self):
        systems = self.app.get('/v1/isystems').json['isystems']
        self.assertEqual(1, len(systems))
        return systems[0]

    def test_list_and_show(self):
        system = self.system()
        self.assertEqual(system['uuid'], system['name'])
        self.assertEqual('Standard', system['system_type'])
        self.assertEqual('duplex', system['system_mode'])
        self.assertEqual({}, system['capabilities'])
        shown = self.app.get('/v1/isystems/%s' % system['uuid']).json
        self.assertEqual(system['uuid'], shown['uuid'])
        self.assertEqual(['self', 'bookmark'],
                         [link['rel'] for link in shown['links']])

    def test_patch_by_uuid_and_without(self):
        uuid = self.system()['uuid']
        patched = self.app.patch_json('/v1/isystems/%s' % uuid, [
            {'op': 'replace', 'path': '/name', 'value': 'OTTAWA_LAB'},
            {'op': 'replace', 'path': '/description',
             'value': 'The lab.'},
            {'op': 'replace', 'path': '/location', 'value': 'Kanata'},
            {'op': 'replace', 'path': '/contact',
             'value': 'ops@example.com'},
        ]).json
        self.assertEqual(('OTTAWA_LAB', 'The lab.', 'Kanata',
                          'ops@example.com'),
                         (patched['name'], patched['description'],
                          patched['location'], patched['contact']))
        self.app.patch_json('/v1/isystems', [
            {'op': 'replace', 'path': '/name', 'value': 'WEST'}])
        self.assertEqual('WEST', self.system()['name'])
        self.assertIsNotNone(self.system()['updated_at'])

    def test_bad_patches(self):
        uuid = self.system()['uuid']
        cases = [
            ('/v1/isystems/%s' % uuid, '[{"op": "replace", '
             '"path": "/system_mode", "value": "simplex"}]'),
            ('/v1/isystems/%s' % uuid, '[{"op": "replace", '
             '"path": "/uuid", "value": "x"}]'),
            ('/v1/isystems/%s' % uuid, '[{"op": "replace", '
             '"path": "/name", "value": ""}]'),
            ('/v1/isystems/%s' % uuid, '[{"op": "replace", '
             '"path": "/name", "value": 5}]'),
            ('/v1/isystems/%s' % uuid, '[{"op": "remove", '
             '"path": "/name"}]'),
            ('/v1/isystems/%s' % uuid, '[{"op": "move", '
             '"path": "/name", "value": "x"}]'),
            ('/v1/isystems/%s' % uuid, '[]'),
            ('/v1/isystems/%s' % uuid, '{"name": "x"}'),
            ('/v1/isystems/%s' % uuid, '[{"op": '),
            ('/v1/isystems/not-a-uuid', '[{"op": "replace", '
             '"path": "/name", "value": "x"}]'),
        ]
        for url, body in cases:
            response = self.app.patch(url, body,
                                      content_type='application/json',
                                      expect_errors=True)
            self.assertEqual(400, response.status_int, body)
            self.assertTrue(self.error(response), body)

    def test_missing_system_is_404(self):
        response = self.app.get('/v1/isystems/%s' % base.MISSING,
                                expect_errors=True)
        self.assertEqual(404, response.status_int)

    def test_reader_reads_but_cannot_change(self):
        uuid = self.system()['uuid']
        self.app.get('/v1/isystems', headers=base.READER)
        response = self.app.patch_json(
            '/v1/isystems/%s' % uuid,
            [{'op': 'replace', 'path': '/name', 'value': 'x'}],
            headers=base.READER, status=403)
        self.assertIn('sysinv:system:modify', self.error(response))
        self.app.get('/v1/isystems', headers={'X-Roles': 'nobody'},
                     status=403)
