"""The simulated BMC against real IPMI 2.0 clients: pyghmi and ipmitool."""

import logging
import queue
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import uuid

import fixtures
import pyghmi.ipmi.command as ipmicommand

from hostsim.bmc import ipmi
from hostsim.bmc import SimulatedBmc
from stxcommon.tests import base
from testtools import content

USER = 'admin'
PASSWORD = 'sim-secret'
WAIT = 10.0   # upper bound for every wait on the simulator

SENSORS = [
    {'name': 'CPU0 Temp', 'type': 'temperature', 'value': 52.5,
     'thresholds': {'upper_non_critical': 85, 'upper_critical': 95}},
    {'name': 'Fan 1', 'type': 'fan', 'value': 7200,
     'thresholds': {'lower_non_critical': 1000, 'lower_critical': 500}},
    {'name': 'Fan 2', 'type': 'fan', 'value': 6850},
    {'name': '12V', 'type': 'voltage', 'value': 12.07,
     'thresholds': {'lower_critical': 10.8, 'upper_critical': 13.2}},
    {'name': '3.3V', 'type': 'voltage', 'value': 3.31},
]


class BmcTestBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.logs = self.useFixture(fixtures.FakeLogger(
            level=logging.INFO, name='hostsim'))

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

    def client(self, bmc, userid=USER, password=PASSWORD):
        # NOTE: pyghmi's Session keys its login table with the arguments as
        # given but removes entries with the utf-8 encoded ones; str
        # credentials leave a stale entry behind and the next Command for
        # the same BMC and user hangs forever.  bytes avoid that.
        cmd = ipmicommand.Command(bmc='127.0.0.1', port=bmc.port,
                                  userid=userid.encode('utf-8'),
                                  password=password.encode('utf-8'))
        self.addCleanup(cmd.ipmi_session.logout)
        return cmd

    def next_events(self, bmc, count):
        events = []
        for _ in range(count):
            events.append(bmc.test_events.get(timeout=WAIT))
        return events

    def assertNoMoreEvents(self, bmc):
        self.assertTrue(bmc.wait_for_notifications(WAIT))
        self.assertTrue(bmc.test_events.empty(),
                        'unexpected power events: %r'
                        % list(bmc.test_events.queue))

    def wait_power(self, cmd, state):
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if cmd.get_power()['powerstate'] == state:
                return
            time.sleep(0.05)
        self.fail('power state did not become %s' % state)


