"""Host state machines against real heartbeat, real IPMI and real fm.

Every simulated host has a BMC (real IPMI on its own loopback address)
whose power starts and stops the host's mtce-client (a real responder
and alive sender, with a new boot id at each power-on).  The state
machines run with a fast heartbeat; fm-manager runs as a thread, so the
alarms checked are the rows it wrote.  Only sysinv is a recorder here:
the wire to sysinv is tested with sysinv itself.
"""

import logging
import os
import queue
import shutil
import threading
import time

import fixtures

from fm.tests.unit import base as fm_base
from hostsim.bmc import SimulatedBmc
from mtce.agent import loop as loop_mod
from mtce.agent import maintenance as mt
from mtce import alarms as mtce_alarms
from mtce import bmc as bmc_mod
from mtce.client import host as host_client
from mtce.client import monitor as client_monitor
from mtce.heartbeat import monitor as monitor_mod
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures
from fm import client as fm_client

KEY = b'a-per-install-heartbeat-key-for-tests'
USER = 'admin'
PASSWORD = 'Bmc-pa55-word'
WAIT = 20.0
_next_address = iter(range(20, 250))


class FastMonitor(monitor_mod.Monitor):
    MIN_PERIOD_MS = 10


class RecordingSysinv:
    """sysinv-conductor as maintenance sees it: host states and BMC
    credentials."""

    def __init__(self):
        self.updates = queue.Queue()
        self.sensors = {}
        self.history = []
        self.states = {}
        self.credentials = {}
        self.policy = {}            # what sysinv answers a sensor report
        self.lock = threading.Lock()
        self.down = threading.Event()   # unreachable while set

    def _reachable(self):
        if self.down.is_set():
            raise RuntimeError('Timed out waiting for a reply (sysinv is '
                               'down)')

    def host_update(self, host_uuid, values, action_done):
        self._reachable()
        with self.lock:
            self.states[host_uuid] = dict(values)
            self.history.append((host_uuid, dict(values)))
        self.updates.put((host_uuid, dict(values), action_done))

    def bm_credentials(self, host_uuid):
        self._reachable()
        return dict(self.credentials[host_uuid])

    def sensors_report(self, host_uuid, sensors, audit_interval):
        self._reachable()
        with self.lock:
            self.sensors[host_uuid] = {s['name']: s for s in sensors}
            return dict(self.policy)


class DirectAgent:
    """mtce-client's alive messages straight into the state machines."""

    def __init__(self, maintenance):
        self.maintenance = maintenance
        self.enabled = True

    def host_alive(self, context, report):
        if self.enabled:
            self.maintenance.host_alive(report)


class SimHost:
    """A host: a BMC whose power runs the host's mtce-client."""

    def __init__(self, test, name, bmc_port, with_bmc=True, boots=True,
                 critical=None):
        self.test = test
        self.critical = critical
        self.name = name
        self.uuid = 'uuid-' + name
        self.boots = boots          # False: powers on but never comes up
        self.client = None
        self.power_events = queue.Queue()
        self.lock = threading.Lock()
        octet = next(_next_address)
        self.bm_ip = '127.0.0.%d' % octet
        self.mgmt_ip = '127.0.1.%d' % octet
        self.cluster_ip = '127.0.2.%d' % octet
        # a simulated host's /proc: no boot id, so every start is a boot
        self.root = test.useFixture(fixtures.TempDir()).path
        os.mkdir(os.path.join(self.root, 'proc'))
        self.bmc = None
        if with_bmc:
            self.bmc = SimulatedBmc(name, address=self.bm_ip, port=bmc_port,
                                    username=USER, password=PASSWORD,
                                    on_power_change=self._power_changed)
            self.bmc.start()
            test.addCleanup(self.bmc.stop)
        test.addCleanup(self.stop_client)

    def record(self, **states):
        record = {'uuid': self.uuid, 'hostname': self.name,
                  'personality': 'worker', 'administrative': 'locked',
                  'operational': 'disabled', 'availability': 'offline',
                  'bm_type': 'ipmi' if self.bmc else None,
                  'bm_ip': self.bm_ip if self.bmc else None,
                  'bm_username': USER if self.bmc else None}
        record.update(states)
        return record

    def power_on(self):
        """Power on as an operator would: through the BMC."""
        if self.bmc is not None:
            self.bmc.power_on()
            self.test.assertEqual('on', self.power_events.get(timeout=WAIT))
        else:
            self.start_client()

    def _power_changed(self, state):
        if state == 'on':
            if self.boots:
                self.start_client()
        else:
            self.stop_client()
        self.power_events.put(state)

    def start_client(self):
        with self.lock:
            if self.client is None:
                watch = None
                if self.critical:
                    watch = client_monitor.HostMonitor(
                        self.name, self.root, self.test.alarm_sender,
                        mounts=(), critical_processes=self.critical)
                self.client = host_client.HostClient(
                    KEY, self.name,
                    {'management': (self.mgmt_ip, 0),
                     'cluster-host': (self.cluster_ip, 0)},
                    self.test.agent, root=self.root, alive_interval=0.2,
                    monitor=watch)
                self.client.start()

    def stop_client(self):
        with self.lock:
            client, self.client = self.client, None
        if client is not None:
            client.stop()


