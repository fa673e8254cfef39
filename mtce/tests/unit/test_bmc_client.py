"""The BMC client against simulated BMCs: real IPMI packets on loopback.

The simulators run in this process; the client's pyghmi runs in worker
processes, as it does in mtce-agent and the all-in-one.
"""

import logging
import os
import queue
import signal
import threading
import time

import fixtures

from hostsim.bmc import SimulatedBmc
from mtce import bmc as mtce_bmc
from mtce.bmc import ipmi
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures

USER = 'admin'
PASSWORD = 'Sim-s3cret-7f2e'
TIMEOUT = 3.0        # the client's timeout in these tests
SLACK = 1.0          # what a call may take beyond its timeout
WAIT = 10.0          # upper bound for every wait on the simulator

SENSORS = [
    {'name': 'CPU0 Temp', 'type': 'temperature', 'value': 52.5,
     'thresholds': {'upper_non_critical': 85, 'upper_critical': 95}},
    {'name': 'Inlet Temp', 'type': 'temperature', 'value': 24,
     'thresholds': {'upper_non_critical': 40, 'upper_critical': 45,
                    'upper_non_recoverable': 50}},
    {'name': 'Fan 1', 'type': 'fan', 'value': 7200,
     'thresholds': {'lower_non_critical': 1000, 'lower_critical': 500}},
    {'name': 'Fan 2', 'type': 'fan', 'value': 6850},
    {'name': '12V', 'type': 'voltage', 'value': 12.07,
     'thresholds': {'lower_critical': 10.8, 'upper_critical': 13.2}},
]


class BmcClientTestBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(fixtures.FakeLogger(
            level=logging.DEBUG, name=None,
            format='%(levelname)s %(name)s %(message)s'))
        self.pool = mtce_bmc.WorkerPool(size=2)
        self.addCleanup(self.pool.close)

    def start_bmc(self, host_name='sim-host-0', **kwargs):
        """A started BMC whose power-change callbacks go to a queue."""
        events = queue.Queue()
        kwargs.setdefault('username', USER)
        kwargs.setdefault('password', PASSWORD)
        kwargs.setdefault('on_power_change', events.put)
        bmc = SimulatedBmc(host_name, **kwargs)
        bmc.start()
        self.addCleanup(bmc.stop)
        bmc.test_events = events
        return bmc

    def client(self, bmc=None, port=None, username=USER, password=PASSWORD,
               timeout=TIMEOUT):
        client = mtce_bmc.BmcClient(
            '127.0.0.1', port if port is not None else bmc.port,
            username=username, password=password, timeout=timeout,
            pool=self.pool)
        return client

    def next_events(self, bmc, count):
        return [bmc.test_events.get(timeout=WAIT) for _ in range(count)]

    def assertNoMoreEvents(self, bmc):
        self.assertTrue(bmc.wait_for_notifications(WAIT))
        self.assertTrue(bmc.test_events.empty(),
                        'unexpected power events: %r'
                        % list(bmc.test_events.queue))

    def assertTakesAtMost(self, seconds, function, *args):
        started = time.monotonic()
        try:
            return function(*args)
        finally:
            self.assertLess(time.monotonic() - started, seconds)


