"""One service deployed for a functional test, as an operator would.

Keystone, a private database and RabbitMQ vhost, a config file, the
service's dbsync run once, then its console scripts as real processes.
Each service's functional tests subclass :class:`Deployment` and say
which scripts to start.
"""

import configparser
import os

import fixtures
import requests

from stxcommon.tests import base
from stxcommon.tests import keystone_fixture
from stxcommon.tests import process
from stxcommon.tests import services


def write_config(path, sections):
    """An oslo.config file at ``path`` from {section: {option: value}}."""
    parser = configparser.ConfigParser(interpolation=None)
    for section, options in sections.items():
        if section != 'DEFAULT':
            parser.add_section(section)
        for key, value in options.items():
            parser.set(section, key, str(value))
    with open(path, 'w') as conf_file:
        parser.write(conf_file)
    return path


def openrc(keystone, region):
    """The OS_* variables an admin's openrc sets, for ``region``."""
    creds = keystone.admin_credentials
    return {'OS_AUTH_URL': creds['auth_url'],
            'OS_USERNAME': creds['username'],
            'OS_PASSWORD': creds['password'],
            'OS_PROJECT_NAME': creds['project_name'],
            'OS_USER_DOMAIN_NAME': 'Default',
            'OS_PROJECT_DOMAIN_NAME': 'Default',
            'OS_REGION_NAME': region,
            'OS_INTERFACE': 'public'}


class Deployment(fixtures.Fixture):
    """``project``'s config file on real services; see :meth:`start`."""

    project = None

    def __init__(self, backend, extra_sections=None, rabbit=None):
        self.backend = backend
        self.extra_sections = extra_sections or {}
        # A RabbitVhost shared with other services of the same test.
        self._rabbit = rabbit

    def _setUp(self):
        self.keystone = self.useFixture(keystone_fixture.KeystoneFixture())
        self.database_url = self.useFixture(
            services.Database(self.backend)).url
        self.rabbit = self._rabbit or self.useFixture(services.RabbitVhost())
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.port = process.free_port()
        self.url = 'http://127.0.0.1:%d' % self.port
        self.config_file = self._write_config()
        self.args = ['--config-file', self.config_file]
        self.run_once(self.project + '-dbsync')

    def _write_config(self):
        admin = self.keystone.admin_credentials
        sections = {
            'DEFAULT': {'transport_url': self.rabbit.url},
            'database': {'connection': self.database_url},
            'api': {'bind_host': '127.0.0.1', 'bind_port': self.port},
            'keystone_authtoken': {
                'auth_type': 'password', 'auth_url': admin['auth_url'],
                'www_authenticate_uri': admin['auth_url'],
                'username': 'admin', 'password': admin['password'],
                'project_name': 'admin', 'user_domain_name': 'Default',
                'project_domain_name': 'Default'},
        }
        for section, options in self.extra_sections.items():
            sections.setdefault(section, {}).update(options)
        return write_config(os.path.join(self.dir, self.project + '.conf'),
                            sections)

    def run_once(self, script, *args):
        """Run a console script to completion; fail the test if it fails."""
        once = process.Process(script, self.args + list(args), self.dir)
        once.start()
        if once.proc.wait(timeout=120) != 0:
            raise AssertionError('%s failed:\n%s' % (script,
                                                     once.log_tail()))

    def start(self, script, *args, api=False):
        """Start a console script; ``api=True`` waits for its port."""
        return self.useFixture(process.Process(
            script, self.args + list(args), self.dir,
            wait_port=self.port if api else None))

    def get(self, path, user='admin', **kwargs):
        return self.request('GET', path, user, **kwargs)

    def request(self, method, path, user='admin', **kwargs):
        headers = kwargs.pop('headers', {})
        if user:
            headers['X-Auth-Token'] = self.keystone.token(user)
        return requests.request(method, self.url + path, headers=headers,
                                timeout=30, **kwargs)


class FunctionalTestCase(base.TestCase):
    """Skips (fails in CI) unless the database and RabbitMQ are there."""

    backend = 'postgresql'

    def setUp(self):
        super().setUp()
        services.server_url(services.BACKENDS[self.backend], self.backend)
        services.server_url('STX_TEST_RABBIT', 'RabbitMQ')
        self.useFixture(fixtures.Timeout(600, gentle=True))