class MaintenanceTest(base.TestCase):

    boot_timeout = 10
    max_attempts = 3

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(fixtures.FakeLogger(
            level=logging.INFO, format='%(levelname)s %(name)s %(message)s'))
        self.fm = self.useFixture(fm_base.FmFixture())
        fault_api = fm_client.FaultAPIs(
            self.fm.transport, self.fm.rpc_transport,
            fault_topic=self.fm.conf.manager.fault_topic,
            rpc_topic=self.fm.conf.manager.rpc_topic)
        self.alarm_sender = fm_client.HostAlarmSender(fault_api)
        self.sysinv = RecordingSysinv()
        self.bmc_port = stx_fixtures.free_udp_port()
        pool = bmc_mod.WorkerPool(size=2)
        self.addCleanup(pool.close)

        def bmc_client(address, username, password):
            return bmc_mod.BmcClient(address, self.bmc_port,
                                     username=username, password=password,
                                     timeout=5.0, pool=pool)

        self.loop = loop_mod.EventLoop(workers=4)
        self.monitor = FastMonitor(
            KEY, {'management': ('127.0.0.1', 0),
                  'cluster-host': ('127.0.0.1', 0)},
            period_ms=20, minor=2, degrade=4, failure=8,
            on_change=lambda *c: self.maintenance.heartbeat_changed(*c))
        self.maintenance = mt.Maintenance(
            self.loop, self.monitor, self.sysinv,
            mtce_alarms.HostAlarms(fault_api), bmc_client,
            boot_timeout=self.boot_timeout, max_attempts=self.max_attempts,
            heartbeat_soak=0.3, offline_timeout=1, bmc_audit_interval=2,
            alarm_reconcile_interval=1.0)
        self.agent = DirectAgent(self.maintenance)
        self.monitor.start()
        self.addCleanup(self.monitor.stop)
        self.loop.start()
        self.addCleanup(self.loop.stop)
        self.maintenance.start()

    # -- helpers ---------------------------------------------------------

    def add_host(self, name, power_on=True, **kwargs):
        host = SimHost(self, name, self.bmc_port, **kwargs)
        self.sysinv.credentials[host.uuid] = {
            'bm_type': 'ipmi', 'bm_ip': host.bm_ip, 'bm_username': USER,
            'bm_password': PASSWORD}
        self.maintenance.host_upsert(host.record())
        if power_on:
            host.power_on()
            self.wait_states(host, availability='online')
        return host

    def unlock(self, host):
        self.maintenance.host_action(host.record(), 'unlock')
        self.wait_states(host, administrative='unlocked',
                         operational='enabled', availability='available')

    def states(self, host):
        with self.sysinv.lock:
            return dict(self.sysinv.states.get(host.uuid, {}))

    def wait_states(self, host, timeout=WAIT, **expected):
        return stx_fixtures.wait_for(
            lambda: all(self.states(host).get(k) == v
                        for k, v in expected.items()), timeout=timeout)

    def wait_seen(self, host, timeout=WAIT, **expected):
        """Wait until sysinv was told these states at some point."""
        def seen():
            with self.sysinv.lock:
                history = list(self.sysinv.history)
            return any(uuid == host.uuid and all(
                values.get(k) == v for k, v in expected.items())
                for uuid, values in history)
        return stx_fixtures.wait_for(seen, timeout=timeout)

    def alarms(self, host):
        rows = self.fm.connection.alarms_by_entity('host=%s' % host.name)
        return {row.alarm_id: row for row in rows}

    def wait_alarms(self, host, expected, timeout=WAIT):
        stx_fixtures.wait_for(lambda: set(self.alarms(host)) == set(expected),
                              timeout=timeout)
        return self.alarms(host)

    def wait_event(self, host, alarm_id):
        """The first 'set' of ``alarm_id`` in the event log (alarms may be
        raised and cleared before a look at the active list)."""
        def found():
            rows = self.fm.app.get(
                '/v1/event_log?alarms=True&sort_dir=asc&q.field='
                'entity_instance_id&q.op=eq&q.value=host=%s'
                % host.name).json['event_log']
            return [row for row in rows if row['event_log_id'] == alarm_id
                    and row['state'] == 'set']
        return stx_fixtures.wait_for(found, timeout=WAIT)[0]

    def alarms_history(self, host, alarm_id):
        """Every reason text ``alarm_id`` was raised with."""
        rows = self.fm.app.get(
            '/v1/event_log?alarms=True&sort_dir=asc&q.field='
            'entity_instance_id&q.op=eq&q.value=host=%s'
            % host.name).json['event_log']
        return ' | '.join(row['reason_text'] for row in rows
                          if row['event_log_id'] == alarm_id)

    def logs_of(self, host):
        rows = self.fm.app.get(
            '/v1/event_log?logs=True&sort_dir=asc&q.field='
            'entity_instance_id&q.op=eq&q.value=host=%s.event'
            % host.name).json['event_log']
        return [row['reason_text'] for row in rows]

    def machine(self, host):
        return {h['hostname']: h for h in self.maintenance.snapshot()}[
            host.name]


