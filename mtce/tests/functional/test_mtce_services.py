"""Host maintenance as an operator deploys and drives it.

sysinv-conductor, sysinv-api, fm-manager, fm-api and mtce-agent run as
processes on one RabbitMQ vhost, a real database and a real Keystone;
``hostsim --heartbeat-key-file`` runs the hosts, each with its BMC (real
IPMI) and its mtce-client (real heartbeat on its own loopback
addresses). Everything is done as a user would: ``openstack system
host ...`` and ``openstack fault ...`` for the platform, ipmitool for a
BMC, ``hostsim --unplug`` for a pulled cable.
"""

import json
import os
import random
import shutil
import socket
import subprocess
import time
import uuid

import fixtures

from fm.tests.functional import base as fm_base
from hostsim.tests.functional import test_hostsim_command as hostsim_tests
from mtce.heartbeat import packet
from stxcommon.tests import deployment
from stxcommon.tests import fixtures as stx_fixtures
from stxcommon.tests import process
from stxcommon.tests import services

IPMITOOL = shutil.which('ipmitool')
WAIT = 90


def _wait(predicate, what, timeout=WAIT, interval=0.5):
    return hostsim_tests._wait(predicate, what, timeout, interval)


class Platform(fixtures.Fixture):
    """fm, sysinv (maintenance handed to mtce) and mtce-agent on one
    vhost; the endpoints in a Keystone region of this test's own."""

    def __init__(self, backend):
        self.backend = backend

    def _setUp(self):
        rabbit = self.useFixture(services.RabbitVhost())
        self.fm = self.useFixture(fm_base.FmServices(self.backend,
                                                     rabbit=rabbit))
        self.sysinv = self.useFixture(hostsim_tests.SysinvServices(
            self.backend, rabbit=rabbit,
            conductor={'maintenance': 'mtce'}))
        self.rabbit = rabbit
        self.dir = self.sysinv.dir
        self.state_dir = os.path.join(self.dir, 'state')
        self.region = 'Mtce-%s' % uuid.uuid4().hex[:8]
        keystone = self.sysinv.keystone.server
        keystone.ensure_service_endpoint('platform', 'sysinv',
                                         self.sysinv.url, region=self.region)
        keystone.ensure_service_endpoint('faultmanagement', 'fm',
                                         self.fm.url, region=self.region)
        self.key_file = os.path.join(self.dir, 'mtce-heartbeat.key')
        self.alive_address = ('127.0.0.1', stx_fixtures.free_udp_port())
        self.agent = self.useFixture(process.Process(
            'mtce-agent', ['--config-file', self._write_mtce_config()],
            self.dir))
        _wait(lambda: os.path.exists(self.key_file) and
              self.heartbeat_ports(), 'mtce-agent heartbeat running')

    def _write_mtce_config(self):
        from hostsim import fleet
        sections = {
            'DEFAULT': {'transport_url': self.rabbit.url},
            'agent': {'sync_interval': 2, 'offline_timeout': 10,
                      'alive_address': self.alive_address[0],
                      'alive_port': self.alive_address[1]},
            'heartbeat': {'key_file': self.key_file, 'period_ms': 100},
            'recovery': {'boot_timeout': 30, 'heartbeat_soak': 1},
            'bmc': {'port': fleet.shared_bmc_port(self.state_dir),
                    'audit_interval': 2},
        }
        return deployment.write_config(os.path.join(self.dir, 'mtce.conf'),
                                       sections)

    def agent_log(self):
        with open(self.agent.log_path, errors='replace') as log:
            return log.read()

    def heartbeat_ports(self):
        """{network: (address, port)} mtce-agent's heartbeat uses, as its
        log says."""
        for line in self.agent_log().splitlines():
            if 'Heartbeat every' in line:
                found = {}
                for part in line.split(' from ', 1)[1].split(' (')[0].split(
                        ', '):
                    network, _, address, _, port = part.split()
                    found[network] = (address, int(port))
                return found
        return None

    def environment(self):
        return deployment.openrc(self.sysinv.keystone, self.region)


