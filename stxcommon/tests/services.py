"""Real PostgreSQL, MariaDB and RabbitMQ for functional tests.

``tools/run_tests.py`` starts the servers and exports STX_TEST_POSTGRESQL,
STX_TEST_MYSQL and STX_TEST_RABBIT for the ones that answer. Each fixture
here makes a private database or vhost and drops it afterwards. A server
that is not there skips the test, or fails it when CI=true.
"""

import contextlib
import os
import subprocess
import uuid

import fixtures
import sqlalchemy as sa
import testtools

IN_CI = os.environ.get('CI', '').lower() == 'true'

BACKENDS = {
    'postgresql': 'STX_TEST_POSTGRESQL',
    'mysql': 'STX_TEST_MYSQL',
}


def server_url(variable, what):
    """The URL the runner exported, else skip (fail in CI)."""
    url = os.environ.get(variable)
    if not url:
        message = '%s is not available (%s unset)' % (what, variable)
        if IN_CI:
            raise AssertionError('CI=true: ' + message)
        raise testtools.TestCase.skipException(message)
    return url


class Database(fixtures.Fixture):
    """A fresh database on a real server; ``url`` is its SQLAlchemy URL."""

    def __init__(self, backend):
        self.backend = backend

    def _setUp(self):
        base = server_url(BACKENDS[self.backend], self.backend)
        name = 'stx_test_%s' % uuid.uuid4().hex[:12]
        admin_db = 'postgres' if self.backend == 'postgresql' else ''
        engine = sa.create_engine(base + admin_db,
                                  isolation_level='AUTOCOMMIT')
        with engine.connect() as connection:
            connection.execute(sa.text('CREATE DATABASE %s' % name))
        self.addCleanup(self._drop, engine, name)
        self.url = base + name

    def _drop(self, engine, name):
        with engine.connect() as connection:
            if self.backend == 'postgresql':
                connection.execute(sa.text(
                    'DROP DATABASE IF EXISTS %s WITH (FORCE)' % name))
            else:
                connection.execute(sa.text('DROP DATABASE IF EXISTS %s'
                                           % name))
        engine.dispose()


class RabbitVhost(fixtures.Fixture):
    """A private RabbitMQ vhost, so runs never see each other's queues."""

    def _setUp(self):
        base = server_url('STX_TEST_RABBIT', 'RabbitMQ')
        self.vhost = 'stx-test-%s' % uuid.uuid4().hex[:12]
        self._ctl('add_vhost', self.vhost)
        self.addCleanup(self._ctl, 'delete_vhost', self.vhost)
        self._ctl('set_permissions', '-p', self.vhost, 'guest', '.*', '.*',
                  '.*')
        self.url = base + self.vhost

    def queues(self):
        """Names of the queues in this vhost."""
        listing = subprocess.run(
            ['rabbitmqctl', '-q', 'list_queues', '-p', self.vhost, 'name',
             '--no-table-headers'], check=True, capture_output=True,
            text=True, timeout=60)
        return listing.stdout.split()

    def messages(self, queue):
        """Messages waiting in ``queue`` of this vhost (0 if it is not
        there)."""
        listing = subprocess.run(
            ['rabbitmqctl', '-q', 'list_queues', '-p', self.vhost, 'name',
             'messages', '--no-table-headers'], check=True,
            capture_output=True, text=True, timeout=60)
        for line in listing.stdout.splitlines():
            name, _sep, count = line.strip().partition('\t')
            if name == queue:
                return int(count)
        return 0

    @contextlib.contextmanager
    def gone(self):
        """The broker away for this vhost's users: the vhost is deleted
        (its connections cut, its queues lost) and made again after."""
        self._ctl('delete_vhost', self.vhost)
        try:
            yield
        finally:
            self._ctl('add_vhost', self.vhost)
            self._ctl('set_permissions', '-p', self.vhost, 'guest', '.*',
                      '.*', '.*')

    @staticmethod
    def _ctl(*args):
        subprocess.run(['rabbitmqctl', '-q'] + list(args), check=True,
                       stdout=subprocess.DEVNULL, timeout=60)
