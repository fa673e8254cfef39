"""sysinv hands its host actions to mtce-agent; mtce reports states back.

All in one process on the in-memory broker: sysinv-conductor and its API,
the real sysinv-agent on a generated host tree, fm-manager, mtce-agent
(the service as mtce-agent builds it), and the host's mtce-client run by
its simulated BMC's power.
"""

import os
import queue
import random
import uuid

import fixtures

from fm.tests.unit import base as fm_base
from hostsim.bmc import SimulatedBmc
from mtce.agent import rpcapi as mtce_rpcapi
from mtce.agent import service as mtce_service
from mtce.client import host as host_client
from mtce import conf as mtce_conf
from stxcommon.tests import fixtures as stx_fixtures
from sysinv.tests.unit import base
from sysinv.tests.unit import test_host_actions

USER = 'admin'
PASSWORD = 'Bmc-pa55-word'
BMC_IP = '127.0.0.251'
WAIT = 30.0


class SysinvWithMtceTest(base.SysinvTestCase):

    # the host action helpers of sysinv's own tests
    action = test_host_actions.HostActionTest.action
    host = test_host_actions.HostActionTest.host
    wait_host = test_host_actions.HostActionTest.wait_host
    alarms = test_host_actions.HostActionTest.alarms
    wait_alarms = test_host_actions.HostActionTest.wait_alarms
    modify_cpus = test_host_actions.HostActionTest.modify_cpus
    give_platform_cores = test_host_actions.HostActionTest.give_platform_cores

    def sysinv_overrides(self):
        self.fm = self.useFixture(fm_base.FmFixture())
        self.mtce_topic = 'mtce.agent.' + uuid.uuid4().hex[:8]
        return {('fm', 'fault_topic'): self.fm.conf.manager.fault_topic,
                ('fm', 'rpc_topic'): self.fm.conf.manager.rpc_topic,
                ('conductor', 'config_timeout'): 10,
                ('conductor', 'maintenance'): 'mtce',
                ('conductor', 'mtce_topic'): self.mtce_topic}

    def setUp(self):
        super().setUp()
        self.bmc_port = stx_fixtures.free_udp_port()
        state = self.useFixture(fixtures.TempDir()).path
        self.mtce_conf = self.useFixture(stx_fixtures.ServiceConf(
            mtce_conf.new_conf, 'mtce', {
                ('agent', 'topic'): self.mtce_topic,
                ('agent', 'sync_interval'): 1,
                ('agent', 'offline_timeout'): 3,
                ('agent', 'alive_port'): 0,
                ('sysinv', 'topic'): self.sysinv.conf.conductor.topic,
                ('fm', 'fault_topic'): self.fm.conf.manager.fault_topic,
                ('fm', 'rpc_topic'): self.fm.conf.manager.rpc_topic,
                ('heartbeat', 'key_file'): os.path.join(state, 'hb.key'),
                ('recovery', 'heartbeat_soak'): 0.5,
                ('bmc', 'port'): self.bmc_port,
                ('bmc', 'timeout'): 5.0,
                ('bmc', 'workers'): 2,
            })).conf
        self.mtce = mtce_service.build(self.mtce_conf,
                                       self.sysinv.rpc_transport,
                                       self.sysinv.notification_transport)
        self.mtce.start()
        self.addCleanup(self.mtce.stop)
        self.key = mtce_service.heartbeat_key(self.mtce_conf)

    def start_host(self, hostname='worker-0'):
        """A provisioned host with a BMC, powered on through IPMI."""
        simulated = self.useFixture(base.SimulatedHost(self.sysinv, 'worker',
                                                       hostname))
        self.add_host(hostname, simulated.facts['mgmt_mac'], 'worker',
                      bm_type='ipmi', bm_ip=BMC_IP, bm_username=USER,
                      bm_password=PASSWORD)
        simulated.start()
        power = queue.Queue()
        clients = self.clients = []
        group = '239.254.%d.%d' % (random.randrange(256),
                                   random.randrange(1, 255))
        agent_api = mtce_rpcapi.AgentAPI(self.sysinv.rpc_transport,
                                         self.mtce_topic)

        def power_changed(state):
            if state == 'on':
                client = host_client.HostClient(
                    self.key, hostname,
                    {'management': ('127.0.1.251', 0),
                     'cluster-host': ('127.0.2.251', 0)},
                    agent_api, root=simulated.root, alive_interval=0.3,
                    agent_address=self.mtce.alive.address,
                    # management pulses come on a multicast group, as
                    # StarlingX sends them; cluster-host ones unicast
                    multicast={'management': (group, 0)})
                client.start()
                clients.append(client)
            else:
                while clients:
                    clients.pop().stop()
            power.put(state)
        self.addCleanup(lambda: [c.stop() for c in clients])
        bmc = SimulatedBmc(hostname, address=BMC_IP, port=self.bmc_port,
                           username=USER, password=PASSWORD,
                           on_power_change=power_changed)
        bmc.start()
        self.addCleanup(bmc.stop)
        bmc.power_on()
        self.assertEqual('on', power.get(timeout=WAIT))
        return bmc, power

    def test_actions_go_through_mtce(self):
        _bmc, power = self.start_host()
        # mtce learns the host from sysinv and its mtce-client: online,
        # and as a locked host it is out of service (200.001)
        self.wait_host('worker-0', availability='online')
        self.wait_alarms('200.001', ['host=worker-0'])

        self.give_platform_cores('worker-0')
        self.action('worker-0', 'unlock')
        host = self.wait_host('worker-0', administrative='unlocked',
                              operational='enabled',
                              availability='available', task='')
        self.assertEqual(host['config_target'], host['config_applied'])
        self.wait_alarms('200.001', [])
        machines = self.mtce.maintenance.snapshot()
        self.assertEqual([('worker-0', 'enabled', True)],
                         [(m['hostname'], m['stage'], m['monitored'])
                          for m in machines])
        # management pulses arrive on the group, and keep the host ok
        taken = self.clients[-1].responder.stats
        stx_fixtures.wait_for(lambda: taken['multicast'] >= 20, timeout=WAIT)
        self.assertEqual('ok', self.mtce.monitor.state('worker-0'))
        self.wait_host('worker-0', availability='available')

        self.action('worker-0', 'lock')
        self.wait_host('worker-0', administrative='locked',
                       operational='disabled', availability='online',
                       task='')
        self.wait_alarms('200.001', ['host=worker-0'])
        self.assertEqual([], self.mtce.monitor.hosts())

        self.action('worker-0', 'power-off')
        self.assertEqual('off', power.get(timeout=WAIT))
        self.wait_host('worker-0', availability='power-off', task='')
        self.action('worker-0', 'power-on')
        self.assertEqual('on', power.get(timeout=WAIT))
        self.wait_host('worker-0', availability='online', task='')

        self.action('worker-0', 'reboot')
        self.assertEqual(['off', 'on'], [power.get(timeout=WAIT)
                                         for _ in range(2)])
        self.wait_host('worker-0', availability='online', task='')

