"""stx-aio as a real process: Keystone, fm, the openstack CLI, restarts."""

import argparse
import json
import os
import shlex
import signal
import socket
import stat
import subprocess
import sys
import threading
import time

import fixtures
from keystoneauth1.identity import v3
from keystoneauth1 import session as ks_session
import requests
import testtools
from testtools import content

from fm import conf as fm_conf
from stxcommon import aio
from stxcommon.aio import cmd as aio_cmd
from stxcommon.aio import runner as aio_runner
from stxcommon.tests import fixtures as stx_fixtures
from stxcommon.tests import process

READY_TIMEOUT = 120
STOP_TIMEOUT = 30
HTTP_TIMEOUT = 10
ALARM = {'alarm_id': '200.004', 'entity_instance_id': 'host=aio-test'}


def _alive(pid):
    """True while ``pid`` runs (a zombie is gone)."""
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] != 'Z'
    except OSError:
        return False


def _answers(url):
    try:
        requests.get(url, timeout=2)
    except requests.RequestException:
        return False
    return True


def _mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def read_openrc(path):
    """``{name: value}`` of the ``export NAME='value'`` lines."""
    values = {}
    with open(path) as f:
        for line in f:
            words = shlex.split(line)
            if len(words) == 2 and words[0] == 'export':
                name, _, value = words[1].partition('=')
                values[name] = value
    return values


