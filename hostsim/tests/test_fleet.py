"""A fleet: each host's BMC powers its agent on and off; hostsim.json."""

import json
import os
import shutil
import stat
import subprocess
import threading

import fixtures
from pyghmi.ipmi import command as ipmicommand
from testtools import content

from hostsim import fleet as fleet_mod
from hostsim import tree
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures

IPMITOOL = shutil.which('ipmitool')
# ipmitool's threshold columns of ``sensor``, after name, value, unit and
# status.
THRESHOLD_COLUMNS = ('lower_non_recoverable', 'lower_critical',
                     'lower_non_critical', 'upper_non_critical',
                     'upper_critical', 'upper_non_recoverable')
UNITS = {'temperature': 'degrees C', 'fan': 'RPM', 'voltage': 'Volts'}


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

    def _ipmi(self, host):
        ipmi = ipmicommand.Command(
            bmc=host['bmc']['address'], port=host['bmc']['port'],
            userid=host['bmc']['username'].encode(),
            password=host['bmc']['password'].encode())
        self.addCleanup(ipmi.ipmi_session.logout)
        return ipmi

    def test_plan(self):
        self.assertEqual([('controller-0', 'controller'),
                          ('worker-0', 'worker'), ('worker-1', 'worker'),
                          ('worker-2', 'edge-tiny')], fleet_mod.plan(4))
        self.assertEqual([], fleet_mod.plan(0))

    def test_plan_of_profiles(self):
        self.assertEqual([('worker-0', 'worker-large'),
                          ('controller-0', 'controller'),
                          ('worker-1', 'edge-tiny'),
                          ('worker-2', 'worker-large'),
                          ('controller-1', 'controller')],
                         fleet_mod.plan(5, ['worker-large', 'controller',
                                            'edge-tiny']))
        custom = os.path.join(self.state_dir, 'my-controller.yaml')
        shutil.copy(os.path.join(tree.PROFILE_DIR, 'controller.yaml'),
                    custom)
        # named for its profile's name, not its file's
        self.assertEqual([('controller-0', custom)],
                         fleet_mod.plan(1, [custom]))
        self.assertRaises(tree.ProfileError, fleet_mod.plan, 1, ['nope'])

    def test_started_hosts_are_powered_on_with_agents_running(self):
        self.assertEqual([True], self.prepared)
        stx_fixtures.wait_for(lambda: all(
            a.running for a in self.agents.values()))
        inventory = self._inventory()
        self.assertEqual(0o600, stat.S_IMODE(os.stat(
            self.fleet.inventory_path).st_mode))
        self.assertEqual(['controller-0', 'worker-0'],
                         [h['hostname'] for h in inventory['hosts']])
        self.assertEqual(['controller', 'worker'],
                         [h['personality'] for h in inventory['hosts']])
        for host in inventory['hosts']:
            self.assertEqual('admin', host['bmc']['username'])
            self.assertTrue(os.path.isdir(os.path.join(host['root'], 'sys')))
            self.assertNotIn('sensors', host)   # the BMC tells them

    def test_bmc_serves_the_profile_sensors(self):
        host = self._inventory()['hosts'][1]
        expected = tree.load_profile('worker')['sensors']
        readings = {r.name: r for r in self._ipmi(host).get_sensor_data()}
        self.assertEqual(sorted(s['name'] for s in expected),
                         sorted(readings))
        for sensor in expected:
            reading = readings[sensor['name']]
            self.assertAlmostEqual(sensor['value'], reading.value,
                                   delta=0.01, msg=sensor['name'])
            self.assertEqual(0, reading.health, sensor['name'])

    def test_power_off_over_ipmi_stops_the_agent(self):
        host = self._inventory()['hosts'][1]
        agent = self.agents[host['hostname']]
        stx_fixtures.wait_for(lambda: agent.running)
        ipmi = self._ipmi(host)
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


class FleetIpmitoolTest(base.TestCase):
    """A fleet host's sensors as ipmitool, an independent client, sees them.
    """

    def setUp(self):
        super().setUp()
        if IPMITOOL is None:
            self.skipTest('ipmitool is not installed '
                          '(apt-get install -y ipmitool)')
        state_dir = self.useFixture(fixtures.TempDir()).path
        fleet = fleet_mod.Fleet(state_dir, [('worker-7', 'worker-large')])
        self.sensors = fleet.hosts[0]['sensors']
        service = fleet_mod.FleetService(fleet, {'worker-7': _Agent()})
        service.start()
        self.addCleanup(service.stop)
        with open(fleet.inventory_path) as f:
            self.bmc = json.load(f)['hosts'][0]['bmc']

    def ipmitool(self, *args):
        argv = [IPMITOOL, '-I', 'lanplus', '-H', self.bmc['address'],
                '-p', str(self.bmc['port']), '-U', self.bmc['username'],
                '-P', self.bmc['password'], '-N', '1', '-R', '2', *args]
        proc = subprocess.run(argv, capture_output=True, text=True,
                              timeout=60)
        self.addDetail('ipmitool %s' % ' '.join(args),
                       content.text_content(proc.stdout + proc.stderr))
        self.assertEqual(0, proc.returncode, proc.stderr)
        rows = {}
        for line in proc.stdout.splitlines():
            fields = [f.strip() for f in line.split('|')]
            rows[fields[0]] = fields[1:]
        return rows

    def test_sdr_list(self):
        rows = self.ipmitool('sdr', 'list')
        self.assertEqual(sorted(s['name'] for s in self.sensors),
                         sorted(rows))
        for sensor in self.sensors:
            reading, status = rows[sensor['name']]
            number, unit = reading.split(' ', 1)
            self.assertAlmostEqual(sensor['value'], float(number),
                                   delta=0.01, msg=sensor['name'])
            self.assertEqual((UNITS[sensor['type']], 'ok'), (unit, status))

    def test_sensor_thresholds(self):
        rows = self.ipmitool('sensor')
        self.assertEqual(sorted(s['name'] for s in self.sensors),
                         sorted(rows))
        for sensor in self.sensors:
            value, unit, status, *limits = rows[sensor['name']]
            self.assertAlmostEqual(sensor['value'], float(value),
                                   delta=0.01, msg=sensor['name'])
            self.assertEqual((UNITS[sensor['type']], 'ok'), (unit, status))
            shown = {name: float(limit) for name, limit in
                     zip(THRESHOLD_COLUMNS, limits) if limit != 'na'}
            self.assertEqual(sorted(sensor['thresholds']), sorted(shown),
                             sensor['name'])
            for name, limit in sensor['thresholds'].items():
                # thresholds travel as one raw byte, like readings
                self.assertAlmostEqual(limit, shown[name], delta=0.05,
                                       msg='%s %s' % (sensor['name'], name))