class TestPower(BmcClientTestBase):

    def test_power_status(self):
        bmc = self.start_bmc()
        client = self.client(bmc)
        self.assertEqual('off', client.power_status())
        bmc.power_on()
        self.assertEqual('on', client.power_status())

    def test_power_on_off_reset_cycle(self):
        bmc = self.start_bmc()
        client = self.client(bmc)

        client.power_on()
        self.assertEqual(['on'], self.next_events(bmc, 1))
        self.assertEqual('on', bmc.get_power_state())
        self.assertEqual(mtce_bmc.POWER_ON, client.power_status())

        client.power_on()                       # already on: no transition
        client.power_reset()
        self.assertEqual(['off', 'on'], self.next_events(bmc, 2))
        self.assertEqual('on', client.power_status())

        client.power_cycle()
        self.assertEqual(['off', 'on'], self.next_events(bmc, 2))
        self.assertEqual('on', bmc.get_power_state())

        client.power_off()
        self.assertEqual(['off'], self.next_events(bmc, 1))
        self.assertEqual('off', bmc.get_power_state())
        self.assertEqual(mtce_bmc.POWER_OFF, client.power_status())
        self.assertNoMoreEvents(bmc)

    def test_reset_and_cycle_refused_while_off(self):
        bmc = self.start_bmc()
        client = self.client(bmc)
        for action in (client.power_reset, client.power_cycle):
            error = self.assertRaises(mtce_bmc.BmcError, action)
            self.assertNotIsInstance(error, (mtce_bmc.BmcAuthError,
                                             mtce_bmc.BmcUnreachable))
            self.assertIn('127.0.0.1:%d' % bmc.port, str(error))
            self.assertIn('not supported in present state', str(error))
        self.assertEqual('off', bmc.get_power_state())
        self.assertNoMoreEvents(bmc)

    def test_several_bmcs(self):
        bmcs = [self.start_bmc('sim-host-%d' % i) for i in range(3)]
        clients = [self.client(bmc) for bmc in bmcs]
        clients[1].power_on()
        self.assertEqual(['on'], self.next_events(bmcs[1], 1))
        self.assertEqual(['off', 'on', 'off'],
                         [client.power_status() for client in clients])
        for index in (0, 2):
            self.assertNoMoreEvents(bmcs[index])

    def test_thread_safe(self):
        bmc = self.start_bmc()
        client = self.client(bmc, timeout=WAIT)
        errors = []

        def work():
            try:
                for _ in range(5):
                    client.power_on()
                    client.power_status()
                    client.power_off()
            except Exception as exc:        # reported below
                errors.append(exc)
        threads = [threading.Thread(target=work) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
            self.assertFalse(thread.is_alive())
        self.assertEqual([], errors)
        self.assertTrue(bmc.wait_for_notifications(WAIT))
        self.assertEqual('off', client.power_status())


class TestSensors(BmcClientTestBase):

    def test_readings(self):
        bmc = self.start_bmc(sensors=SENSORS)
        sensors = {s['name']: s for s in self.client(bmc).sensors()}
        self.assertEqual(sorted(s['name'] for s in SENSORS),
                         sorted(sensors))
        units = {'temperature': '°C', 'fan': 'RPM', 'voltage': 'V'}
        for spec in SENSORS:
            sensor = sensors[spec['name']]
            tolerance = bmc.sensor_resolution(spec['name']) / 2 + 1e-6
            self.assertLessEqual(abs(sensor['value'] - spec['value']),
                                 tolerance, spec['name'])
            self.assertEqual(spec['type'], sensor['type'])
            self.assertEqual(units[spec['type']], sensor['unit'])
            self.assertEqual('ok', sensor['state'], spec['name'])
            self.assertTrue(sensor['available'])
            expected = spec.get('thresholds', {})
            self.assertEqual(sorted(expected), sorted(sensor['thresholds']))
            for name, value in expected.items():
                self.assertLessEqual(
                    abs(sensor['thresholds'][name] - value),
                    bmc.sensor_resolution(spec['name']) + 1e-6, name)

    def test_states_follow_thresholds(self):
        bmc = self.start_bmc(sensors=SENSORS)
        client = self.client(bmc)
        client.sensors()
        bmc.set_sensor('CPU0 Temp', 90)         # past upper non-critical
        bmc.set_sensor('Fan 1', 400)            # past lower critical
        bmc.set_sensor('Inlet Temp', 55)        # past non-recoverable
        bmc.set_sensor('Fan 2', None)           # reading unavailable
        sensors = {s['name']: s for s in client.sensors()}
        self.assertEqual('minor', sensors['CPU0 Temp']['state'])
        self.assertEqual('major', sensors['Fan 1']['state'])
        self.assertEqual(400.0, sensors['Fan 1']['value'])
        self.assertIn('lower critical threshold',
                      sensors['Fan 1']['conditions'])
        self.assertEqual('critical', sensors['Inlet Temp']['state'])
        self.assertFalse(sensors['Fan 2']['available'])
        self.assertIsNone(sensors['Fan 2']['value'])
        self.assertEqual('ok', sensors['12V']['state'])
        # and back to normal
        bmc.set_sensor('Fan 1', 5000)
        fan = {s['name']: s for s in client.sensors()}['Fan 1']
        self.assertEqual(('ok', 5000.0), (fan['state'], fan['value']))

    def test_no_sensors(self):
        bmc = self.start_bmc(sensors=[])
        self.assertEqual([], self.client(bmc).sensors())


class TestLoginRefused(BmcClientTestBase):

    def test_wrong_password(self):
        bmc = self.start_bmc()
        # pyghmi's race (a refused login read before its reason is stored)
        # needs another thread running its event loop, as the simulator's
        # does here: repeat so that a lost reason would show.
        for attempt in range(10):
            client = self.client(bmc, password='wrong-password')
            error = self.assertRaises(mtce_bmc.BmcAuthError,
                                      client.power_status)
            message = str(error)
            self.assertIn('127.0.0.1:%d' % bmc.port, message)
            self.assertIn('wrong user name or password', message)
            self.assertIn("'admin'", message)
            self.assertNotIn('wrong-password', message)
            self.assertNotIn('wrong-password', repr(client))
        self.assertEqual('off', self.client(bmc).power_status())
        self.assertNoMoreEvents(bmc)

    def test_unknown_user(self):
        bmc = self.start_bmc()
        client = self.client(bmc, username='mallory')
        error = self.assertTakesAtMost(
            TIMEOUT + SLACK, self.assertRaises, mtce_bmc.BmcAuthError,
            client.power_on)
        self.assertIn("user 'mallory'", str(error))
        self.assertIn('Unauthorized name', str(error))
        self.assertEqual('off', bmc.get_power_state())

    def test_pyghmi_failures_become_bmc_errors(self):
        # Whatever pyghmi raises inside a worker is an answer, not a crash.
        from mtce.bmc import worker

        def broken(*args):
            raise AttributeError('errormsg')
        self.useFixture(fixtures.MonkeyPatch('mtce.bmc.ipmi.run', broken))
        answer = worker._answer({'action': 'power_status',
                                 'address': '127.0.0.1', 'port': 623,
                                 'username': USER, 'password': PASSWORD})
        self.assertEqual(ipmi.ERROR, answer['error'])
        self.assertIn('AttributeError: errormsg', answer['message'])

    def test_unknown_action_refused(self):
        error = self.assertRaises(ipmi.Failure, ipmi.run, 'format_disk',
                                  '127.0.0.1', 623, USER, PASSWORD)
        self.assertEqual(ipmi.ERROR, error.kind)


class TestUnreachable(BmcClientTestBase):

    def test_nothing_listening(self):
        port = stx_fixtures.free_udp_port()
        client = self.client(port=port)
        started = time.monotonic()
        error = self.assertRaises(mtce_bmc.BmcUnreachable,
                                  client.power_status)
        waited = time.monotonic() - started
        self.assertGreaterEqual(waited, TIMEOUT - 0.1)
        self.assertLess(waited, TIMEOUT + SLACK)
        self.assertIn('127.0.0.1:%d' % port, str(error))
        self.assertIn('3.0 s', str(error))
        self.assertAlmostEqual(TIMEOUT, error.waited, delta=SLACK)
        # and again: an abandoned login does not block the next one
        self.assertTakesAtMost(TIMEOUT + SLACK, self.assertRaises,
                               mtce_bmc.BmcUnreachable, client.sensors)

    def test_bmc_stops_answering(self):
        bmc = self.start_bmc()
        client = self.client(bmc)
        self.assertEqual('off', client.power_status())
        bmc.stop()
        error = self.assertTakesAtMost(
            TIMEOUT + SLACK, self.assertRaises, mtce_bmc.BmcUnreachable,
            client.power_on)
        self.assertIn('power on', str(error))

    def test_bmc_answers_again_after_restart(self):
        port = stx_fixtures.free_udp_port()
        bmc = self.start_bmc(port=port)
        client = self.client(bmc)
        client.power_status()
        bmc.stop()
        self.assertRaises(mtce_bmc.BmcUnreachable, client.power_status)
        bmc.start()
        # the session the BMC forgot is not reused: a new login at once
        self.assertTakesAtMost(TIMEOUT + SLACK, client.power_on)
        self.assertEqual(['on'], self.next_events(bmc, 1))


class TestPool(BmcClientTestBase):

    def test_overrun_worker_killed_and_replaced(self):
        bmc = self.start_bmc()
        silent = self.client(port=stx_fixtures.free_udp_port())
        client = self.client(bmc)
        self.assertEqual('off', client.power_status())
        self.assertRaises(mtce_bmc.BmcUnreachable, silent.power_status)
        self.assertEqual(0, self.pool.workers)   # the killed one is gone
        self.assertEqual('off', client.power_status())
        self.assertEqual(1, self.pool.workers)

    def test_silent_bmc_does_not_block_others(self):
        bmc = self.start_bmc()
        silent = self.client(port=stx_fixtures.free_udp_port(), timeout=WAIT)
        thread = threading.Thread(
            target=self.assertRaises,
            args=(mtce_bmc.BmcUnreachable, silent.power_status))
        thread.start()
        self.addCleanup(thread.join)
        client = self.client(bmc)
        self.assertTakesAtMost(TIMEOUT, client.power_on)
        self.assertEqual(['on'], self.next_events(bmc, 1))

    def test_worker_crash_is_a_bmc_error(self):
        bmc = self.start_bmc()
        client = self.client(bmc)
        client.power_status()
        worker = self.pool._idle[-1]
        os.kill(worker.process.pid, signal.SIGKILL)
        worker.process.wait(WAIT)
        # the dead idle worker is noticed and replaced before use
        self.assertEqual('off', client.power_status())

    def test_busy_pool(self):
        pool = mtce_bmc.WorkerPool(size=1)
        self.addCleanup(pool.close)
        silent = mtce_bmc.BmcClient('127.0.0.1', stx_fixtures.free_udp_port(),
                                    username=USER, password=PASSWORD,
                                    timeout=TIMEOUT, pool=pool)
        waiting = mtce_bmc.BmcClient('127.0.0.1', stx_fixtures.free_udp_port(),
                                     username=USER, password=PASSWORD,
                                     timeout=0.3, pool=pool)
        thread = threading.Thread(target=self.assertRaises,
                                  args=(mtce_bmc.BmcUnreachable,
                                        silent.power_status))
        thread.start()
        self.addCleanup(thread.join)
        stx_fixtures.wait_for(lambda: pool.workers == 1)
        error = self.assertRaises(mtce_bmc.BmcError, waiting.power_status)
        self.assertNotIsInstance(error, mtce_bmc.BmcUnreachable)
        self.assertIn('all 1 BMC workers stayed busy', str(error))

    def test_closed_pool_refuses(self):
        bmc = self.start_bmc()
        client = self.client(bmc)
        client.power_status()
        self.pool.close()
        self.assertEqual(0, self.pool.workers)
        error = self.assertRaises(mtce_bmc.BmcError, client.power_status)
        self.assertIn('worker process exited', str(error))

    def test_bad_pool_size(self):
        self.assertRaises(ValueError, mtce_bmc.WorkerPool, size=0)


class TestSecrecy(BmcClientTestBase):

    def test_password_never_logged_nor_in_repr(self):
        bmc = self.start_bmc(sensors=SENSORS)
        client = self.client(bmc)
        client.power_on()
        client.sensors()
        client.power_status()
        error = self.assertRaises(
            mtce_bmc.BmcAuthError,
            self.client(bmc, password=PASSWORD + 'x').power_status)
        self.assertNotIn(PASSWORD, str(error))
        self.assertRaises(mtce_bmc.BmcUnreachable,
                          self.client(port=stx_fixtures.free_udp_port(),
                                      timeout=0.5).power_status)
        output = self.logs.output
        self.assertIn('power on answered in', output)   # logs captured
        self.assertNotIn(PASSWORD, output)
        for text in (repr(client), str(client)):
            self.assertNotIn(PASSWORD, text)
            self.assertIn('127.0.0.1:%d' % bmc.port, text)

    def test_arguments_checked(self):
        self.assertRaises(TypeError, mtce_bmc.BmcClient, '127.0.0.1', 623,
                          USER, PASSWORD)       # credentials by name only
        self.assertRaises(ValueError, mtce_bmc.BmcClient, '',
                          username=USER, password=PASSWORD)
        self.assertRaises(ValueError, mtce_bmc.BmcClient, '127.0.0.1',
                          username=USER, password=PASSWORD, timeout=0)
        client = mtce_bmc.BmcClient('10.0.0.9', username=b'root',
                                    password=b'pw')
        self.assertEqual('10.0.0.9:623', client.endpoint)
        self.assertEqual('root', client.username)
