"""BMC passwords: written through the API, stored encrypted, read back
only by maintenance over RPC, never shown or logged."""

import logging
import os
import stat

import fixtures

from sysinv.tests.unit import base

SECRET = 'Bmc-S3cret!'
BULK = b"""<?xml version="1.0" encoding="UTF-8"?><hosts><host>
<hostname>worker-5</hostname><personality>worker</personality>
<mgmt_mac>08:00:27:00:00:55</mgmt_mac><bm_type>ipmi</bm_type>
<bm_ip>10.10.10.5</bm_ip><bm_username>root</bm_username>
<bm_password>%s</bm_password></host></hosts>"""


class CredentialsTest(base.SysinvTestCase):

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(fixtures.FakeLogger(level=logging.DEBUG))

    def credentials(self, ident):
        host = self.app.get('/v1/ihosts/%s' % ident).json
        return self.sysinv.conductor_api.get_bm_credentials(
            self.sysinv.context, host['uuid'])

    def assertNowhere(self, secret, *texts):
        for text in texts:
            self.assertNotIn(secret, text)

    def test_written_encrypted_and_read_back_by_rpc_only(self):
        added = self.add_host('worker-0', bm_type='ipmi', bm_ip='10.0.0.9',
                              bm_username='admin', bm_password=SECRET)
        shown = self.app.get('/v1/ihosts/worker-0')
        listed = self.app.get('/v1/ihosts')
        self.assertNotIn('bm_password', added)
        self.assertNowhere(SECRET, str(added), shown.text, listed.text)
        stored = self.dbapi.host_get('worker-0').bm_password_enc
        self.assertTrue(stored)
        self.assertNotIn(SECRET, stored)
        self.assertEqual(0o600, stat.S_IMODE(os.stat(
            self.sysinv.key_file).st_mode))
        self.assertEqual(
            {'bm_type': 'ipmi', 'bm_ip': '10.0.0.9', 'bm_username': 'admin',
             'bm_password': SECRET}, self.credentials('worker-0'))

        self.app.patch_json('/v1/ihosts/worker-0', [
            {'op': 'replace', 'path': '/bm_password', 'value': 'N3w'}])
        self.assertEqual('N3w', self.credentials('worker-0')['bm_password'])
        self.app.patch_json('/v1/ihosts/worker-0', [
            {'op': 'remove', 'path': '/bm_password'}])
        self.assertIsNone(self.credentials('worker-0')['bm_password'])
        self.assertNowhere(SECRET, self.logs.output)
        self.assertNowhere('N3w', self.logs.output)

    def test_bulk_add_keeps_the_password(self):
        upload = [('file', 'hosts.xml', BULK % SECRET.encode())]
        first = self.app.post('/v1/ihosts/bulk_add', upload_files=upload)
        self.assertEqual('added', first.json['hosts'][0]['outcome'])
        self.assertEqual(SECRET, self.credentials('worker-5')['bm_password'])
        again = self.app.post('/v1/ihosts/bulk_add', upload_files=upload)
        self.assertEqual('unchanged', again.json['hosts'][0]['outcome'])
        changed = self.app.post('/v1/ihosts/bulk_add', upload_files=[
            ('file', 'hosts.xml', BULK % b'other')])
        self.assertEqual('error', changed.json['hosts'][0]['outcome'])
        self.assertIn('bm_password', changed.json['error'])
        self.assertNotIn('other', changed.json['error'])
        exported = self.app.get('/v1/ihosts/bulk_export').json['content']
        self.assertNowhere(SECRET, exported, self.logs.output)

    def test_empty_password_refused(self):
        response = self.app.patch_json('/v1/ihosts/%s' % self.add_host()[
            'uuid'], [{'op': 'replace', 'path': '/bm_password',
                       'value': ''}], status=400)
        self.assertIn('bm_password must be a non-empty string',
                      self.error(response))

    def test_key_file_that_cannot_be_made_is_a_503(self):
        self.sysinv.conf.set_override(
            'credential_key_file', '/nonexistent/dir/bmc.key', 'bmc')
        # A fresh app reads the new key path.
        from sysinv.api import app
        import webtest
        api = webtest.TestApp(app.setup_app(self.sysinv.conf,
                                            self.sysinv.rpc_transport))
        response = api.post_json('/v1/ihosts', {
            'hostname': 'worker-1', 'personality': 'worker',
            'mgmt_mac': '08:00:27:00:00:11', 'bm_password': SECRET},
            status=503)
        self.assertIn('cannot use /nonexistent/dir/bmc.key',
                      response.text)
        self.assertNotIn(SECRET, response.text)
