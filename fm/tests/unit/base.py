"""A whole fm in one process: sqlite, in-memory broker, noauth API."""

import time
import uuid

import fixtures
import webtest

from fm.api import app
from fm import conf as fm_conf
from fm.db import api as db_api
from fm.db import migration
from fm.manager import service as manager_service
from stxcommon.db import engine
from stxcommon import messaging
from stxcommon.tests import base

MEMORY_URL = 'kombu+memory:////'


class FmFixture(fixtures.Fixture):
    """fm-manager running as a thread and the API behind webtest.

    Every instance gets its own topics, so messages left on the shared
    in-memory broker by one test never reach another.
    """

    def __init__(self, start_manager=True):
        self.start_manager = start_manager

    def _setUp(self):
        tmp = self.useFixture(fixtures.TempDir()).path
        self.conf = conf = fm_conf.new_conf()
        conf([], project='fm')
        suffix = uuid.uuid4().hex[:8]
        conf.set_override('connection', 'sqlite:///%s/fm.sqlite' % tmp,
                          group='database')
        conf.set_override('auth_strategy', 'noauth')
        conf.set_override('transport_url', MEMORY_URL)
        conf.set_override('fault_topic', 'fm_faults_' + suffix, 'manager')
        conf.set_override('event_topic', 'fm_events_' + suffix, 'manager')
        conf.set_override('rpc_topic', 'fm.manager.' + suffix, 'manager')
        conf.set_override('batch_timeout', 0.02, 'manager')
        conf.set_override('retry_delay', 0.05, 'manager')
        self.database = engine.Database(conf)
        migration.upgrade(self.database)
        self.addCleanup(self.database.dispose)
        self.connection = db_api.get_connection(self.database)
        self.transport = messaging.get_notification_transport(
            conf, url=MEMORY_URL)
        self.addCleanup(self.transport.cleanup)
        self.rpc_transport = messaging.get_transport(conf, url=MEMORY_URL)
        self.addCleanup(self.rpc_transport.cleanup)
        self.manager = manager_service.build(conf, self.rpc_transport,
                                             self.transport)
        if self.start_manager:
            self.manager.start()
            self.addCleanup(self.manager.stop)
        self.app = webtest.TestApp(app.setup_app(conf, self.transport,
                                                   self.rpc_transport))


def wait_for(predicate, timeout=10.0, interval=0.02):
    """Poll until ``predicate()`` is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('condition not met within %.1fs' % timeout)
        time.sleep(interval)


class FmTestCase(base.TestCase):
    def setUp(self):
        super().setUp()
        self.fm = self.useFixture(FmFixture())
        self.app = self.fm.app
