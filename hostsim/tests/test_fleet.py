"""A fleet: each host's BMC powers its agent on and off; hostsim.json."""

import json
import os
import stat
import threading

import fixtures
from pyghmi.ipmi import command as ipmicommand

from hostsim import fleet as fleet_mod
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures


class _Agent:
    """Counts starts and stops, as the sysinv agent would run and halt."""

    def __init__(self):
        self.running = False
        self.starts = 0
        self.lock = threading.Lock()

    def start(self):
        with self.lock:
            self.running = True
            self.starts += 1

    def stop(self):
        with self.lock:
            self.running = False


class FleetTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.state_dir = self.useFixture(fixtures.TempDir()).path
        self.fleet = fleet_mod.Fleet(self.state_dir, fleet_mod.plan(2))
        self.agents = {h['hostname']: _Agent() for h in self.fleet.hosts}
        self.prepared = []
        self.service = fleet_mod.FleetService(
            self.fleet, self.agents, lambda: self.prepared.append(True))
        self.service.start()
        self.addCleanup(self.service.stop)

    def _inventory(self):
        with open(self.fleet.inventory_path) as f:
            return json.load(f)

    def test_plan(self):
        self.assertEqual([('controller-0', 'controller'),
                          ('worker-0', 'worker'), ('worker-1', 'worker'),
                          ('worker-2', 'edge-tiny')], fleet_mod.plan(4))
        self.assertEqual([], fleet_mod.plan(0))

    def test_started_hosts_are_powered_on_with_agents_running(self):
        self.assertEqual([True], self.prepared)
        stx_fixtures.wait_for(lambda: all(
            a.running for a in self.agents.values()))
        inventory = self._inventory()
        self.assertEqual(0o600, stat.S_IMODE(os.stat(
            self.fleet.inventory_path).st_mode))
        self.assertEqual(['controller-0', 'worker-0'],
                         [h['hostname'] for h in inventory['hosts']])
        for host in inventory['hosts']:
            self.assertEqual('admin', host['bmc']['username'])
            self.assertTrue(os.path.isdir(os.path.join(host['root'], 'sys')))

    def test_power_off_over_ipmi_stops_the_agent(self):
        host = self._inventory()['hosts'][1]
        agent = self.agents[host['hostname']]
        stx_fixtures.wait_for(lambda: agent.running)
        ipmi = ipmicommand.Command(
            bmc='127.0.0.1', port=host['bmc']['port'],
            userid=host['bmc']['username'].encode(),
            password=host['bmc']['password'].encode())
        self.addCleanup(ipmi.ipmi_session.logout)
        ipmi.set_power('off', wait=True)
        stx_fixtures.wait_for(lambda: not agent.running)
        self.assertTrue(self.agents['controller-0'].running)
        ipmi.set_power('on', wait=True)
        stx_fixtures.wait_for(lambda: agent.running)
        self.assertEqual(2, agent.starts)

    def test_bmc_password_survives_a_restart(self):
        password = self._inventory()['bmc_password']
        again = fleet_mod.Fleet(self.state_dir, fleet_mod.plan(2))
        self.assertEqual(password, again.bmc_password)
