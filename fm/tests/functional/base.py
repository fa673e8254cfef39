"""fm-api and fm-manager as real processes on real services."""

import os
import textwrap

import fixtures
import requests

from fm import client
from fm import conf as fm_conf
from stxcommon.tests import base
from stxcommon.tests import keystone_fixture
from stxcommon.tests import process
from stxcommon.tests import services


class FmServices(fixtures.Fixture):
    """A database, a vhost, Keystone, then fm-dbsync, fm-manager, fm-api."""

    def __init__(self, backend, start_manager=True):
        self.backend = backend
        self.start_manager = start_manager

    def _setUp(self):
        self.keystone = self.useFixture(keystone_fixture.KeystoneFixture())
        database = self.useFixture(services.Database(self.backend))
        self.database_url = database.url
        self.rabbit = self.useFixture(services.RabbitVhost())
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.port = process.free_port()
        admin = self.keystone.admin_credentials
        self.config_file = os.path.join(self.dir, 'fm.conf')
        with open(self.config_file, 'w') as conf_file:
            conf_file.write(textwrap.dedent('''\
                [DEFAULT]
                transport_url = %(rabbit)s
                [database]
                connection = %(db)s
                [api]
                bind_host = 127.0.0.1
                bind_port = %(port)d
                [manager]
                batch_timeout = 0.05
                [keystone_authtoken]
                auth_type = password
                auth_url = %(auth_url)s
                www_authenticate_uri = %(auth_url)s
                username = admin
                password = %(password)s
                project_name = admin
                user_domain_name = Default
                project_domain_name = Default
                ''') % {'rabbit': self.rabbit.url, 'db': database.url,
                        'port': self.port, 'auth_url': admin['auth_url'],
                        'password': admin['password']})
        args = ['--config-file', self.config_file]
        dbsync = process.Process('fm-dbsync', args, self.dir)
        dbsync.start()
        if dbsync.proc.wait(timeout=120) != 0:
            raise AssertionError('fm-dbsync failed:\n' + dbsync.log_tail())
        self.manager = process.Process('fm-manager', args, self.dir)
        if self.start_manager:
            self.useFixture(self.manager)
        self.api = self.useFixture(process.Process(
            'fm-api', args, self.dir, wait_port=self.port))
        self.url = 'http://127.0.0.1:%d' % self.port

    def fault_api(self):
        """An fm.client over the same vhost, as another service has it."""
        conf = fm_conf.new_conf()
        conf(['--config-file', self.config_file], project='fm')
        api = client.FaultAPIs.from_conf(conf)
        self.addCleanup(api.close)
        return api

    def get(self, path, user='admin', **kwargs):
        return self.request('GET', path, user, **kwargs)

    def request(self, method, path, user='admin', **kwargs):
        headers = kwargs.pop('headers', {})
        if user:
            headers['X-Auth-Token'] = self.keystone.token(user)
        return requests.request(method, self.url + path, headers=headers,
                                timeout=30, **kwargs)


class FunctionalTestCase(base.TestCase):
    backend = 'postgresql'

    def setUp(self):
        super().setUp()
        # Skip (or, in CI, fail) before any fixture when a server is absent.
        services.server_url(services.BACKENDS[self.backend], self.backend)
        services.server_url('STX_TEST_RABBIT', 'RabbitMQ')
        self.useFixture(fixtures.Timeout(600, gentle=True))
        self.fm = self.useFixture(FmServices(self.backend))