class TestEnable(MaintenanceTest):

    def test_unlock_enables_after_heartbeat_soak(self):
        host = self.add_host('worker-0')
        self.unlock(host)
        updates = []
        while not self.sysinv.updates.empty():
            updates.append(self.sysinv.updates.get())
        self.assertIn((host.uuid, {'administrative': 'unlocked',
                                   'operational': 'enabled',
                                   'availability': 'available'}, True),
                      updates)
        self.assertIn(('intest'), [u[1]['availability'] for u in updates])
        self.assertTrue(self.machine(host)['monitored'])
        self.assertEqual(mt.S_ENABLED, self.machine(host)['stage'])
        self.assertEqual({}, self.alarms(host))

    def test_unlock_waits_for_the_host_to_come_up(self):
        host = self.add_host('worker-0', power_on=False)
        self.maintenance.host_action(host.record(), 'unlock')
        self.wait_states(host, administrative='unlocked',
                         operational='disabled', availability='offline')
        host.power_on()
        self.wait_states(host, operational='enabled',
                         availability='available')

    def test_lock_stops_heartbeat(self):
        host = self.add_host('worker-0')
        self.unlock(host)
        self.maintenance.host_action(host.record(), 'lock')
        self.wait_states(host, administrative='locked',
                         operational='disabled', availability='online')
        self.assertFalse(self.machine(host)['monitored'])
        self.assertEqual([], self.monitor.hosts())


