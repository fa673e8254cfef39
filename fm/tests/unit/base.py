"""A whole fm in one process: sqlite, in-memory broker, noauth API."""

import uuid

import fixtures
import webtest

from fm.api import app
from fm import conf as fm_conf
from fm.db import api as db_api
from fm.db import migration
from fm.manager import service as manager_service
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures

MEMORY_URL = stx_fixtures.MEMORY_URL
wait_for = stx_fixtures.wait_for


class FmFixture(fixtures.Fixture):
    """fm-manager running as a thread and the API behind webtest.

    Every instance gets its own topics, so messages left on the shared
    in-memory broker by one test never reach another.
    """

    def __init__(self, start_manager=True):
        self.start_manager = start_manager

    def _setUp(self):
        suffix = uuid.uuid4().hex[:8]
        self.conf = conf = self.useFixture(stx_fixtures.ServiceConf(
            fm_conf.new_conf, 'fm', {
                ('manager', 'fault_topic'): 'fm_faults_' + suffix,
                ('manager', 'event_topic'): 'fm_events_' + suffix,
                ('manager', 'rpc_topic'): 'fm.manager.' + suffix,
                ('manager', 'batch_timeout'): 0.02,
                ('manager', 'retry_delay'): 0.05,
            })).conf
        self.database = self.useFixture(stx_fixtures.SqliteDatabase(
            conf, migration.upgrade)).database
        self.connection = db_api.get_connection(self.database)
        transports = self.useFixture(stx_fixtures.MemoryTransports(conf))
        self.transport = transports.notification
        self.rpc_transport = transports.rpc
        self.manager = manager_service.build(conf, self.rpc_transport)
        if self.start_manager:
            self.manager.start()
            self.addCleanup(self.manager.stop)
        self.app = webtest.TestApp(app.setup_app(conf, self.transport,
                                                   self.rpc_transport))


class FmTestCase(base.TestCase):
    def setUp(self):
        super().setUp()
        self.fm = self.useFixture(FmFixture())
        self.app = self.fm.app
