"""A whole sysinv in one process: sqlite, in-memory broker, noauth API."""

import json
import os
import uuid

from oslo_context import context
import fixtures
import webtest

from hostsim import tree
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures
from sysinv.agent import service as agent_service
from sysinv.api import app
from sysinv.conductor import rpcapi
from sysinv.conductor import service as conductor_service
from sysinv import conf as sysinv_conf
from sysinv.db import api as db_api
from sysinv.db import migration

READER = {'X-Roles': 'reader'}
MISSING = '8b6e4a2c-4f4e-4b7e-9a53-000000000000'


def report(mac='08:00:27:00:00:01', hostname='node-1', cpus=4, disks=2,
           ports=2, numa_nodes=1):
    """An agent inventory report of a small host."""
    return {
        'hostname': hostname,
        'mgmt_mac': mac,
        'cpus': [{'cpu': i, 'numa_node': i % numa_nodes, 'socket': 0,
                  'core': i // 2, 'thread': i % 2,
                  'cpu_model': 'Intel(R) Xeon(R) Gold 6230',
                  'cpu_family': '6'} for i in range(cpus)],
        'memory': [{'numa_node': n, 'total_mib': 32768,
                    'available_mib': 30000, 'hugepages_2m_total': 512,
                    'hugepages_2m_free': 512, 'hugepages_1g_total': 0,
                    'hugepages_1g_free': 0} for n in range(numa_nodes)],
        'disks': [{'device_node': '/dev/sd%s' % 'abcdefgh'[i],
                   'device_path': '/dev/disk/by-path/pci-0000:00:1f.2-'
                                  'ata-%d' % (i + 1),
                   'size_mib': 476940, 'device_type': 'SSD',
                   'serial': 'SN%04d' % i, 'model': 'SAMSUNG MZ7LH480'}
                  for i in range(disks)],
        'ports': [{'name': 'eth%d' % i,
                   'mac': '08:00:27:00:01:%02x' % i, 'mtu': 1500,
                   'speed': 10000, 'driver': 'ixgbe',
                   'pciaddr': '0000:05:00.%d' % i, 'numa_node': 0,
                   'sriov_totalvfs': 63, 'sriov_numvfs': 0}
                  for i in range(ports)],
        'pci_devices': [{'pciaddr': '0000:05:00.%d' % i,
                         'class_id': '020000', 'vendor_id': '8086',
                         'device_id': '10fb', 'driver': 'ixgbe',
                         'numa_node': 0, 'kind': 'nic'}
                        for i in range(ports)],
    }


class SysinvFixture(fixtures.Fixture):
    """sysinv-conductor as a thread, its RPC client, and the API behind
    webtest. Each instance gets its own RPC topic."""

    def __init__(self, start_conductor=True, overrides=None):
        self.start_conductor = start_conductor
        self.overrides = overrides or {}

    def _setUp(self):
        suffix = uuid.uuid4().hex[:8]
        self.key_file = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'bmc.key')
        self.conf = conf = self.useFixture(stx_fixtures.ServiceConf(
            sysinv_conf.new_conf, 'sysinv', {
                ('conductor', 'topic'): 'sysinv.conductor.' + suffix,
                ('agent', 'topic'): 'sysinv.agent.' + suffix,
                ('bmc', 'credential_key_file'): self.key_file,
                # no mtce-agent here unless a test brings one
                ('conductor', 'maintenance'): 'local',
                **self.overrides})).conf
        self.database = self.useFixture(stx_fixtures.SqliteDatabase(
            conf, migration.upgrade)).database
        self.connection = db_api.get_connection(self.database)
        self.connection.ensure_system()
        transports = self.useFixture(stx_fixtures.MemoryTransports(conf))
        self.rpc_transport = transports.rpc
        self.notification_transport = transports.notification
        self.conductor = conductor_service.build(
            conf, self.rpc_transport, self.notification_transport)
        if self.start_conductor:
            self.conductor.start()
            self.addCleanup(self.conductor.stop)
        self.conductor_api = rpcapi.ConductorAPI(
            self.rpc_transport, conf.conductor.topic, timeout=10)
        self.context = context.RequestContext(user_id='agent',
                                              project_id='services')
        self.app = webtest.TestApp(app.setup_app(conf, self.rpc_transport))


class SysinvTestCase(base.TestCase):
    def setUp(self):
        super().setUp()
        self.sysinv = self.useFixture(SysinvFixture(
            overrides=self.sysinv_overrides()))
        self.app = self.sysinv.app
        self.dbapi = self.sysinv.connection

    def sysinv_overrides(self):
        """{(group, option): value} for sysinv's conf in this test."""
        return {}

    def error(self, response):
        """The faultstring inside StarlingX's error_message."""
        return json.loads(response.json['error_message'])['faultstring']

    def add_host(self, hostname='worker-0', mac='08:00:27:00:00:10',
                 personality='worker', **extra):
        body = dict(hostname=hostname, mgmt_mac=mac,
                    personality=personality, **extra)
        return self.app.post_json('/v1/ihosts', body, status=201).json


class SimulatedHost(fixtures.Fixture):
    """A generated host tree and its real sysinv-agent on ``sysinv``'s
    broker; :meth:`start` the agent once the host is added (or not)."""

    def __init__(self, sysinv, profile='worker', hostname='worker-0'):
        self.sysinv = sysinv
        self.profile = profile
        self.hostname = hostname

    def _setUp(self):
        self.root = os.path.join(self.useFixture(fixtures.TempDir()).path,
                                 self.hostname)
        self.facts = tree.generate(self.profile, self.root, self.hostname)
        self.conf = self.useFixture(stx_fixtures.ServiceConf(
            sysinv_conf.new_conf, 'sysinv', {
                ('agent', 'root'): self.root,
                ('agent', 'topic'): self.sysinv.conf.agent.topic,
                ('conductor', 'topic'): self.sysinv.conf.conductor.topic,
            })).conf
        self.agent = agent_service.AgentService(self.conf,
                                                self.sysinv.rpc_transport)

    def start(self):
        self.agent.start()
        self.addCleanup(self.agent.stop)