class TestRecovery(MaintenanceTest):

    def test_powered_off_host_is_recovered_through_ipmi(self):
        host = self.add_host('worker-0')
        self.unlock(host)
        boot = self.machine(host)['boot_id']
        # an IPMI power-off from outside: the host dies
        bmc_mod.BmcClient(host.bm_ip, self.bmc_port, username=USER,
                          password=PASSWORD).power_off()
        self.assertEqual('off', host.power_events.get(timeout=WAIT))
        self.wait_seen(host, operational='disabled', availability='failed')
        alarm = self.wait_event(host, '200.004')
        self.assertEqual('critical', alarm['severity'])
        self.assertIn('heartbeat lost on every network',
                      alarm['reason_text'])
        # maintenance saw the BMC report the host off and powered it on
        self.assertEqual('on', host.power_events.get(timeout=WAIT))
        self.wait_states(host, operational='enabled',
                         availability='available')
        self.wait_alarms(host, [])
        self.assertNotEqual(boot, self.machine(host)['boot_id'])
        logs = self.logs_of(host)
        self.assertTrue(any('failed' in text for text in logs), logs)
        self.assertTrue(any('recovered' in text for text in logs), logs)
        self.assertIn('powered on through its BMC', self.logs.output)

    def test_recovered_while_sysinv_is_unreachable(self):
        """Heartbeat and recovery need neither sysinv nor the broker:
        the BMC credentials are kept in memory, and the states reach
        sysinv, in order, once it answers again."""
        host = self.add_host('worker-0')
        self.unlock(host)
        # the first BMC audit fetched the credentials
        stx_fixtures.wait_for(lambda: host.uuid in self.sysinv.sensors)
        self.sysinv.down.set()
        bmc_mod.BmcClient(host.bm_ip, self.bmc_port, username=USER,
                          password=PASSWORD).power_off()
        self.assertEqual('off', host.power_events.get(timeout=WAIT))
        self.assertEqual('on', host.power_events.get(timeout=WAIT))
        stx_fixtures.wait_for(lambda: self.machine(host)['stage'] ==
                              'enabled' and self.machine(host)[
                                  'availability'] == 'available',
                              timeout=WAIT)
        with self.sysinv.lock:
            heard = [values.get('availability') for uuid, values in
                     self.sysinv.history if uuid == host.uuid]
        self.assertNotIn('failed', heard)
        self.sysinv.down.clear()
        self.wait_seen(host, availability='failed')
        self.wait_states(host, operational='enabled',
                         availability='available')
        with self.sysinv.lock:
            heard = [values.get('availability') for uuid, values in
                     self.sysinv.history if uuid == host.uuid]
        self.assertLess(heard.index('failed'),
                        len(heard) - 1 - heard[::-1].index('available'))
        self.assertIn('went through after', self.logs.output)

    def test_killed_client_gets_the_host_reset(self):
        host = self.add_host('worker-0')
        self.unlock(host)
        host.stop_client()             # the host runs, mtce-client died
        self.wait_seen(host, availability='failed')
        self.wait_event(host, '200.004')
        self.assertEqual(['off', 'on'], [host.power_events.get(timeout=WAIT)
                                         for _ in range(2)])
        self.wait_states(host, operational='enabled',
                         availability='available')
        self.wait_alarms(host, [])
        self.assertIn('reset through its BMC', self.logs.output)

    def test_one_network_lost_degrades_without_recovery(self):
        host = self.add_host('worker-0')
        self.unlock(host)
        responder = host.client.responder
        address = responder.address('worker-0', 'cluster-host')
        responder.remove('worker-0', 'cluster-host')
        self.wait_states(host, operational='enabled',
                         availability='degraded')
        alarm = self.wait_alarms(host, ['200.009'])['200.009']
        self.assertEqual('major', alarm.severity)
        self.assertIn('cluster-host', alarm.reason_text)
        responder.add('worker-0', 'cluster-host', address)
        self.wait_states(host, operational='enabled',
                         availability='available')
        self.wait_alarms(host, [])
        self.assertEqual(mt.S_ENABLED, self.machine(host)['stage'])
        self.assertTrue(host.power_events.empty())

    def test_host_without_bmc_is_waited_for(self):
        host = self.add_host('worker-0', with_bmc=False)
        self.unlock(host)
        host.stop_client()
        self.wait_states(host, availability='failed')
        self.wait_alarms(host, ['200.004'])
        self.assertIn('has no BMC: waiting', self.logs.output)
        host.start_client()            # it comes back on its own
        self.wait_states(host, operational='enabled',
                         availability='available')
        self.wait_alarms(host, [])

    def test_locked_host_is_never_recovered(self):
        host = self.add_host('worker-0')
        host.stop_client()
        self.wait_states(host, administrative='locked',
                         availability='offline')
        self.assertEqual(mt.S_LOCKED, self.machine(host)['stage'])
        self.assertEqual({}, self.alarms(host))
        self.assertTrue(host.power_events.empty())