class AioProcess(fixtures.Fixture):
    """``stx-aio`` started on ``state_dir``, ready once started."""

    def __init__(self, state_dir, extra_args=()):
        self.state_dir = state_dir
        self.args = ['--state-dir', state_dir, '--keystone-port', '0',
                     '--port', 'fm=0', '--port', 'sysinv=0', '--hosts', '1',
                     *extra_args]
        self.proc = None
        self.lines = []
        self.endpoints = {}
        self.ready_after = None
        self._ready = threading.Event()

    def _setUp(self):
        # Beside the state folder: stx-aio creates that one itself (0700).
        stderr_path = os.path.join(
            os.path.dirname(self.state_dir),
            'stderr-%d.txt' % time.monotonic_ns())
        self.addDetail('stx-aio-stderr', content.content_from_file(
            stderr_path, buffer_now=False))
        self.addDetail('stx-aio-stdout', content.Content(
            content.UTF8_TEXT, lambda: [''.join(self.lines).encode()]))
        with open(stderr_path, 'wb') as stderr:
            started = time.monotonic()
            self.proc = subprocess.Popen(
                [process.script('stx-aio'), *self.args],
                stdout=subprocess.PIPE, stderr=stderr, text=True,
                start_new_session=True)
        self.addCleanup(self._kill)
        reader = threading.Thread(target=self._read, daemon=True)
        reader.start()
        deadline = time.monotonic() + READY_TIMEOUT
        while not self._ready.wait(0.1):
            if self.proc.poll() is not None or time.monotonic() > deadline:
                raise AssertionError('stx-aio not ready (exit status %s)'
                                     % self.proc.poll())
        self.ready_after = time.monotonic() - started
        for line in self.lines:
            name, sep, url = line.strip().rpartition(': ')
            if sep and url.startswith('http'):
                self.endpoints[name.split()[0]] = url

    def _read(self):
        for line in self.proc.stdout:
            self.lines.append(line)
            if line == aio_cmd.READY_LINE + '\n':
                self._ready.set()

    def stop(self, sig=signal.SIGTERM):
        """Signal stx-aio; return its exit status."""
        os.kill(self.proc.pid, sig)
        return self.proc.wait(STOP_TIMEOUT)

    def _kill(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        pid = self.keystone_pid()
        if pid and _alive(pid):
            os.killpg(pid, signal.SIGKILL)

    def path(self, *names):
        return os.path.join(self.state_dir, *names)

    def keystone_pid(self):
        try:
            with open(self.path('keystone', 'gunicorn.pid')) as f:
                return int(f.read())
        except (OSError, ValueError):
            return None

    def openrc(self):
        return read_openrc(self.path('openrc'))

    def env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env.update(self.openrc())
        return env

    def session(self):
        rc = self.openrc()
        auth = v3.Password(auth_url=rc['OS_AUTH_URL'],
                           username=rc['OS_USERNAME'],
                           password=rc['OS_PASSWORD'],
                           project_name=rc['OS_PROJECT_NAME'],
                           user_domain_name=rc['OS_USER_DOMAIN_NAME'],
                           project_domain_name=rc['OS_PROJECT_DOMAIN_NAME'])
        return ks_session.Session(auth=auth, timeout=HTTP_TIMEOUT)


class AioTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(fixtures.Timeout(400, gentle=True))
        self.state_dir = os.path.join(
            self.useFixture(fixtures.TempDir()).path, 'aio')

    def _report(self, what, seconds):
        text = '%s: %.1f s' % (what, seconds)
        self.addDetail(what.replace(' ', '-'), content.text_content(text))
        print('\n[stx-aio timing] ' + text, file=sys.stderr, flush=True)

    def _start(self):
        aio_proc = AioProcess(self.state_dir)
        self.useFixture(aio_proc)
        return aio_proc

    def _openstack(self, aio_proc, *args):
        result = subprocess.run(
            [process.script('openstack'), *args], env=aio_proc.env(),
            stdin=subprocess.DEVNULL, capture_output=True, text=True,
            timeout=120)
        self.assertEqual(0, result.returncode,
                         'openstack %s:\n%s%s' % (' '.join(args),
                                                  result.stdout,
                                                  result.stderr))
        return json.loads(result.stdout)

    def _alarms(self, aio_proc):
        return self._openstack(aio_proc, 'fault', 'alarm', 'list',
                               '-f', 'json')

    def _has_alarm(self, alarms):
        return any(a['Alarm ID'] == ALARM['alarm_id']
                   and a['Entity ID'] == ALARM['entity_instance_id']
                   for a in alarms)

    def _assert_simulated_host_in_sysinv(self, aio_proc):
        with open(aio_proc.path('hostsim', 'hostsim.json')) as f:
            macs = [h['mgmt_mac'] for h in json.load(f)['hosts']]
        self.assertEqual(1, len(macs))
        sess = aio_proc.session()
        url = sess.get_endpoint(service_type='platform', interface='public',
                                region_name='RegionOne')

        def listed():
            hosts = sess.get(url + '/ihosts').json()['ihosts']
            return [h['mgmt_mac'] for h in hosts]
        deadline = time.monotonic() + 60
        while listed() != macs and time.monotonic() < deadline:
            time.sleep(0.5)
        self.assertEqual(macs, listed())

    def _raise_alarm(self, aio_proc):
        sess = aio_proc.session()
        # The catalog holds fm's endpoint, and it is the one announced.
        url = sess.get_endpoint(service_type='faultmanagement',
                                interface='public', region_name='RegionOne')
        self.assertEqual(aio_proc.endpoints['fm'], url)
        resp = requests.post(url + '/v1/alarms', json=ALARM,
                             headers={'X-Auth-Token': sess.get_token()},
                             timeout=HTTP_TIMEOUT)
        self.assertEqual(201, resp.status_code, resp.text)
        return url

    def _wait_for_alarm(self, aio_proc, timeout=60):
        deadline = time.monotonic() + timeout
        while True:
            alarms = self._alarms(aio_proc)
            if self._has_alarm(alarms):
                return alarms
            if time.monotonic() > deadline:
                self.fail('alarm not listed within %d s: %s' % (timeout,
                                                                 alarms))
            time.sleep(0.5)

    def _assert_secrets_private(self, aio_proc):
        password_file = aio_proc.path('keystone', 'admin-password')
        for path in (aio_proc.path('openrc'), password_file,
                     aio_proc.path('fm.conf')):
            self.assertEqual(0o600, _mode(path), path)
        self.assertEqual(0o700, _mode(aio_proc.state_dir))
        with open(password_file) as f:
            password = f.read().strip()
        self.assertEqual(password, aio_proc.openrc()['OS_PASSWORD'])
        self.assertNotIn(password, ''.join(aio_proc.lines))
        logs = aio_proc.path('logs')
        for name in os.listdir(logs):
            with open(os.path.join(logs, name), errors='replace') as f:
                self.assertNotIn(password, f.read(), name)
        return password

    def _assert_stops(self, aio_proc):
        keystone_url = aio_proc.openrc()['OS_AUTH_URL']
        keystone_pid = aio_proc.keystone_pid()
        self.assertTrue(_answers(keystone_url))
        started = time.monotonic()
        self.assertEqual(0, aio_proc.stop())
        self._report('stop', time.monotonic() - started)
        self.assertFalse(_alive(keystone_pid))
        self.assertFalse(_answers(keystone_url))
        self.assertFalse(_answers(aio_proc.endpoints['fm']))

    def test_first_start_serves_fm_and_stops(self):
        aio_proc = self._start()
        self._report('first start to ready', aio_proc.ready_after)
        self.assertEqual({'identity', 'fm', 'sysinv'},
                         set(aio_proc.endpoints))
        self._assert_simulated_host_in_sysinv(aio_proc)
        self._assert_secrets_private(aio_proc)

        # The simulated controller comes up locked: out of service, alarm
        # 200.001 (a warning, so the summary stays OK), and nothing else.
        deadline = time.monotonic() + 60
        while not self._alarms(aio_proc) and time.monotonic() < deadline:
            time.sleep(0.5)
        self.assertEqual([('200.001', 'host=controller-0')],
                         [(a['Alarm ID'], a['Entity ID'])
                          for a in self._alarms(aio_proc)])
        summary = self._openstack(aio_proc, 'fault', 'alarm', 'summary',
                                  '-f', 'json')
        self.assertEqual('OK', summary['status'])

        url = self._raise_alarm(aio_proc)
        self._wait_for_alarm(aio_proc)

        resp = requests.get(url + '/v1/alarms', timeout=HTTP_TIMEOUT)
        self.assertEqual(401, resp.status_code)
        self._assert_stops(aio_proc)

    def test_restart_reuses_state(self):
        first = self._start()
        password = self._assert_secrets_private(first)
        with open(first.path('keystone', 'bootstrap.json')) as f:
            marker = f.read()
        self._raise_alarm(first)
        self._wait_for_alarm(first)
        self.assertEqual(0, first.stop())

        second = self._start()
        self._report('restart to ready', second.ready_after)
        self.assertEqual(password, self._assert_secrets_private(second))
        with open(second.path('keystone', 'bootstrap.json')) as f:
            self.assertEqual(marker, f.read())  # no second bootstrap
        self.assertTrue(self._has_alarm(self._alarms(second)))

        # A second stx-aio on the same folder is refused at once.
        result = subprocess.run(
            [process.script('stx-aio'), '--state-dir', self.state_dir,
             '--keystone-port', '0'], stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=60)
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertIn('Another stx-aio (pid %d) already runs'
                      % second.proc.pid, result.stderr)
        self.assertTrue(self._has_alarm(self._alarms(second)))

        # Keystone dies: stx-aio says so and exits with an error.
        os.killpg(second.keystone_pid(), signal.SIGKILL)
        self.assertEqual(1, second.proc.wait(STOP_TIMEOUT))
        self.assertFalse(_answers(second.endpoints['fm']))
        with open(second.path('logs', 'stx-aio.log')) as f:
            self.assertIn('Keystone (the child process', f.read())

    def _wait_for(self, what, predicate, timeout=90):
        self.addDetail('waiting-for', content.text_content(what))
        return stx_fixtures.wait_for(predicate, timeout, interval=0.5)

    def _host(self, aio_proc, name):
        return self._openstack(aio_proc, 'system', 'host', 'show', name,
                               '-f', 'json')

    def _events(self, aio_proc, entity):
        return [(e['Event Log ID'], e['State'])
                for e in self._openstack(aio_proc, 'fault', 'event', 'list',
                                         '--limit', '100', '-f', 'json')
                if e['Entity Instance ID'] == entity]

    def test_powered_off_host_is_recovered_by_mtce(self):
        """The loop the platform exists for, on real packets: a host
        powered off through IPMI is detected, alarmed, powered on through
        its BMC, re-enabled and its alarm cleared, no one touching it."""
        from mtce import bmc
        aio_proc = AioProcess(self.state_dir, ('--hosts', '2'))
        self.useFixture(aio_proc)
        self._wait_for('worker-0 online', lambda: self._host(
            aio_proc, 'worker-0')['availability'] == 'online')
        self._openstack(aio_proc, 'system', 'host', 'cpu', 'modify',
                        'worker-0', '--function', 'platform', '--processor',
                        '0=1', '-f', 'json')
        self._openstack(aio_proc, 'system', 'host', 'unlock', 'worker-0',
                        '-f', 'json')
        self._wait_for('worker-0 unlocked-enabled-available', lambda: (
            self._host(aio_proc, 'worker-0')['availability'] == 'available'))

        with open(aio_proc.path('hostsim', 'hostsim.json')) as f:
            found = {h['hostname']: h for h in json.load(f)['hosts']}
        access = found['worker-0']['bmc']
        self.assertTrue(access['address'].startswith('127.10.'))
        pool = bmc.WorkerPool(size=1)
        self.addCleanup(pool.close)
        client = bmc.BmcClient(access['address'], access['port'],
                               username=access['username'],
                               password=access['password'], pool=pool)
        started = time.monotonic()
        client.power_off()
        self._wait_for('200.004 raised', lambda: (
            '200.004', 'set') in self._events(aio_proc, 'host=worker-0'))
        self._wait_for('worker-0 back in service', lambda: (
            self._host(aio_proc, 'worker-0')['availability'] ==
            'available' and ('200.004', 'clear') in self._events(
                aio_proc, 'host=worker-0')))
        self._report('power-off to recovered', time.monotonic() - started)
        self.assertEqual('on', client.power_status())
        self.assertNotIn('200.004', [a['Alarm ID'] for a in
                                     self._alarms(aio_proc)])
        # the other host was left alone
        self.assertEqual('online', self._host(aio_proc,
                                              'controller-0')['availability'])
        self._assert_stops(aio_proc)

    def test_keystone_port_in_use_is_refused(self):
        with socket.socket() as busy:
            busy.bind(('127.0.0.1', 0))
            busy.listen()
            port = busy.getsockname()[1]
            result = subprocess.run(
                # Free ports for the services: only Keystone's is busy,
                # whatever else runs on this machine.
                [process.script('stx-aio'), '--state-dir', self.state_dir,
                 '--keystone-port', str(port), '--port', 'fm=0',
                 '--port', 'sysinv=0'],
                stdin=subprocess.DEVNULL, capture_output=True, text=True,
                timeout=60)
        self.assertEqual(1, result.returncode, result.stderr)
        self.assertIn('127.0.0.1:%d: the port is in use' % port,
                      result.stderr)
        self.assertIn('--keystone-port', result.stderr)
        self.assertNotIn(aio_cmd.READY_LINE, result.stdout)


class ArgsAndPluginsTest(testtools.TestCase):
    """No processes: the command line and plugin discovery."""

    def setUp(self):
        super().setUp()
        self.plugins = aio.discover()

    def test_fm_plugin_discovered(self):
        fm = self.plugins['fm']
        self.assertEqual('faultmanagement', fm.service_type)
        self.assertEqual(18002, fm.default_port)
        self.assertEqual('http://127.0.0.1:18002',
                         fm.endpoint_url('127.0.0.1', 18002))

    def test_endpoint_url_with_path(self):
        plugin = aio.Plugin()
        plugin.path = '/v1/'
        self.assertEqual('http://h:1/v1', plugin.endpoint_url('h', 1))

    def test_defaults(self):
        args = aio_cmd.parse_args([], self.plugins)
        self.assertEqual(aio_cmd.default_state_dir(), args.state_dir)
        self.assertEqual('127.0.0.1', args.host)
        self.assertEqual(5000, args.keystone_port)
        self.assertIsNone(args.transport_url)
        self.assertEqual({}, args.ports)

    def test_options(self):
        args = aio_cmd.parse_args(
            ['--state-dir', 'rel', '--keystone-port', '0', '--port', 'fm=0',
             '--transport-url', 'rabbit://guest:guest@127.0.0.1:5672/'],
            self.plugins)
        self.assertEqual(os.path.abspath('rel'), args.state_dir)
        self.assertEqual(0, args.keystone_port)
        self.assertEqual({'fm': 0}, args.ports)
        self.assertEqual('rabbit://guest:guest@127.0.0.1:5672/',
                         args.transport_url)

    def _refused(self, argv):
        stderr = self.useFixture(fixtures.StringStream('stderr')).stream
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        error = self.assertRaises(SystemExit, aio_cmd.parse_args, argv,
                                  self.plugins)
        self.assertEqual(2, error.code)
        stderr.seek(0)
        return stderr.read()

    def test_bad_ports_refused(self):
        self.assertIn("no service 'nova'",
                      self._refused(['--port', 'nova=1']))
        self.assertIn('SERVICE=PORT', self._refused(['--port', '18002']))
        self.assertIn('out of range',
                      self._refused(['--keystone-port', '70000']))

    def test_redact_url(self):
        self.assertEqual('rabbit://guest:***@h:5672/', aio_runner.redact_url(
            'rabbit://guest:secret@h:5672/'))
        self.assertEqual('kombu+memory:////', aio_runner.redact_url(
            'kombu+memory:////'))

    def test_fm_config_is_private_and_read_back(self):
        state_dir = self.useFixture(fixtures.TempDir()).path
        broker = 'rabbit://guest:pa$word%@127.0.0.1:5672/'
        context = aio.Context('fm', state_dir, '127.0.0.1', 18002, broker,
                              aio.Keystone('http://k/v3', 'RegionOne',
                                           'admin', 'pw'))
        plugin = self.plugins['fm']
        conf = plugin.configure(context, fm_conf.new_conf)
        path = os.path.join(state_dir, 'fm.conf')
        self.assertEqual(0o600, _mode(path))
        self.assertEqual('sqlite:///%s/fm.sqlite' % state_dir,
                         conf.database.connection)
        self.assertEqual(broker, conf.transport_url)  # taken literally
        self.assertEqual('keystone', conf.auth_strategy)
        self.assertEqual(18002, conf.api.bind_port)
        with open(path) as f:
            text = f.read()
        self.assertIn('[keystone_authtoken]', text)
        self.assertIn('www_authenticate_uri = http://k/v3', text)

    def test_help(self):
        parser = aio_cmd.build_parser(self.plugins)
        text = parser.format_help()
        for expected in ('--state-dir', '--keystone-port', '--port',
                         '--transport-url', 'fm (faultmanagement, port '
                         '18002)', aio_cmd.READY_LINE, 'openrc'):
            self.assertIn(expected, text)
        self.assertIsInstance(parser, argparse.ArgumentParser)
