"""The hostsim command: its arguments, --help, and a whole run in-process.

hostsim/tests/functional runs it as a real process against RabbitMQ and a
real sysinv.
"""

import contextlib
import io
import json
import logging
import os
import socket
import stat
import subprocess
import threading
import uuid

import fixtures
import pyghmi.ipmi.private.session as ipmisession

from hostsim import cmd
from hostsim import tree
from stxcommon.tests import base
from stxcommon.tests import deployment
from stxcommon.tests import fixtures as stx_fixtures
from stxcommon.tests import process

BROKER = 'rabbit://guest:guest@127.0.0.1:5672/'
OS_VARIABLES = ('OS_AUTH_URL', 'OS_USERNAME', 'OS_PASSWORD',
                'OS_PROJECT_NAME', 'OS_USER_DOMAIN_NAME',
                'OS_PROJECT_DOMAIN_NAME', 'OS_REGION_NAME', 'OS_AUTH_TYPE',
                'OS_CLOUD', 'OS_INTERFACE', 'OS_TOKEN')


write_config = deployment.write_config


class CmdTestBase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.dir = self.useFixture(fixtures.TempDir()).path
        self.logs = self.useFixture(fixtures.FakeLogger(level=logging.INFO))
        for name in OS_VARIABLES:
            self.useFixture(fixtures.EnvironmentVariable(name))

    def parse(self, *argv):
        return cmd.parse_args(['--state-dir', self.dir, *argv])

    def refused(self, *argv):
        """The error message of arguments that must be refused (status 2).
        """
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr):
            error = self.assertRaises(SystemExit, cmd.parse_args, list(argv))
        self.assertEqual(2, error.code)
        return stderr.getvalue()


class TestArguments(CmdTestBase):

    def test_defaults(self):
        args = self.parse('--transport-url', BROKER)
        self.assertEqual([('controller-0', 'controller'),
                          ('worker-0', 'worker'), ('worker-1', 'worker')],
                         args.plan)
        self.assertEqual(BROKER, args.transport_url)
        self.assertEqual([], args.config_files)
        self.assertIsNone(args.keystone)
        self.assertFalse(args.debug)
        self.assertEqual(self.dir, args.state_dir)

    def test_default_state_dir(self):
        self.useFixture(fixtures.EnvironmentVariable('XDG_DATA_HOME',
                                                     self.dir))
        args = cmd.parse_args(['--transport-url', BROKER])
        self.assertEqual(os.path.join(self.dir, 'hostsim'), args.state_dir)

    def test_hosts_and_profiles(self):
        args = self.parse('--transport-url', BROKER, '--hosts', '5')
        self.assertEqual('edge-tiny', args.plan[3][1])
        # one host per profile unless --hosts says otherwise
        args = self.parse('--transport-url', BROKER, '--profile',
                          'worker-large', '--profile', 'controller')
        self.assertEqual([('worker-0', 'worker-large'),
                          ('controller-0', 'controller')], args.plan)
        args = self.parse('--transport-url', BROKER, '--profile',
                          'edge-tiny', '--hosts', '3')
        self.assertEqual(['worker-0', 'worker-1', 'worker-2'],
                         [name for name, _ in args.plan])
        path = os.path.join(tree.PROFILE_DIR, 'worker.yaml')
        args = self.parse('--transport-url', BROKER, '--profile', path)
        self.assertEqual([('worker-0', path)], args.plan)

    def test_config_file_gives_the_broker(self):
        path = write_config(os.path.join(self.dir, 'sysinv.conf'), {
            'DEFAULT': {'transport_url': BROKER}})
        args = self.parse('--config-file', path)
        self.assertEqual(BROKER, args.transport_url)
        self.assertEqual([path], args.config_files)
        # the command line wins
        other = 'rabbit://guest:guest@127.0.0.1:5672/other'
        args = self.parse('--config-file', path, '--transport-url', other)
        self.assertEqual(other, args.transport_url)

    def test_bad_arguments(self):
        self.assertIn('no broker: give --transport-url', self.refused())
        self.assertIn('--hosts: at least 1 host, not 0',
                      self.refused('--transport-url', BROKER, '--hosts', '0'))
        self.assertIn("--hosts: 'many' is not a number",
                      self.refused('--hosts', 'many'))
        self.assertIn('--profile: ', self.refused(
            '--transport-url', BROKER, '--profile', 'no-such-profile'))
        self.assertIn('--config-file: ', self.refused(
            '--config-file', os.path.join(self.dir, 'missing.conf')))
        self.assertIn('No scheme specified',
                      self.refused('--transport-url', 'no-scheme'))
        self.assertIn("driver found, looking for 'carrier-pigeon'",
                      self.refused('--transport-url', 'carrier-pigeon://x/'))
        message = self.refused('--transport-url', BROKER, '--provision')
        self.assertIn('--provision needs credentials in OS_* variables',
                      message)
        self.assertIn('auth_url', message)

    def test_provision_reads_os_variables(self):
        for name, value in (('OS_AUTH_URL', 'http://127.0.0.1:1/v3'),
                            ('OS_USERNAME', 'admin'),
                            ('OS_PASSWORD', 'secret'),
                            ('OS_PROJECT_NAME', 'admin'),
                            ('OS_USER_DOMAIN_NAME', 'Default'),
                            ('OS_PROJECT_DOMAIN_NAME', 'Default'),
                            ('OS_REGION_NAME', 'RegionTwo')):
            self.useFixture(fixtures.EnvironmentVariable(name, value))
        session, region, interface = self.parse(
            '--transport-url', BROKER, '--provision').keystone
        self.assertEqual('http://127.0.0.1:1/v3', session.auth.auth_url)
        self.assertEqual(('RegionTwo', 'public', 30),
                         (region, interface, session.timeout))

    def test_help(self):
        stdout = io.StringIO()
        with contextlib.redirect_stdout(stdout):
            error = self.assertRaises(SystemExit, cmd.main, ['--help'])
        self.assertEqual(0, error.code)
        text = stdout.getvalue()
        for option in ('--hosts N', '--profile NAME', '--state-dir DIR',
                       '--transport-url URL', '--config-file FILE',
                       '--provision', '--debug'):
            self.assertIn(option, text)
        for fact in ('controller, edge-tiny, worker, worker-large',
                     'OS_AUTH_URL', 'hostsim.json', 'mode 0600',
                     cmd.READY_LINE, 'SIGTERM', 'exit status',
                     'retried after 2 s'):
            self.assertIn(fact, text)
        self.assertGreaterEqual(text.count('default'), 5)

    def test_console_script(self):
        proc = subprocess.run([process.script('hostsim'), '--help'],
                              capture_output=True, text=True, timeout=60)
        self.assertEqual(0, proc.returncode, proc.stderr)
        self.assertIn('usage: hostsim', proc.stdout)