class TestCriticalProcesses(MaintenanceTest):

    def write_process(self, host, pid, name):
        path = os.path.join(host.root, 'proc', str(pid))
        if name is None:
            shutil.rmtree(path)
            return
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, 'comm'), 'w') as f:
            f.write(name + '\n')

    def test_missing_processes_degrade_or_fail_the_host(self):
        host = SimHost(self, 'worker-0', self.bmc_port,
                       critical={'crond': 'degrade', 'sshd': 'fail'})
        self.write_process(host, 101, 'sshd')
        self.write_process(host, 102, 'crond')
        self.sysinv.credentials[host.uuid] = {
            'bm_type': 'ipmi', 'bm_ip': host.bm_ip, 'bm_username': USER,
            'bm_password': PASSWORD}
        self.maintenance.host_upsert(host.record())
        host.power_on()
        self.unlock(host)

        self.write_process(host, 102, None)        # crond died
        self.wait_states(host, operational='enabled',
                         availability='degraded')
        self.assertEqual({}, self.alarms(host))     # host-level: none
        stx_fixtures.wait_for(lambda: [
            (r.alarm_id, r.severity) for r in self.fm.connection.
            alarms_by_entity('host=worker-0.process=crond')] == [
            ('200.006', 'major')])
        self.write_process(host, 102, 'crond')
        self.wait_states(host, availability='available')
        stx_fixtures.wait_for(lambda: not self.fm.connection.alarms_by_entity(
            'host=worker-0.process=crond'))
        self.assertTrue(host.power_events.empty())

        self.write_process(host, 101, None)        # sshd died: fail
        self.wait_seen(host, availability='failed')
        self.wait_event(host, '200.004')
        self.assertIn('critical process sshd is not running',
                      self.alarms_history(host, '200.004'))
        self.write_process(host, 101, 'sshd')      # the reboot brings it
        self.wait_states(host, operational='enabled',
                         availability='available')
        self.wait_alarms(host, [])
        self.assertEqual('off', host.power_events.get(timeout=WAIT))


class TestRecoveryGivesUp(MaintenanceTest):

    boot_timeout = 1
    max_attempts = 2

    def test_gives_up_after_max_attempts(self):
        host = self.add_host('worker-0')
        self.unlock(host)
        host.boots = False             # powers on, never comes up again
        host.stop_client()
        self.wait_states(host, availability='failed')
        stx_fixtures.wait_for(
            lambda: any('remains failed' in text
                        for text in self.logs_of(host)), timeout=WAIT)
        self.assertEqual(2, self.machine(host)['attempts'])
        self.assertIn('200.004', self.alarms(host))
        self.assertIn('2 automatic recovery attempts',
                      [t for t in self.logs_of(host)
                       if 'remains failed' in t][0])
        self.assertEqual('failed', self.states(host)['availability'])


