"""A real Keystone run by stxcommon.keystone.server answers as it should."""

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import time
import uuid

import fixtures
import requests
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from stxcommon.keystone import server as ks_server
from stxcommon.tests import base
from stxcommon.tests import keystone_fixture

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
TIMEOUT = 10  # every HTTP call gets one: a respawning server hangs a bare call


def _alive(pid):
    """True while ``pid`` runs (a zombie waiting for its reaper is gone)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


class SharedKeystoneTest(base.TestCase):
    """Tests against the server shared by the whole test process."""

    def setUp(self):
        super().setUp()
        self.ks = self.useFixture(keystone_fixture.KeystoneFixture())

    def _validate(self, auth_token, subject_token):
        return requests.get(self.ks.auth_url + '/auth/tokens', timeout=TIMEOUT,
                            headers={'X-Auth-Token': auth_token,
                                     'X-Subject-Token': subject_token})

    def _roles(self, token):
        resp = self._validate(token, token)
        self.assertEqual(200, resp.status_code, resp.text)
        return {role['name'] for role in resp.json()['token']['roles']}

    def test_answers_v3(self):
        resp = requests.get(self.ks.auth_url, timeout=TIMEOUT)
        self.assertEqual(200, resp.status_code)
        self.assertTrue(resp.json()['version']['id'].startswith('v3'))

    def test_admin_token(self):
        self.assertIn('admin', self._roles(self.ks.token('admin')))

    def test_reader_token(self):
        roles = self._roles(self.ks.token('reader'))
        self.assertIn('reader', roles)
        self.assertNotIn('admin', roles)

    def test_reader_credentials_work_with_keystoneauth(self):
        auth = v3.Password(**self.ks.reader_credentials)
        sess = ks_session.Session(auth=auth, timeout=TIMEOUT)
        self.assertTrue(sess.get_token())

    def test_bogus_subject_token_rejected(self):
        bogus = 'bogus-' + uuid.uuid4().hex
        resp = self._validate(self.ks.token('admin'), bogus)
        self.assertIn(resp.status_code, (401, 404))

    def test_bogus_auth_token_rejected(self):
        resp = requests.get(self.ks.auth_url + '/users', timeout=TIMEOUT,
                            headers={'X-Auth-Token': 'bogus'})
        self.assertEqual(401, resp.status_code)
        self.assertIn('WWW-Authenticate', resp.headers)

    def test_ensure_user_is_idempotent(self):
        name = 'user-' + uuid.uuid4().hex[:8]
        first = self.ks.server.ensure_user(name, 'pw-one')
        second = self.ks.server.ensure_user(name, 'pw-one')
        self.assertEqual(first, second)
        # A changed password is applied, not ignored.
        self.ks.server.ensure_user(name, 'pw-two', roles=('member',))
        creds = keystone_fixture.credentials(self.ks.auth_url, name, 'pw-two')
        token = ks_session.Session(auth=v3.Password(**creds),
                                   timeout=TIMEOUT).get_token()
        self.assertEqual({'reader', 'member'}, self._roles(token))

    def test_endpoint_registration_idempotent_and_in_catalog(self):
        stype = 'test-' + uuid.uuid4().hex[:8]
        url = 'http://127.0.0.1:6385/v1'
        server = self.ks.server
        first = server.ensure_service_endpoint(stype, stype + '-api', url)
        second = server.ensure_service_endpoint(stype, stype + '-api', url)
        self.assertEqual(first, second)
        self.assertEqual({'public', 'internal', 'admin'},
                         set(first['endpoints']))

        adapter = server.admin_adapter()
        services = adapter.get('/services', params={'type': stype}).json()
        self.assertEqual(1, len(services['services']))
        endpoints = adapter.get('/endpoints', params={
            'service_id': first['service_id']}).json()['endpoints']
        self.assertEqual(3, len(endpoints))

        # A fresh token's catalog holds the service (fernet tokens carry no
        # catalog: it is built when the token is issued or validated).
        sess = self.ks.session('reader')
        for interface in ('public', 'internal', 'admin'):
            self.assertEqual(url, sess.get_endpoint(
                service_type=stype, interface=interface,
                region_name=server.region))

        # A new URL updates the endpoints in place.
        new_url = 'http://127.0.0.1:16385/v1'
        third = server.ensure_service_endpoint(stype, stype + '-api', new_url)
        self.assertEqual(first, third)
        self.assertEqual(new_url, self.ks.session('reader').get_endpoint(
            service_type=stype, interface='public', region_name=server.region))

    def test_endpoint_in_other_region(self):
        stype = 'test-' + uuid.uuid4().hex[:8]
        region = 'Subcloud-' + uuid.uuid4().hex[:6]
        url = 'http://127.0.0.2:6385/v1'
        self.ks.server.ensure_service_endpoint(stype, stype, url,
                                               region=region,
                                               interfaces=('admin',))
        self.assertEqual(url, self.ks.session('admin').get_endpoint(
            service_type=stype, interface='admin', region_name=region))

    def test_write_openrc(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, 'rc')
        self.ks.server.write_openrc(path)
        self.assertEqual(0o600, stat.S_IMODE(os.stat(path).st_mode))
        with open(path) as f:
            text = f.read()
        for expected in ("OS_AUTH_URL='%s'" % self.ks.auth_url,
                         "OS_USERNAME='admin'", "OS_PROJECT_NAME='admin'",
                         "OS_USER_DOMAIN_NAME='Default'",
                         "OS_PROJECT_DOMAIN_NAME='Default'",
                         "OS_REGION_NAME='RegionOne'",
                         "OS_IDENTITY_API_VERSION='3'",
                         "OS_INTERFACE='public'"):
            self.assertIn('export ' + expected + '\n', text)
        self.assertIn("OS_PASSWORD='%s'" % self.ks.server.admin_password,
                      text)


class PrivateKeystoneTest(base.TestCase):
    """Tests that need a server of their own."""

    def test_restart_reuses_password_port_and_db(self):
        state_dir = self.useFixture(fixtures.TempDir()).path
        first = ks_server.KeystoneServer(state_dir)
        self.addCleanup(first.stop)
        with first:
            password = first.admin_password
            user_id = first.ensure_user('keeper', 'keeper-pw',
                                        roles=('member',))
        self.assertFalse(first.running)
        mode = os.stat(os.path.join(state_dir, 'admin-password')).st_mode
        self.assertEqual(0o600, stat.S_IMODE(mode))

        second = ks_server.KeystoneServer(state_dir)
        self.addCleanup(second.stop)
        self.assertEqual(password, second.admin_password)
        self.assertEqual(first.port, second.port)
        self.assertFalse(second.bootstrap())  # nothing left to do
        second.start()
        self.assertEqual(user_id, second.ensure_user('keeper', 'keeper-pw',
                                                     roles=('member',)))
        creds = keystone_fixture.credentials(second.auth_url, 'keeper',
                                             'keeper-pw')
        sess = ks_session.Session(auth=v3.Password(**creds), timeout=TIMEOUT)
        self.assertEqual(second.auth_url, sess.get_endpoint(
            service_type='identity', interface='public'))
        second.stop()
        self.assertFalse(second.running)

    def test_server_stops_when_its_parent_is_killed(self):
        state_dir = self.useFixture(fixtures.TempDir()).path
        script = ('import sys, time\n'
                  'from stxcommon.keystone import server\n'
                  'server.KeystoneServer(sys.argv[1]).start()\n'
                  'print("up", flush=True)\n'
                  'time.sleep(300)\n')
        parent = subprocess.Popen([sys.executable, '-c', script, state_dir],
                                  cwd=ROOT, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        self.addCleanup(parent.stdout.close)
        self.addCleanup(parent.wait)
        self.addCleanup(parent.kill)
        output = []
        for line in parent.stdout:  # warnings may come first
            if line == 'up\n':
                break
            output.append(line)
        else:
            self.fail('the parent did not start Keystone:\n' +
                      ''.join(output))
        with open(os.path.join(state_dir, 'gunicorn.pid')) as f:
            gunicorn_pid = int(f.read())
        parent.kill()  # no atexit, no stop(): the server is on its own
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and _alive(gunicorn_pid):
            time.sleep(0.2)
        if _alive(gunicorn_pid):
            os.killpg(gunicorn_pid, signal.SIGKILL)
            self.fail('Keystone outlived its parent')

    def _pretend_bootstrapped(self, server):
        """Write the marker so that start() skips keystone-manage."""
        marker = {'host': server.host, 'port': server.port,
                  'region': server.region, 'auth_url': server.auth_url}
        os.makedirs(server.state_dir, exist_ok=True)
        with open(os.path.join(server.state_dir, 'bootstrap.json'), 'w') as f:
            json.dump(marker, f)
        with open(os.path.join(server.state_dir, 'admin-password'), 'w') as f:
            f.write(server.admin_password)

    def test_port_in_use_is_refused(self):
        state_dir = self.useFixture(fixtures.TempDir()).path
        with socket.socket() as busy:
            busy.bind(('127.0.0.1', 0))
            busy.listen()
            server = ks_server.KeystoneServer(
                state_dir, port=busy.getsockname()[1])
            self.addCleanup(server.stop)
            error = self.assertRaises(ks_server.KeystoneServerError,
                                      server.start)
        self.assertIn('in use', str(error))
        self.assertFalse(server.running)

    def test_broken_keystone_fails_fast_with_log_tail(self):
        state_dir = self.useFixture(fixtures.TempDir()).path
        server = ks_server.KeystoneServer(state_dir)
        # No fernet keys: keystone calls sys.exit in every worker, which
        # gunicorn would respawn forever unless our wsgi module stops it.
        self._pretend_bootstrapped(server)
        self.addCleanup(server.stop)
        error = self.assertRaises(ks_server.KeystoneServerError,
                                  server.start, timeout=60)
        self.assertIn('gunicorn exited', str(error))
        self.assertIn('fernet-keys does not exist', str(error))
        self.assertFalse(server.running)