class MaintenanceTest(deployment.FunctionalTestCase):

    backend = 'postgresql'

    def setUp(self):
        super().setUp()
        if IPMITOOL is None:
            self.skipTest('ipmitool is not installed '
                          '(apt-get install -y ipmitool)')
        self.platform = self.useFixture(Platform(self.backend))
        # management pulses come on a multicast group (a group of this
        # test's own), as StarlingX sends them; cluster-host ones come to
        # each host's address
        self.multicast = ('239.253.%d.%d' % (random.randrange(256),
                                             random.randrange(1, 255)),
                          stx_fixtures.free_udp_port())
        self.hostsim = self.useFixture(process.Process(
            'hostsim', ['--hosts', '2', '--state-dir',
                        self.platform.state_dir, '--transport-url',
                        self.platform.rabbit.url, '--config-file',
                        self.platform.sysinv.config_file, '--provision',
                        '--heartbeat-key-file', self.platform.key_file,
                        '--mtce-agent-address',
                        '%s:%d' % self.platform.alive_address,
                        '--management-multicast', '%s:%d' % self.multicast],
            self.platform.dir, env=self.platform.environment()))
        _wait(self._hostsim_ready, 'hostsim ready')
        with open(os.path.join(self.platform.state_dir, 'hostsim',
                               'hostsim.json')) as f:
            self.fleet = {h['hostname']: h for h in json.load(f)['hosts']}
        _wait(lambda: self._host('worker-0')['availability'] == 'online',
              'worker-0 online')

    def _hostsim_ready(self):
        if self.hostsim.proc.poll() is not None:
            raise AssertionError('hostsim exited with %s:\n%s' % (
                self.hostsim.proc.returncode, self.hostsim.log_tail()))
        with open(self.hostsim.log_path, errors='replace') as log:
            return 'hostsim ready' in log.read()

    def _openstack(self, *args, parse=True):
        result = subprocess.run(
            [process.script('openstack'), *args] + (
                ['-f', 'json'] if parse else []),
            env=dict(os.environ, **self.platform.environment()),
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120)
        self.assertEqual(0, result.returncode, 'openstack %s:\n%s%s' % (
            ' '.join(args), result.stdout, result.stderr))
        return json.loads(result.stdout) if parse else result.stdout

    def _host(self, name):
        return self._openstack('system', 'host', 'show', name)

    def _states(self, name):
        host = self._host(name)
        return (host['administrative'], host['operational'],
                host['availability'])

    def _alarms(self, entity):
        return {a['Alarm ID']: a for a in self._openstack(
            'fault', 'alarm', 'list') if a['Entity ID'] == entity}

    def _events(self, entity):
        return [(e['Event Log ID'], e['State']) for e in self._openstack(
            'fault', 'event', 'list', '--limit', '200')
            if e['Entity Instance ID'] == entity]

    def _ipmitool(self, name, *args):
        bmc = self.fleet[name]['bmc']
        proc = subprocess.run(
            [IPMITOOL, '-I', 'lanplus', '-H', bmc['address'],
             '-p', str(bmc['port']), '-U', bmc['username'],
             '-P', bmc['password'], '-N', '1', '-R', '3', *args],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(0, proc.returncode, proc.stdout + proc.stderr)
        return proc.stdout

    def _unlock(self, name):
        self._openstack('system', 'host', 'cpu', 'modify', name,
                        '--function', 'platform', '--processor', '0=1')
        self._openstack('system', 'host', 'unlock', name)
        _wait(lambda: self._states(name) == ('unlocked', 'enabled',
                                             'available'),
              '%s unlocked-enabled-available' % name)

    def _hostsim_log(self):
        with open(self.hostsim.log_path, errors='replace') as log:
            return log.read()

    def test_unlock_power_off_recovery_lock_and_reboot(self):
        self._unlock('worker-0')
        self.assertNotIn('200.001', self._alarms('host=worker-0'))

        # Powered off through its BMC: failed, 200.004, powered on by
        # mtce through IPMI, back in service, alarm cleared.
        self._ipmitool('worker-0', 'power', 'off')
        _wait(lambda: ('200.004', 'set') in self._events('host=worker-0'),
              '200.004 raised')
        _wait(lambda: self._states('worker-0') == (
            'unlocked', 'enabled', 'available') and ('200.004', 'clear')
            in self._events('host=worker-0'), 'worker-0 recovered')
        self.assertIn('Chassis Power is on',
                      self._ipmitool('worker-0', 'power', 'status'))
        self.assertNotIn('200.004', self._alarms('host=worker-0'))
        log = self.platform.agent_log()
        self.assertIn('Host worker-0 failed: heartbeat lost on every '
                      'network', log)
        # its management pulses went to the group, before and after
        monitored = [line for line in log.splitlines()
                     if 'Heartbeat monitoring worker-0 on' in line]
        self.assertGreaterEqual(len(monitored), 2)
        for line in monitored:
            self.assertIn('management at 127.', line)
            self.assertIn('(pulses to group %s port %d)' % self.multicast,
                          line)
        self.assertEqual(('locked', 'disabled', 'online'),
                         self._states('controller-0'))

        # Lock, then reboot through sysinv and mtce: the BMC power
        # cycles it and its new boot comes back online, still locked.
        self._openstack('system', 'host', 'lock', 'worker-0')
        _wait(lambda: self._states('worker-0') == ('locked', 'disabled',
                                                   'online'),
              'worker-0 locked')
        self.assertIn('200.001', self._alarms('host=worker-0'))
        stopped = self._hostsim_log().count('Agents of worker-0 stopped')
        self._openstack('system', 'host', 'reboot', 'worker-0')
        _wait(lambda: self._hostsim_log().count(
            'Agents of worker-0 stopped') > stopped, 'worker-0 rebooted')
        _wait(lambda: self._states('worker-0') == ('locked', 'disabled',
                                                   'online')
              and self._host('worker-0')['task'] in ('', None),
              'worker-0 back online after the reboot')
        self.assertNotIn('200.004', self._alarms('host=worker-0'))
        self.assertNotIn('Traceback', self.platform.agent_log())

    def test_wrong_bmc_password_lost_network_and_bad_packets(self):
        self._unlock('worker-0')

        # A wrong BMC password: 200.010 with the reason, never logged.
        wrong = 'not-the-%s' % uuid.uuid4().hex[:8]
        self._openstack('system', 'host', 'update', 'worker-0',
                        '--bm-password', wrong)
        alarm = _wait(lambda: self._alarms('host=worker-0').get('200.010'),
                      '200.010 raised')
        self.assertIn('wrong BMC user name or password', alarm['Reason Text'])
        self._openstack('system', 'host', 'update', 'worker-0',
                        '--bm-password',
                        self.fleet['worker-0']['bmc']['password'])
        _wait(lambda: '200.010' not in self._alarms('host=worker-0'),
              '200.010 cleared')
        for path in (self.platform.agent.log_path,
                     self.platform.sysinv.conductor.log_path,
                     self.platform.sysinv.api.log_path):
            with open(path, errors='replace') as log:
                self.assertNotIn(wrong, log.read(), path)

        # Sensors in sysinv, grouped by type; a group's actions changed
        # from the CLI.
        groups = _wait(lambda: {g['Name']: g for g in self._openstack(
            'system', 'host', 'sensorgroup', 'list', 'worker-0')},
            'worker-0 sensor groups')
        self.assertIn('server temperature', groups)
        self.assertEqual('alarm', groups['server temperature'][
            'Major Action'])
        changed = self._openstack(
            'system', 'host', 'sensorgroup', 'modify', 'worker-0',
            'server temperature', '--actions-major', 'log',
            '--suppress', 'True')
        self.assertEqual(('log', 'True'), (changed['actions_major_group'],
                                           changed['suppress']))
        sensors = self._openstack('system', 'host', 'sensor', 'list',
                                  'worker-0')
        self.assertTrue(sensors)
        self.assertEqual({'ok'}, {s['Status'] for s in sensors})

        # Bad packets at mtce-agent's heartbeat ports: random, truncated,
        # replayed, signed with another key. Nothing changes.
        self._fuzz(self.platform.heartbeat_ports())
        _wait(lambda: 'Heartbeat dropped' in self.platform.agent_log(),
              'the drops logged')
        self.assertEqual(('unlocked', 'enabled', 'available'),
                         self._states('worker-0'))
        self.assertEqual({}, {k: v for k, v in self._alarms(
            'host=worker-0').items() if k.startswith('200.')})

        # The cluster-host cable pulled: degraded with 200.009, no
        # recovery; back in: available, cleared.
        self._hostsim_command('--unplug', 'worker-0:cluster-host')
        _wait(lambda: self._states('worker-0') == (
            'unlocked', 'enabled', 'degraded'), 'worker-0 degraded')
        _wait(lambda: '200.009' in self._alarms('host=worker-0'),
              '200.009 raised')
        time.sleep(3)    # well past the failure threshold (1 s)
        self.assertEqual(('unlocked', 'enabled', 'degraded'),
                         self._states('worker-0'))
        self.assertNotIn(('200.004', 'set'), self._events('host=worker-0'))
        self.assertIn('Chassis Power is on',
                      self._ipmitool('worker-0', 'power', 'status'))
        self._hostsim_command('--plug', 'worker-0:cluster-host')
        _wait(lambda: self._states('worker-0') == (
            'unlocked', 'enabled', 'available') and '200.009' not in
            self._alarms('host=worker-0'), 'worker-0 available again')
        self.assertNotIn('Traceback', self.platform.agent_log())

    def test_heartbeat_and_bmc_recovery_while_rabbitmq_is_gone(self):
        """With the broker gone, heartbeat still sees a host die, mtce
        powers it back on through its BMC (the credentials sysinv gave
        are kept) and re-enables its new boot, whose alive messages come
        over UDP; once the broker is back sysinv hears the states it
        missed and fm gets the alarms held for it."""
        self._unlock('worker-0')
        # a BMC audit has run: the credentials are known
        _wait(lambda: self._openstack('system', 'host', 'sensor', 'list',
                                      'worker-0'), 'worker-0 sensors')
        outage = time.monotonic()
        with self.platform.rabbit.gone():
            self._ipmitool('worker-0', 'power', 'off')
            _wait(lambda: 'Host worker-0 failed: heartbeat lost on every '
                  'network' in self.platform.agent_log(),
                  'the failure seen without the broker')
            _wait(lambda: 'Host worker-0 powered on through its BMC' in
                  self.platform.agent_log(),
                  'worker-0 powered on without the broker')
            self.assertIn('Chassis Power is on',
                          self._ipmitool('worker-0', 'power', 'status'))
            _wait(lambda: 'Host worker-0 is unlocked-enabled-available' in
                  self.platform.agent_log().split(
                      'powered on through its BMC', 1)[1],
                  'worker-0 re-enabled without the broker')
            self.assertNotIn('recovery attempt 2', self.platform.agent_log())
        self.assertLess(time.monotonic() - outage, 60)
        # sysinv heard nothing of the failure: the reports held for it
        # reach it once the broker is back, in order
        _wait(lambda: 'Host worker-0 is unlocked-enabled-available' in
              self._conductor_log().split(
                  'Host worker-0 is unlocked-disabled-failed', 1)[-1],
              'the state reports held for sysinv heard', timeout=180)
        _wait(lambda: self._states('worker-0') == (
            'unlocked', 'enabled', 'available') and 'Host worker-0 is '
            'unlocked-enabled-available' in self.platform.agent_log()
            .split('powered on through its BMC', 1)[1],
            'worker-0 back in service after the broker returned')
        # the alarm raised while the broker was gone was held, then sent
        _wait(lambda: {('200.004', 'set'), ('200.004', 'clear')} <= set(
            self._events('host=worker-0')), 'the failure alarm and its '
            'clear in the event log')
        self.assertNotIn('200.004', self._alarms('host=worker-0'))
        self.assertIn('fm is reachable again', self.platform.agent_log())

    def _conductor_log(self):
        """sysinv-conductor's log; '' where the failure is not in it."""
        with open(self.platform.sysinv.conductor.log_path,
                  errors='replace') as log:
            text = log.read()
        return text if 'worker-0 is unlocked-disabled-failed' in text \
            else ''

    def _fuzz(self, ports):
        key = packet.load_install_key(self.platform.key_file)
        worker = 'worker-0'
        signer = packet.Signer(packet.host_key(key, worker))
        other = packet.Signer(packet.host_key(b'another-install-key-0123',
                                              worker))
        rng = random.Random(4)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            for name, address in ports.items():
                network = packet.network_id(name)
                genuine = signer.encode(packet.REPLY, network, worker,
                                        2 ** 62, 1)
                datagrams = [rng.randbytes(rng.randint(1, 400))
                             for _ in range(200)]
                datagrams += [genuine[:n] for n in range(1, len(genuine))]
                datagrams += [genuine] * 20   # an old sequence, replayed
                datagrams += [other.encode(packet.REPLY, network, worker,
                                           2 ** 62, 1)] * 20
                for data in datagrams:
                    sock.sendto(data, address)

    def _hostsim_command(self, *args):
        result = subprocess.run(
            [process.script('hostsim'), '--state-dir',
             self.platform.state_dir, *args], capture_output=True,
            text=True, timeout=60)
        self.assertEqual(0, result.returncode, result.stderr)
        return result.stdout


class MariaDBMaintenanceTest(MaintenanceTest):
    """The life cycle and recovery once more with sysinv and fm on
    MariaDB; the other scenarios touch the database no differently."""

    backend = 'mysql'
    test_wrong_bmc_password_lost_network_and_bad_packets = None
    test_heartbeat_and_bmc_recovery_while_rabbitmq_is_gone = None