class _Output(io.StringIO):
    """stdout of a run in a thread, readable from the test."""

    def __init__(self):
        super().__init__()
        self.lock = threading.Lock()

    def write(self, text):
        with self.lock:
            return super().write(text)

    def text(self):
        with self.lock:
            return self.getvalue()


class TestRun(CmdTestBase):
    """A whole run in this process: start, table, hostsim.json, stop.

    The agents report on the in-process broker to a topic nobody serves,
    so they keep retrying; stopping must not wait for them.
    """

    def setUp(self):
        super().setUp()
        config = write_config(os.path.join(self.dir, 'sysinv.conf'), {
            'DEFAULT': {'transport_url': stx_fixtures.MEMORY_URL},
            'conductor': {'topic': 'nobody-%s' % uuid.uuid4().hex,
                          'rpc_timeout': 1},
        })
        self.args = self.parse('--config-file', config, '--profile',
                               'edge-tiny', '--hosts', '2')

    def start(self, args):
        stop = threading.Event()
        out = _Output()
        result = {}
        thread = threading.Thread(
            target=lambda: result.setdefault('status',
                                             cmd.run(args, stop, out)),
            name='hostsim-cmd-test', daemon=True)
        thread.start()
        self.addCleanup(thread.join, 60)
        self.addCleanup(stop.set)
        return stop, out, thread, result

    def test_run_until_stopped(self):
        # pyghmi's own I/O thread and socket live as long as the process.
        ipmisession.Session._assignsocket()
        threads_before = set(threading.enumerate())
        sockets_before = _sockets()

        stop, out, thread, result = self.start(self.args)
        stx_fixtures.wait_for(lambda: cmd.READY_LINE in out.text(),
                              timeout=60)
        path = os.path.join(self.dir, 'hostsim', 'hostsim.json')
        self.assertEqual(0o600, stat.S_IMODE(os.stat(path).st_mode))
        with open(path) as f:
            hosts = json.load(f)['hosts']
        lines = out.text().splitlines()
        self.assertEqual(['HOST', 'PROFILE', 'MGMT', 'MAC', 'BMC'],
                         lines[0].split())
        self.assertEqual([[h['hostname'], 'edge-tiny', h['mgmt_mac'],
                           '%s:%d' % (h['bmc']['address'], h['bmc']['port'])]
                          for h in hosts],
                         [line.split() for line in lines[1:3]])
        self.assertIn(path, lines[3])
        self.assertNotIn(hosts[0]['bmc']['password'], out.text())
        self.assertEqual(cmd.READY_LINE, lines[4])

        # a second run on the same state folder is refused
        self.assertEqual(1, cmd.run(self.args, threading.Event(),
                                    io.StringIO()))
        self.assertIn('Another hostsim runs with the state folder %s'
                      % self.dir, self.logs.output)

        stop.set()
        thread.join(30)
        self.assertFalse(thread.is_alive())
        self.assertEqual(0, result['status'])
        left = [t.name for t in set(threading.enumerate()) - threads_before
                if t.is_alive()]
        self.assertEqual([], left)
        self.assertEqual(sockets_before, _sockets())
        for host in hosts:      # every BMC's port is free again
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
                sock.bind((host['bmc']['address'], host['bmc']['port']))


def _sockets():
    """Inodes of this process's open sockets."""
    found = set()
    for fd in os.listdir('/proc/self/fd'):
        try:
            target = os.readlink(os.path.join('/proc/self/fd', fd))
        except OSError:
            continue
        if target.startswith('socket:'):
            found.add(target)
    return found