class TestBmc(MaintenanceTest):

    def test_wrong_password_raises_200_010(self):
        host = self.add_host('worker-0')
        self.sysinv.credentials[host.uuid]['bm_password'] = 'wrong'
        alarm = self.wait_alarms(host, ['200.010'])['200.010']
        self.assertIn('wrong BMC user name or password', alarm.reason_text)
        self.assertNotIn(PASSWORD, self.logs.output)
        self.sysinv.credentials[host.uuid]['bm_password'] = PASSWORD
        self.wait_alarms(host, [])

    def test_power_actions(self):
        host = self.add_host('worker-0')
        self.maintenance.host_action(host.record(), 'power-off')
        self.assertEqual('off', host.power_events.get(timeout=WAIT))
        self.wait_states(host, availability='power-off')
        self.maintenance.host_action(host.record(), 'power-on')
        self.assertEqual('on', host.power_events.get(timeout=WAIT))
        self.wait_states(host, availability='online')
        self.maintenance.host_action(host.record(), 'reboot')
        self.assertEqual(['off', 'on'], [host.power_events.get(timeout=WAIT)
                                         for _ in range(2)])
        self.wait_states(host, availability='online')

    def test_sensor_past_thresholds_alarms_and_degrades(self):
        host = self.add_host('worker-0')
        self.unlock(host)

        def reading(name):
            with self.sysinv.lock:
                return self.sysinv.sensors.get(host.uuid, {}).get(name)
        first = stx_fixtures.wait_for(lambda: reading('CPU Temp'))
        self.assertEqual(('temperature', 'ok'),
                         (first['type'], first['state']))
        self.assertEqual(95.0, first['thresholds']['upper_critical'])

        host.bmc.set_sensor('Fan 1', 800)         # under lower non-critical
        stx_fixtures.wait_for(lambda: reading('Fan 1')['state'] == 'minor')
        rows = stx_fixtures.wait_for(lambda: self.fm.connection.
                                     alarms_by_entity(
                                         'host=worker-0.sensor=Fan 1'))
        self.assertEqual(('200.007', 'minor'),
                         (rows[0].alarm_id, rows[0].severity))
        self.assertIn("sensor 'Fan 1' reads 800 RPM", rows[0].reason_text)
        self.assertEqual('available', self.states(host)['availability'])

        host.bmc.set_sensor('CPU Temp', 97)       # past upper critical
        self.wait_states(host, availability='degraded')
        stx_fixtures.wait_for(lambda: [
            (r.alarm_id, r.severity) for r in self.fm.connection.
            alarms_by_entity('host=worker-0.sensor=CPU Temp')] == [
            ('200.007', 'major')])

        host.bmc.set_sensor('CPU Temp', 50)
        host.bmc.set_sensor('Fan 1', 6000)
        self.wait_states(host, availability='available')
        stx_fixtures.wait_for(lambda: not [
            a for a in self.fm.connection.alarms_by_entity()
            if a.alarm_id == '200.007'])
        self.assertTrue(host.power_events.empty())

    def test_sensor_group_actions_and_suppression(self):
        # What sysinv answers each report: its sensor groups' actions.
        self.sysinv.policy = {
            'Fan 1': {'minor': 'log', 'major': 'alarm', 'critical': 'alarm',
                      'suppress': False},
            'CPU Temp': {'minor': 'alarm', 'major': 'alarm',
                         'critical': 'alarm', 'suppress': True}}
        host = self.add_host('worker-0')
        self.unlock(host)
        host.bmc.set_sensor('Fan 1', 800)          # minor: logged only
        stx_fixtures.wait_for(lambda: any(
            "sensor 'Fan 1' reads 800" in text for text in
            self.logs_of(host)))
        host.bmc.set_sensor('CPU Temp', 97)        # major, but suppressed
        time.sleep(3 * 2)     # three BMC audits
        self.assertEqual([], self.fm.connection.alarms_by_entity(
            'host=worker-0.sensor=CPU Temp'))
        self.assertEqual([], self.fm.connection.alarms_by_entity(
            'host=worker-0.sensor=Fan 1'))
        self.assertEqual('available', self.states(host)['availability'])
        self.assertEqual(1, sum("sensor 'Fan 1'" in text
                                for text in self.logs_of(host)))

        # Suppression lifted: the alarm and the degrade follow.
        self.sysinv.policy['CPU Temp'] = dict(
            self.sysinv.policy['CPU Temp'], suppress=False)
        self.wait_states(host, availability='degraded')
        stx_fixtures.wait_for(lambda: [
            (r.alarm_id, r.severity) for r in self.fm.connection.
            alarms_by_entity('host=worker-0.sensor=CPU Temp')] == [
            ('200.007', 'major')])
        # Now ignored: cleared, available again.
        self.sysinv.policy['CPU Temp'] = dict(
            self.sysinv.policy['CPU Temp'], major='ignore')
        self.wait_states(host, availability='available')
        stx_fixtures.wait_for(lambda: not self.fm.connection.
                              alarms_by_entity(
                                  'host=worker-0.sensor=CPU Temp'))

    def test_unreachable_bmc(self):
        host = self.add_host('worker-0')
        host.bmc.stop()
        alarm = self.wait_alarms(host, ['200.010'])['200.010']
        self.assertIn('BMC does not answer', alarm.reason_text)