class TestPyghmiClient(BmcTestBase):

    def test_port_zero_picks_a_free_port(self):
        bmc = self.start_bmc()
        self.assertIsInstance(bmc.port, int)
        self.assertGreater(bmc.port, 0)

    def test_login_and_power_status(self):
        bmc = self.start_bmc()
        cmd = self.client(bmc)
        self.assertEqual({'powerstate': 'off'}, cmd.get_power())

    def test_login_falls_back_to_cipher_suite_3(self):
        bmc = self.start_bmc()
        cmd = self.client(bmc)
        # pyghmi offered SHA-256 first, was refused, and retried with SHA-1
        self.assertEqual(1, cmd.ipmi_session.attemptedhash)
        self.assertEqual('off', cmd.get_power()['powerstate'])

    def test_power_transitions_call_back(self):
        bmc = self.start_bmc()
        cmd = self.client(bmc)
        cmd.set_power('on')
        self.wait_power(cmd, 'on')
        self.assertEqual(['on'], self.next_events(bmc, 1))
        self.assertEqual('on', bmc.get_power_state())

        cmd.set_power('on')          # already on: no transition
        cmd.set_power('reset')
        self.assertEqual(['off', 'on'], self.next_events(bmc, 2))
        self.assertEqual({'powerstate': 'on'}, cmd.get_power())

        rsp = cmd.raw_command(netfn=0, command=2, data=[2])  # cycle
        self.assertEqual(0, rsp['code'])
        self.assertEqual(['off', 'on'], self.next_events(bmc, 2))

        cmd.set_power('off')
        self.wait_power(cmd, 'off')
        self.assertEqual(['off'], self.next_events(bmc, 1))
        self.assertNoMoreEvents(bmc)

    def test_soft_shutdown(self):
        bmc = self.start_bmc(power_state='on')
        cmd = self.client(bmc)
        self.assertEqual('on', cmd.get_power()['powerstate'])
        cmd.set_power('shutdown')
        self.wait_power(cmd, 'off')
        self.assertEqual(['off'], self.next_events(bmc, 1))

    def test_set_power_wait(self):
        bmc = self.start_bmc()
        cmd = self.client(bmc)
        self.assertEqual({'powerstate': 'on'},
                         cmd.set_power('on', wait=WAIT))
        self.assertEqual(['on'], self.next_events(bmc, 1))

    def test_reset_while_off_is_refused(self):
        bmc = self.start_bmc()
        cmd = self.client(bmc)
        for directive in (2, 3):     # power cycle, hard reset
            rsp = cmd.raw_command(netfn=0, command=2, data=[directive])
            self.assertEqual(ipmi.CC_NOT_SUPPORTED_IN_PRESENT_STATE,
                             rsp['code'])
        self.assertEqual('off', bmc.get_power_state())
        self.assertNoMoreEvents(bmc)

    def test_local_power_api(self):
        bmc = self.start_bmc()
        bmc.power_on()
        bmc.power_reset()
        bmc.power_cycle()
        bmc.power_shutdown()
        self.assertEqual(['on', 'off', 'on', 'off', 'on', 'off'],
                         self.next_events(bmc, 6))
        self.assertRaises(RuntimeError, bmc.power_reset)
        self.assertEqual('off', self.client(bmc).get_power()['powerstate'])

    def test_callback_failure_does_not_break_bmc(self):
        def broken(state):
            raise RuntimeError('agent start failed')
        bmc = self.start_bmc(on_power_change=broken)
        cmd = self.client(bmc)
        cmd.set_power('on')
        self.assertTrue(bmc.wait_for_notifications(WAIT))
        self.assertEqual('on', cmd.get_power()['powerstate'])
        self.assertIn('power-change callback failed', self.logs.output)

    def test_boot_device(self):
        bmc = self.start_bmc()
        cmd = self.client(bmc)
        self.assertEqual('default', cmd.get_bootdev()['bootdev'])

        cmd.set_bootdev('network', persist=True)
        self.assertEqual({'bootdev': 'network', 'persistent': True,
                          'uefimode': False}, cmd.get_bootdev())
        self.assertEqual({'bootdev': 'network', 'persistent': True,
                          'uefimode': False}, bmc.get_boot_device())

        cmd.set_bootdev('hd', uefiboot=True)
        self.assertEqual({'bootdev': 'hd', 'persistent': False,
                          'uefimode': True}, cmd.get_bootdev())
        # a one-time override is consumed by the next boot
        cmd.set_power('on')
        self.wait_power(cmd, 'on')
        self.assertEqual('default', cmd.get_bootdev()['bootdev'])

        bmc.set_boot_device('pxe', persistent=True)
        cmd.set_power('reset')
        self.assertEqual(['on', 'off', 'on'], self.next_events(bmc, 3))
        self.assertEqual('network', cmd.get_bootdev()['bootdev'])

        cmd.set_bootdev('default')
        self.assertEqual('default', cmd.get_bootdev()['bootdev'])

    def test_device_id_and_guid(self):
        guid = uuid.UUID('3c0f1e0e-2b9e-4b8a-9a57-7b0c2a3d4e51')
        bmc = self.start_bmc(guid=guid)
        cmd = self.client(bmc)
        rsp = cmd.xraw_command(netfn=6, command=1)
        data = bytearray(rsp['data'])
        self.assertEqual(0x20, data[0])
        self.assertEqual(0x02, data[4])                  # IPMI 2.0
        self.assertEqual(0x83, data[5])    # chassis, SDR repo, sensors
        self.assertEqual(SimulatedBmc.manufacturer_id,
                         int.from_bytes(data[6:9], 'little'))
        self.assertEqual(SimulatedBmc.product_id,
                         int.from_bytes(data[9:11], 'little'))
        rsp = cmd.xraw_command(netfn=6, command=0x37)
        self.assertEqual(guid.bytes_le, bytes(rsp['data']))

    def test_default_guid_is_stable_per_host(self):
        self.assertEqual(SimulatedBmc('compute-0').guid,
                         SimulatedBmc('compute-0').guid)
        self.assertNotEqual(SimulatedBmc('compute-0').guid,
                            SimulatedBmc('compute-1').guid)

    def test_sensor_data(self):
        bmc = self.start_bmc(sensors=SENSORS)
        cmd = self.client(bmc)
        readings = {r.name: r for r in cmd.get_sensor_data()}
        self.assertEqual(sorted(s['name'] for s in SENSORS),
                         sorted(readings))
        units = {'temperature': '°C', 'fan': 'RPM', 'voltage': 'V'}
        types = {'temperature': 'Temperature', 'fan': 'Fan',
                 'voltage': 'Voltage'}
        for spec in SENSORS:
            reading = readings[spec['name']]
            tolerance = bmc.sensor_resolution(spec['name']) / 2 + 1e-9
            self.assertLessEqual(abs(reading.value - spec['value']),
                                 tolerance, spec['name'])
            self.assertEqual(units[spec['type']], reading.units)
            self.assertEqual(types[spec['type']], reading.type)
            self.assertEqual(0, reading.health, spec['name'])

    def test_fan_failure_is_reported(self):
        bmc = self.start_bmc(sensors=SENSORS)
        cmd = self.client(bmc)
        bmc.set_sensor('Fan 1', 0)
        bmc.set_sensor('CPU0 Temp', 97)
        bmc.set_sensor('Fan 2', None)          # reading unavailable
        readings = {r.name: r for r in cmd.get_sensor_data()}
        fan = readings['Fan 1']
        self.assertEqual(0.0, fan.value)
        self.assertIn('lower critical threshold', fan.states)
        self.assertTrue(fan.health & 2)        # const.Health.Critical
        temp = readings['CPU0 Temp']
        self.assertIn('upper critical threshold', temp.states)
        self.assertTrue(readings['Fan 2'].unavailable)
        self.assertIsNone(readings['Fan 2'].value)
        # and back to normal
        bmc.set_sensor('Fan 1', 5000)
        fan = {r.name: r for r in cmd.get_sensor_data()}['Fan 1']
        self.assertEqual(5000.0, fan.value)
        self.assertEqual(0, fan.health)

    def test_set_unknown_sensor(self):
        bmc = self.start_bmc()
        self.assertRaises(KeyError, bmc.set_sensor, 'No Such Fan', 1)

    def test_no_sensors(self):
        bmc = self.start_bmc(sensors=[])
        cmd = self.client(bmc)
        self.assertEqual([], list(cmd.get_sensor_data()))

    def test_partial_sdr_reads_need_reservation(self):
        bmc = self.start_bmc(sensors=SENSORS)
        cmd = self.client(bmc)
        whole = cmd.xraw_command(netfn=0x0a, command=0x23,
                                 data=[0, 0, 1, 0, 0, 0xff])['data']
        rsp = cmd.raw_command(netfn=0x0a, command=0x23,
                              data=[0, 0, 1, 0, 5, 16])
        self.assertEqual(ipmi.CC_INVALID_RESERVATION, rsp['code'])
        rsv = cmd.xraw_command(netfn=0x0a, command=0x22)['data']
        part = cmd.xraw_command(netfn=0x0a, command=0x23,
                                data=[rsv[0], rsv[1], 1, 0, 5, 16])['data']
        self.assertEqual(bytes(whole[:2]), bytes(part[:2]))  # next id
        self.assertEqual(bytes(whole[2 + 5:2 + 21]), bytes(part[2:]))
        rsp = cmd.raw_command(netfn=0x0a, command=0x23,
                              data=[0, 0, 99, 0, 0, 0xff])
        self.assertEqual(ipmi.CC_NOT_PRESENT, rsp['code'])

    def failed_login(self, bmc, userid, password):
        """The error a pyghmi client in its own process gets at login.

        A separate process, as mtce will be: in this one the simulator's
        pump thread also runs pyghmi's shared event loop, and pyghmi marks a
        refused session as no longer logging in before it stores the reason,
        so a client here can read the reason before it exists.
        """
        script = (
            'import sys\n'
            'from pyghmi import exceptions\n'
            'from pyghmi.ipmi import command\n'
            'try:\n'
            '    command.Command(bmc="127.0.0.1", port=int(sys.argv[1]),\n'
            '                    userid=sys.argv[2].encode(),\n'
            '                    password=sys.argv[3].encode())\n'
            'except exceptions.IpmiException as exc:\n'
            '    print(exc)\n'
            '    sys.exit(3)\n')
        proc = subprocess.run(
            [sys.executable, '-c', script, str(bmc.port), userid, password],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(3, proc.returncode, proc.stdout + proc.stderr)
        return proc.stdout.strip()

    def test_wrong_password_refused(self):
        bmc = self.start_bmc()
        error = self.failed_login(bmc, USER, 'wrong-password')
        self.assertIn('password', error.lower())

    def test_unknown_user_refused(self):
        bmc = self.start_bmc()
        started = time.monotonic()
        error = self.failed_login(bmc, 'mallory', PASSWORD)
        self.assertIn('Unauthorized name', error)
        self.assertLess(time.monotonic() - started, WAIT)

    def test_several_bmcs(self):
        bmcs, clients = [], []
        for index in range(3):
            sensors = [{'name': 'Fan 1', 'type': 'fan',
                        'value': 3000 + 1000 * index},
                       {'name': 'Inlet %d' % index, 'type': 'temperature',
                        'value': 20 + index}]
            bmc = self.start_bmc('sim-host-%d' % index, sensors=sensors)
            bmcs.append(bmc)
            clients.append(self.client(bmc))
        self.assertEqual(3, len({bmc.port for bmc in bmcs}))
        clients[1].set_power('on')
        self.wait_power(clients[1], 'on')
        self.assertEqual(['on'], self.next_events(bmcs[1], 1))
        for index in (0, 2):
            self.assertEqual('off', clients[index].get_power()['powerstate'])
            self.assertNoMoreEvents(bmcs[index])
        for index, cmd in enumerate(clients):
            readings = {r.name: r.value for r in cmd.get_sensor_data()}
            self.assertEqual({'Fan 1': 3000.0 + 1000 * index,
                              'Inlet %d' % index: 20.0 + index}, readings)

    def test_concurrent_clients(self):
        bmcs = [self.start_bmc('sim-host-%d' % i) for i in range(3)]
        errors = []

        def work(bmc):
            try:
                cmd = self.client(bmc)
                for _ in range(5):
                    cmd.set_power('on')
                    cmd.set_power('off')
                    cmd.get_power()
            except Exception as e:  # reported below
                errors.append(e)
        threads = [threading.Thread(target=work, args=(bmc,))
                   for bmc in bmcs]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
            self.assertFalse(thread.is_alive())
        self.assertEqual([], errors)
        for bmc in bmcs:
            self.assertEqual(['on', 'off'] * 5, self.next_events(bmc, 10))

    def test_stop_closes_socket_and_others_keep_serving(self):
        first = self.start_bmc('sim-host-a')
        second = self.start_bmc('sim-host-b')
        port = first.port
        first.stop()
        self.assertIsNone(first.port)
        first.stop()                                  # idempotent
        # the port is free again
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(sock.close)
        sock.bind(('127.0.0.1', port))
        self.assertEqual('off', self.client(second).get_power()['powerstate'])

    def test_restart(self):
        bmc = self.start_bmc()
        bmc.stop()
        bmc.start()
        self.assertEqual('off', self.client(bmc).get_power()['powerstate'])


def _open_session_request(auth, integrity, confidentiality, tag=7):
    payload = bytearray([tag, 0, 0, 0]) + struct.pack('<I', 0x1234)
    for kind, algorithm in enumerate((auth, integrity, confidentiality)):
        payload += bytearray([kind, 0, 0, 8, algorithm, 0, 0, 0])
    header = bytearray([0x06, 0x00, 0xff, 0x07,     # RMCP, class IPMI
                        0x06, 0x10])                # RMCP+, open session
    header += struct.pack('<IIH', 0, 0, len(payload))
    return bytes(header + payload)


class TestRmcpPlusOpenSession(BmcTestBase):
    """The open-session answer, checked on the wire."""

    def open_session(self, bmc, *algorithms):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(sock.close)
        sock.settimeout(WAIT)
        sock.sendto(_open_session_request(*algorithms),
                    ('127.0.0.1', bmc.port))
        data = sock.recv(512)
        self.assertEqual(0x11, data[5] & 0x3f)     # open session response
        return data[16:]

    def test_sha256_proposal_gets_no_cipher_suite_match(self):
        bmc = self.start_bmc()
        rsp = self.open_session(bmc, 3, 4, 1)       # cipher suite 17
        self.assertEqual(7, rsp[0])                 # message tag
        self.assertEqual(ipmi.RMCP_NO_CIPHER_SUITE_MATCH, rsp[1])
        self.assertEqual(struct.pack('<I', 0x1234), bytes(rsp[4:8]))

    def test_suite_3_proposal_is_accepted(self):
        bmc = self.start_bmc()
        rsp = self.open_session(bmc, 1, 1, 1)       # cipher suite 3
        self.assertEqual(0, rsp[1])
        self.assertEqual(bytes([0, 0, 0, 8, 1, 0, 0, 0]), bytes(rsp[12:20]))

    def test_proposed_algorithms(self):
        request = _open_session_request(3, 4, 1)[16:]
        self.assertEqual((3, 4, 1), ipmi.proposed_algorithms(request))
        self.assertEqual((None, None, None),
                         ipmi.proposed_algorithms(request[:8]))


IPMITOOL = shutil.which('ipmitool')


class TestIpmitool(BmcTestBase):
    """ipmitool (an independent IPMI implementation) against the BMC."""

    def setUp(self):
        super().setUp()
        if IPMITOOL is None:
            self.skipTest('ipmitool is not installed '
                          '(apt-get install -y ipmitool)')

    def ipmitool(self, bmc, *args, password=PASSWORD, check=True):
        argv = [IPMITOOL, '-I', 'lanplus', '-H', '127.0.0.1',
                '-p', str(bmc.port), '-U', USER, '-P', password,
                '-N', '1', '-R', '2'] + list(args)
        proc = subprocess.run(argv, capture_output=True, text=True,
                              timeout=60)
        self.addDetail('ipmitool %s' % ' '.join(args),
                       _text(proc.stdout + proc.stderr))
        if check:
            self.assertEqual(0, proc.returncode, proc.stderr)
        return proc

    def test_power(self):
        bmc = self.start_bmc()
        out = self.ipmitool(bmc, 'power', 'status').stdout
        self.assertIn('Chassis Power is off', out)
        out = self.ipmitool(bmc, 'power', 'on').stdout
        self.assertIn('Chassis Power Control: Up/On', out)
        self.assertEqual(['on'], self.next_events(bmc, 1))
        out = self.ipmitool(bmc, 'power', 'status').stdout
        self.assertIn('Chassis Power is on', out)
        self.ipmitool(bmc, 'power', 'reset')
        self.assertEqual(['off', 'on'], self.next_events(bmc, 2))
        out = self.ipmitool(bmc, 'power', 'off').stdout
        self.assertIn('Chassis Power Control: Down/Off', out)
        self.assertEqual(['off'], self.next_events(bmc, 1))
        out = self.ipmitool(bmc, 'power', 'status').stdout
        self.assertIn('Chassis Power is off', out)

    def test_bootdev_pxe(self):
        bmc = self.start_bmc()
        out = self.ipmitool(bmc, 'chassis', 'bootdev', 'pxe').stdout
        self.assertIn('Set Boot Device to pxe', out)
        self.assertEqual({'bootdev': 'network', 'persistent': False,
                          'uefimode': False}, bmc.get_boot_device())
        self.ipmitool(bmc, 'chassis', 'bootdev', 'disk',
                      'options=persistent')
        self.assertEqual({'bootdev': 'hd', 'persistent': True,
                          'uefimode': False}, bmc.get_boot_device())
        out = self.ipmitool(bmc, 'chassis', 'bootparam', 'get', '5').stdout
        self.assertIn('Force Boot from default Hard-Drive', out)

    def test_sdr_list(self):
        bmc = self.start_bmc(sensors=SENSORS)
        bmc.set_sensor('Fan 2', 0)
        out = self.ipmitool(bmc, 'sdr', 'list').stdout
        rows = {}
        for line in out.splitlines():
            fields = [f.strip() for f in line.split('|')]
            if len(fields) == 3:
                rows[fields[0]] = fields[1:]
        self.assertEqual(sorted(s['name'] for s in SENSORS), sorted(rows))
        self.assertEqual(['52.50 degrees C', 'ok'], rows['CPU0 Temp'])
        self.assertEqual(['7200 RPM', 'ok'], rows['Fan 1'])
        self.assertEqual(['0 RPM', 'ok'], rows['Fan 2'])
        self.assertEqual(['12.08 Volts', 'ok'], rows['12V'])

    def test_sensor_thresholds(self):
        bmc = self.start_bmc(sensors=SENSORS)
        bmc.set_sensor('Fan 1', 400)
        out = self.ipmitool(bmc, 'sensor').stdout
        rows = {}
        for line in out.splitlines():
            fields = [f.strip() for f in line.split('|')]
            rows[fields[0]] = fields[1:]
        fan = rows['Fan 1']
        self.assertEqual('400.000', fan[0])
        self.assertEqual('RPM', fan[1])
        self.assertEqual('cr', fan[2])                  # below critical
        self.assertEqual(['500.000', '1000.000'], fan[4:6])
        self.assertEqual('ok', rows['CPU0 Temp'][2])
        self.assertEqual(['85.000', '95.000'], rows['CPU0 Temp'][6:8])

    def test_wrong_password_refused(self):
        bmc = self.start_bmc()
        proc = self.ipmitool(bmc, 'power', 'status',
                             password='wrong-password', check=False)
        self.assertNotEqual(0, proc.returncode)
        self.assertNotIn('Chassis Power', proc.stdout)

    def test_cipher_suite_17_refused_cleanly(self):
        bmc = self.start_bmc()
        proc = self.ipmitool(bmc, '-C', '17', 'power', 'status',
                             check=False)
        self.assertNotEqual(0, proc.returncode)
        self.assertIn('no matching cipher suite', proc.stdout + proc.stderr)

    def test_several_bmcs(self):
        bmcs = [self.start_bmc('sim-host-%d' % i) for i in range(3)]
        self.ipmitool(bmcs[2], 'power', 'on')
        self.assertEqual(['on'], self.next_events(bmcs[2], 1))
        for index, bmc in enumerate(bmcs):
            out = self.ipmitool(bmc, 'power', 'status').stdout
            expected = 'on' if index == 2 else 'off'
            self.assertIn('Chassis Power is %s' % expected, out)


def _text(value):
    return content.text_content(value)
