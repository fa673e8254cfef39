"""The ``openstack system ...`` commands against a canned and the real API.

Commands run through their own cliff parsers with an app whose
``client_manager.system`` is a real :class:`sysinv.client.rest.Client`,
pointed at fm's recording server (to check options, requests, columns and
rows) or at this project's inventory API over HTTP. One test runs the real
``openstack`` shell in a subprocess to prove the plugin and its entry
points load.
"""

import argparse
import configparser
import importlib
import importlib.metadata
import io
import json
import logging
import os
import subprocess
import sys
import types

import fixtures
from keystoneauth1 import noauth
from keystoneauth1 import session as ks_session
from osc_lib import exceptions

import sysinv
from stxcommon.tests import base
from stxcommon.tests import fake_api
from sysinv.client import rest
from sysinv.osc import host
from sysinv.osc import host_action
from sysinv.osc import host_bulk
from sysinv.osc import host_config
from sysinv.osc import inventory
from sysinv.osc import plugin
from sysinv.osc import system
from sysinv.tests.unit import base as sysinv_base
from sysinv.tests.unit import test_rest_client as fakes

COMMANDS = {
    'system show': system.ShowSystem,
    'system update': system.UpdateSystem,
    'system host list': host.ListHost,
    'system host show': host.ShowHost,
    'system host add': host.AddHost,
    'system host update': host.UpdateHost,
    'system host delete': host.DeleteHost,
    'system host cpu list': inventory.ListCpu,
    'system host cpu show': inventory.ShowCpu,
    'system host memory list': inventory.ListMemory,
    'system host memory show': inventory.ShowMemory,
    'system host disk list': inventory.ListDisk,
    'system host disk show': inventory.ShowDisk,
    'system host port list': inventory.ListPort,
    'system host port show': inventory.ShowPort,
    'system host device list': inventory.ListDevice,
    'system host device show': inventory.ShowDevice,
    'system host sensor list': inventory.ListSensor,
    'system host sensor show': inventory.ShowSensor,
    'system host sensor modify': host_config.ModifySensor,
    'system host sensorgroup list': inventory.ListSensorGroup,
    'system host sensorgroup show': inventory.ShowSensorGroup,
    'system host sensorgroup modify': host_config.ModifySensorGroup,
    'system host bulk-add': host_bulk.BulkAddHost,
    'system host bulk-export': host_bulk.BulkExportHost,
    'system host lock': host_action.LockHost,
    'system host unlock': host_action.UnlockHost,
    'system host reboot': host_action.RebootHost,
    'system host reset': host_action.ResetHost,
    'system host power-on': host_action.PowerOnHost,
    'system host power-off': host_action.PowerOffHost,
    'system host swact': host_action.SwactHost,
    'system host cpu modify': host_config.ModifyCpu,
    'system host memory modify': host_config.ModifyMemory,
    'system host interface list': inventory.ListInterface,
    'system host interface show': inventory.ShowInterface,
    'system host interface modify': host_config.ModifyInterface,
    'system host device modify': host_config.ModifyDevice,
}
HOST_HEADERS = ['ID', 'Hostname', 'Personality', 'Administrative',
                'Operational', 'Availability']
HOST_FIELDS = ('uuid', 'hostname', 'personality', 'administrative',
               'operational', 'availability')
# Lists of links that ``show`` leaves out.
LINK_FIELDS = ('links', 'ihosts', 'icpus', 'imemorys', 'idisks', 'ports',
               'ethernet_ports', 'iinterfaces', 'pci_devices')


def _row(item, fields):
    return tuple(item.get(field, '') for field in fields)


def _shown(item):
    return sorted(k for k in item if k not in LINK_FIELDS)


class CommandFixture(fixtures.Fixture):
    """A cliff app whose ``client_manager.system`` talks to ``url``."""

    def __init__(self, url):
        self.url = url

    def _setUp(self):
        self.client = rest.Client(ks_session.Session(auth=noauth.NoAuth()),
                                  endpoint_override=self.url)
        self.stdout = io.StringIO()
        self.app = types.SimpleNamespace(
            client_manager=types.SimpleNamespace(system=self.client),
            stdout=self.stdout, stderr=io.StringIO(),
            options=types.SimpleNamespace(debug=False,
                                          os_beta_command=False))

    def parse(self, name, argv):
        command = COMMANDS[name](self.app, None)
        parser = command.get_parser('openstack ' + name)
        return command, parser.parse_args(argv)

    def take_action(self, name, *argv):
        """The command's result; a Lister's rows come back as a list."""
        command, parsed_args = self.parse(name, list(argv))
        result = command.take_action(parsed_args)
        if isinstance(result, tuple) and len(result) == 2 and not isinstance(
                result[1], (tuple, list)):
            return list(result[0]), list(result[1])
        return result

    def run_command(self, name, *argv):
        """What the command prints, through cliff's formatters."""
        self.stdout.seek(0)
        self.stdout.truncate()
        command, parsed_args = self.parse(name, list(argv))
        if command.run(parsed_args) != 0:
            raise AssertionError('%s failed' % name)
        return self.stdout.getvalue()


class CommandTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.api = self.useFixture(fakes.FakeAPI())
        self.cli = self.useFixture(CommandFixture(self.api.url))
        self.take_action = self.cli.take_action
        self.run_command = self.cli.run_command
        self.app = self.cli.app
        self.log = self.useFixture(fixtures.FakeLogger(name='sysinv.osc'))
        # Keep the commands' error logs out of the test run's output.
        logger = logging.getLogger('sysinv.osc')
        self.addCleanup(setattr, logger, 'propagate', logger.propagate)
        logger.propagate = False

    def assertUsageError(self, name, *argv):
        stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        self.assertRaises(SystemExit, self.cli.parse, name, list(argv))
        return stderr.getvalue()

    def last(self):
        request = self.api.requests[-1]
        return request.method, request.path, request.query, request.body


class SystemCommandTest(CommandTestCase):

    def test_show(self):
        self.api.respond('GET', '/v1/isystems', {'isystems': [fakes.SYSTEM]})
        columns, values = self.take_action('system show')
        self.assertEqual(_shown(fakes.SYSTEM), list(columns))
        self.assertEqual([fakes.SYSTEM[k] for k in _shown(fakes.SYSTEM)],
                         list(values))
        self.assertEqual('edge-site-7', json.loads(self.run_command(
            'system show', '-f', 'json'))['name'])

    def test_update(self):
        self.api.respond('PATCH', '/v1/isystems', fakes.SYSTEM)
        columns, _values = self.take_action(
            'system update', '--name', 'edge-site-8', '--description', 'lab',
            '--location', 'Ottawa', '--contact', 'noc')
        self.assertIn('name', columns)
        self.assertEqual(('PATCH', '/v1/isystems', [], [
            {'op': 'replace', 'path': '/contact', 'value': 'noc'},
            {'op': 'replace', 'path': '/description', 'value': 'lab'},
            {'op': 'replace', 'path': '/location', 'value': 'Ottawa'},
            {'op': 'replace', 'path': '/name', 'value': 'edge-site-8'}]),
            self.last())
        self.assertRaises(exceptions.CommandError, self.take_action,
                          'system update')
        self.assertEqual(1, len(self.api.requests))


class HostCommandTest(CommandTestCase):

    def setUp(self):
        super().setUp()
        self.api.respond('GET', '/v1/ihosts', {
            'ihosts': [fakes.HOST_1, fakes.HOST_2], 'next': None})

    def test_list(self):
        columns, rows = self.take_action('system host list')
        self.assertEqual(HOST_HEADERS, columns)
        self.assertEqual([_row(fakes.HOST_1, HOST_FIELDS),
                          _row(fakes.HOST_2, HOST_FIELDS)], rows)
        self.assertEqual(('GET', '/v1/ihosts', [], None), self.last())

    def test_list_options(self):
        columns, rows = self.take_action(
            'system host list', '--personality', 'worker', '--long',
            '--sort', 'hostname:desc', '--limit', '5', '--marker', 'm-1')
        self.assertEqual(HOST_HEADERS + [
            'Subfunctions', 'Mgmt MAC', 'Mgmt IP', 'BM Type', 'BM IP',
            'Task', 'Inventory'], columns)
        self.assertEqual(('worker', '08:00:27:00:00:02', None, 'ipmi',
                          '10.10.10.12', 'Installing', 'unprovisioned'),
                         rows[1][6:])
        self.assertEqual([('limit', '5'), ('marker', 'm-1'),
                          ('sort_key', 'hostname'), ('sort_dir', 'desc'),
                          ('personality', 'worker')], self.last()[2])

    def test_list_follows_pages_unless_limited(self):
        self.api.forget('GET', '/v1/ihosts')
        page = {'ihosts': [fakes.HOST_1],
                'next': self.api.url + '/v1/ihosts?limit=1&marker=' +
                fakes.HOST_1['uuid']}
        for body in (page, {'ihosts': [fakes.HOST_2], 'next': None}, page):
            self.api.respond('GET', '/v1/ihosts', body)
        _columns, rows = self.take_action('system host list')
        self.assertEqual(['controller-0', 'worker-0'],
                         [row[1] for row in rows])
        _columns, rows = self.take_action('system host list', '--limit',
                                          '1')
        self.assertEqual(['controller-0'], [row[1] for row in rows])
        self.assertEqual(3, len(self.api.requests))

    def test_list_bad_options(self):
        self.assertIn("invalid choice: 'compute'", self.assertUsageError(
            'system host list', '--personality', 'compute'))
        self.assertUsageError('system host list', '--limit', 'many')
        for argv in (('--sort', 'bm_password'), ('--sort', 'hostname:up'),
                     ('--limit', '0')):
            self.assertRaises(exceptions.CommandError, self.take_action,
                              'system host list', *argv)
        self.assertEqual([], self.api.requests)

    def test_list_output_formats(self):
        self.assertEqual('controller-0 unlocked\nworker-0 locked\n',
                         self.run_command('system host list', '-f', 'value',
                                          '-c', 'Hostname',
                                          '-c', 'Administrative'))
        data = json.loads(self.run_command('system host list', '-f',
                                           'json'))
        self.assertEqual(fakes.HOST_2['uuid'], data[1]['ID'])

    def test_show(self):
        self.api.respond('GET', '/v1/ihosts/controller-0',
                         fakes.HOST_1_DETAIL)
        columns, values = self.take_action('system host show',
                                           'controller-0')
        expected = _shown(fakes.HOST_1_DETAIL)
        self.assertEqual(expected, list(columns))
        self.assertEqual([fakes.HOST_1_DETAIL[k] for k in expected],
                         list(values))
        self.assertNotIn('icpus', columns)
        error = self.assertRaises(rest.NotFound, self.take_action,
                                  'system host show', 'nobody')
        self.assertEqual('Resource could not be found.', error.message)

    def test_add(self):
        self.api.respond('POST', '/v1/ihosts', fakes.HOST_1_DETAIL,
                         status=201)
        columns, _values = self.take_action(
            'system host add', '--hostname', 'controller-0',
            '--personality', 'controller', '--mgmt-mac', '08:00:27:00:00:01',
            '--mgmt-ip', '192.168.204.2', '--subfunctions',
            'controller,worker', '--bm-type', 'ipmi', '--bm-ip',
            '10.10.10.2', '--bm-username', 'root', '--location', 'Rack 1',
            '--serialid', 'SN1', '--boot-device', 'sdb',
            '--rootfs-device', 'sdb', '--install-output', 'graphical',
            '--console', 'ttyS1,9600')
        self.assertIn('hostname', columns)
        self.assertEqual(('POST', '/v1/ihosts', [], {
            'hostname': 'controller-0', 'personality': 'controller',
            'mgmt_mac': '08:00:27:00:00:01', 'mgmt_ip': '192.168.204.2',
            'subfunctions': 'controller,worker', 'bm_type': 'ipmi',
            'bm_ip': '10.10.10.2', 'bm_username': 'root',
            'location': {'locn': 'Rack 1'}, 'serialid': 'SN1',
            'boot_device': 'sdb', 'rootfs_device': 'sdb',
            'install_output': 'graphical', 'console': 'ttyS1,9600'}),
            self.last())

    def test_add_requires_hostname_personality_and_mac(self):
        self.assertIn('the following arguments are required: --hostname, '
                      '--personality, --mgmt-mac',
                      self.assertUsageError('system host add'))
        self.assertUsageError('system host add', '--hostname', 'w-0',
                              '--personality', 'compute', '--mgmt-mac', 'x')

    def test_update(self):
        self.api.respond('PATCH', '/v1/ihosts/worker-0', fakes.HOST_2)
        self.take_action('system host update', 'worker-0', '--hostname',
                         'worker-9', '--personality', 'storage',
                         '--location', 'Rack 4', '--bm-type', 'redfish',
                         '--bm-ip', '10.0.0.9', '--bm-username', 'admin',
                         '--install-output', 'text')
        self.assertEqual(('PATCH', '/v1/ihosts/worker-0', []),
                         self.last()[:3])
        self.assertEqual(
            [('bm_ip', '10.0.0.9'), ('bm_type', 'redfish'),
             ('bm_username', 'admin'), ('hostname', 'worker-9'),
             ('install_output', 'text'), ('location', {'locn': 'Rack 4'}),
             ('personality', 'storage')],
            [(op['path'][1:], op['value']) for op in self.last()[3]
             if op['op'] == 'replace'])
        self.assertRaises(exceptions.CommandError, self.take_action,
                          'system host update', 'worker-0')
        self.assertIn('host', self.assertUsageError('system host update'))

    def test_update_error_is_raised(self):
        self.api.respond('PATCH', '/v1/ihosts/worker-0', fakes.error_body(
            'Host worker-0 must be locked'), status=400)
        error = self.assertRaises(rest.HTTPError, self.take_action,
                                  'system host update', 'worker-0',
                                  '--hostname', 'worker-1')
        self.assertEqual('Host worker-0 must be locked (HTTP 400)',
                         str(error))

    def test_delete_several(self):
        self.api.respond('DELETE', '/v1/ihosts/worker-0', status=204)
        self.assertIsNone(self.take_action('system host delete',
                                           'worker-0'))
        error = self.assertRaises(
            exceptions.CommandError, self.take_action, 'system host delete',
            'worker-0', 'nobody')
        self.assertEqual('1 of 2 hosts failed to delete', str(error))
        self.assertIn('Failed to delete host nobody: Resource could not be '
                      'found. (HTTP 404)', self.log.output)
        self.assertEqual(
            ['/v1/ihosts/worker-0', '/v1/ihosts/worker-0',
             '/v1/ihosts/nobody'],
            [r.path for r in self.api.requests if r.method == 'DELETE'])


class ItemCommandTest(CommandTestCase):

    # command noun -> (client kind, headers)
    NOUNS = {
        'cpu': ('cpu', ['UUID', 'Log Core', 'Processor', 'Phy Core',
                        'Thread', 'Processor Model', 'Assigned Function']),
        'memory': ('memory', [
            'UUID', 'Processor', 'Mem Total (MiB)', 'Mem Platform (MiB)',
            'Mem Avail (MiB)', 'Hugepages Configured', 'VM Total 2M Pages',
            'VM Avail 2M Pages', 'VM Pending 2M Pages', 'VM Total 1G Pages',
            'VM Avail 1G Pages', 'VM Pending 1G Pages']),
        'disk': ('disk', ['UUID', 'Device Node', 'Device Type',
                          'Size (MiB)', 'RPM', 'Serial ID', 'Device Path']),
        'port': ('port', ['UUID', 'Name', 'Type', 'MAC Address',
                          'PCI Address', 'Processor', 'Driver', 'Speed']),
        'device': ('device', ['UUID', 'Name', 'Address', 'Class ID',
                              'Vendor ID', 'Device ID', 'Processor',
                              'Enabled']),
    }

    def test_lists(self):
        for noun, (kind, headers) in self.NOUNS.items():
            collection, item = fakes.ITEMS[kind]
            path = '/v1/ihosts/controller-0/' + collection
            self.api.respond('GET', path, {collection: [item],
                                           'next': None})
            columns, rows = self.take_action(
                'system host %s list' % noun, 'controller-0')
            self.assertEqual(headers, columns, noun)
            self.assertEqual(1, len(rows), noun)
            self.assertEqual(item['uuid'], rows[0][0])
            self.assertEqual(('GET', path, [], None), self.last())
        _columns, rows = self.take_action('system host cpu list',
                                          'controller-0')
        self.assertEqual([(fakes.CPU_1['uuid'], 0, 0, 0, 0,
                           'Intel(R) Xeon(R) Gold 6230', 'Platform')], rows)

    def test_shows(self):
        for noun, (kind, _headers) in self.NOUNS.items():
            collection, item = fakes.ITEMS[kind]
            path = '/v1/%s/%s' % (collection, item['uuid'])
            self.api.respond('GET', path, item)
            columns, values = self.take_action(
                'system host %s show' % noun, item['uuid'])
            self.assertEqual(_shown(item), list(columns), noun)
            self.assertEqual([item[k] for k in _shown(item)], list(values))
            self.assertEqual(('GET', path), self.last()[:2])

    def test_missing_host(self):
        self.assertRaises(rest.NotFound, self.take_action,
                          'system host disk list', 'nobody')
        self.assertUsageError('system host disk list')


class HelpTest(CommandTestCase):

    def test_every_option_has_help(self):
        for name, command_class in COMMANDS.items():
            command = command_class(self.app, None)
            parser = command.get_parser('openstack ' + name)
            text = parser.format_help()
            self.assertIn('usage: openstack ' + name, text)
            self.assertTrue(command.get_description(), name)
            # Only the command's own options: cliff's formatters have theirs.
            framework = next(
                cls for cls in command_class.__mro__
                if cls.__module__.startswith(('osc_lib.', 'cliff.')))
            inherited = {action.dest for action in
                         framework.get_parser(command, 'x')._actions}
            own = [action for action in parser._actions
                   if action.dest not in inherited]
            self.assertTrue(own or name == 'system show', name)
            for action in own:
                self.assertTrue(action.help, '%s %s has no help'
                                % (name, action.option_strings or
                                   action.dest))
                for option in action.option_strings:
                    self.assertIn(option, text)


class RealApiCommandTest(base.TestCase):
    """Every command, parsed and run against the real inventory API."""

    def setUp(self):
        super().setUp()
        self.sysinv = self.useFixture(fakes.RealApiFixture())
        self.cli = self.useFixture(CommandFixture(self.sysinv.url))
        self.take_action = self.cli.take_action

    def test_system(self):
        columns, values = self.take_action('system show')
        shown = dict(zip(columns, values))
        self.assertIn('software_version', shown)
        columns, values = self.take_action('system update', '--contact',
                                           'noc', '--location', 'Ottawa')
        self.assertEqual(('noc', 'Ottawa'),
                         (dict(zip(columns, values))['contact'],
                          dict(zip(columns, values))['location']))

    def test_hosts_and_their_hardware(self):
        columns, values = self.take_action(
            'system host add', '--hostname', 'worker-0', '--personality',
            'worker', '--mgmt-mac', '08:00:27:00:00:01', '--location',
            'Rack 1', '--bm-type', 'ipmi', '--bm-ip', '10.10.10.3')
        added = dict(zip(columns, values))
        self.assertEqual(({'locn': 'Rack 1'}, 'locked'),
                         (added['location'], added['administrative']))
        self.take_action('system host add', '--hostname', 'controller-0',
                         '--personality', 'controller', '--mgmt-mac',
                         '08:00:27:00:00:02')
        columns, rows = self.take_action('system host list', '--sort',
                                         'hostname')
        self.assertEqual(HOST_HEADERS, columns)
        self.assertEqual(
            [('controller-0', 'controller', 'locked', 'disabled',
              'offline'),
             ('worker-0', 'worker', 'locked', 'disabled', 'offline')],
            [row[1:] for row in rows])
        _columns, rows = self.take_action('system host list', '--limit',
                                          '1', '--personality', 'worker')
        self.assertEqual([added['uuid']], [row[0] for row in rows])

        columns, values = self.take_action('system host update', 'worker-0',
                                           '--hostname', 'worker-1',
                                           '--install-output', 'graphical')
        self.assertEqual(('worker-1', 'graphical'), (
            dict(zip(columns, values))['hostname'],
            dict(zip(columns, values))['install_output']))
        columns, values = self.take_action('system host show',
                                           added['uuid'])
        self.assertEqual('worker-1', dict(zip(columns, values))['hostname'])

        self.sysinv.connection.apply_inventory(
            added['uuid'], sysinv_base.report(cpus=2))
        for noun, count in (('cpu', 2), ('memory', 1), ('disk', 2),
                            ('port', 2), ('device', 2)):
            _columns, rows = self.take_action(
                'system host %s list' % noun, 'worker-1')
            self.assertEqual(count, len(rows), noun)
            columns, values = self.take_action(
                'system host %s show' % noun, rows[0][0])
            self.assertEqual(rows[0][0], dict(zip(columns, values))['uuid'])
        # Mixed-case fields (vm_hugepages_nr_2M) reach their columns.
        columns, rows = self.take_action('system host memory list',
                                         'worker-1')
        memory = dict(zip(columns, rows[0]))
        self.assertEqual((512, 0), (memory['VM Total 2M Pages'],
                                    memory['VM Total 1G Pages']))

        self.assertIsNone(self.take_action('system host delete',
                                           'worker-1', 'controller-0'))
        self.assertEqual([], self.take_action('system host list')[1])


class PluginTest(CommandTestCase):

    def test_make_client(self):
        session = ks_session.Session(auth=noauth.NoAuth())
        instance = fake_api.FakeClientManager('system', session, self.api.url)
        client = plugin.make_client(instance)
        self.assertIsInstance(client, rest.Client)
        self.assertTrue(instance.auth_set_up)
        self.assertEqual([('platform', 'RegionTwo', 'internal')],
                         instance.lookups)
        self.api.respond('GET', '/v1/isystems',
                         {'isystems': [fakes.SYSTEM]})
        self.assertEqual([fakes.SYSTEM], client.system_list())

    def test_unsupported_version(self):
        instance = fake_api.FakeClientManager('system', None, self.api.url,
                                              version='2')
        self.assertRaises(ValueError, plugin.make_client, instance)

    def test_plugin_attributes(self):
        self.assertEqual('system', plugin.API_NAME)
        self.assertEqual('os_system_api_version', plugin.API_VERSION_OPTION)
        self.assertEqual({'1': 'sysinv.client.rest.Client'},
                         plugin.API_VERSIONS)

    def test_option_parser(self):
        self.useFixture(fixtures.EnvironmentVariable('OS_SYSTEM_API_VERSION'))
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        self.assertEqual('1', parser.parse_args([]).os_system_api_version)
        self.assertEqual('1', parser.parse_args(
            ['--os-system-api-version', '1']).os_system_api_version)
        self.assertIn('--os-system-api-version', parser.format_help())
        self.useFixture(fixtures.EnvironmentVariable('OS_SYSTEM_API_VERSION',
                                                     '7'))
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        self.assertEqual('7', parser.parse_args([]).os_system_api_version)


def _setup_cfg():
    root = os.path.dirname(os.path.dirname(os.path.abspath(
        sysinv.__file__)))
    config = configparser.ConfigParser()
    config.read(os.path.join(root, 'setup.cfg'))
    return root, config


def _entry_points(config, group, name=None):
    """(name, value) pairs of an entry-point group of setup.cfg."""
    text = config['entry_points'].get(group, '') if config.has_section(
        'entry_points') else ''
    pairs = [tuple(part.strip() for part in line.split('=', 1))
             for line in text.strip().splitlines()]
    return [pair for pair in pairs if name is None or pair[0] == name]


class EntryPointTest(base.TestCase):
    """setup.cfg names exactly these commands, mapped to these classes."""

    def setUp(self):
        super().setUp()
        _root, self.config = _setup_cfg()

    def test_commands(self):
        mapped = {}
        for name, target in _entry_points(self.config,
                                          'openstack.system.v1'):
            module, _sep, attr = target.partition(':')
            mapped[name.replace('_', ' ')] = getattr(
                importlib.import_module(module), attr)
        self.assertEqual(COMMANDS, mapped)

    def test_plugin(self):
        self.assertEqual([('system', 'sysinv.osc.plugin')], _entry_points(
            self.config, 'openstack.cli.extension', 'system'))


class ShellTest(CommandTestCase):
    """The real ``openstack`` program: plugin loading, token auth, output.

    One run only: OSC takes seconds to start.
    """

    def setUp(self):
        super().setUp()
        root, config = _setup_cfg()
        home = self.useFixture(fixtures.TempDir()).path
        env = {k: v for k, v in os.environ.items()
               if not k.startswith('OS_')}
        env.update(HOME=home, XDG_CONFIG_HOME=home, PYTHONWARNINGS='ignore')
        paths = [root]
        if not importlib.metadata.entry_points(
                group='openstack.cli.extension', name='system'):
            # Not pip-installed since setup.cfg gained the plugin: hand
            # OSC its entry points through a throw-away distribution.
            dist = os.path.join(home, 'site', 'stx_system_test-0.dist-info')
            os.makedirs(dist)
            with open(os.path.join(dist, 'METADATA'), 'w') as f:
                f.write('Metadata-Version: 2.1\nName: stx-system-test\n'
                        'Version: 0\n')
            with open(os.path.join(dist, 'entry_points.txt'), 'w') as f:
                f.write('[openstack.cli.extension]\n')
                f.writelines('%s = %s\n' % pair for pair in _entry_points(
                    config, 'openstack.cli.extension', 'system'))
                f.write('[openstack.system.v1]\n')
                f.writelines('%s = %s\n' % pair for pair in _entry_points(
                    config, 'openstack.system.v1'))
            paths.insert(0, os.path.dirname(dist))
        env['PYTHONPATH'] = os.pathsep.join(
            paths + [env.get('PYTHONPATH', '')]).rstrip(os.pathsep)
        self.env, self.cwd = env, home

    def test_host_list(self):
        self.api.respond('GET', '/v1/ihosts', {
            'ihosts': [fakes.HOST_1, fakes.HOST_2], 'next': None})
        result = subprocess.run(
            [sys.executable, '-m', 'openstackclient.shell',
             '--os-auth-type', 'admin_token', '--os-token', 'shell-token',
             '--os-endpoint', self.api.url,
             'system', 'host', 'list', '--personality', 'worker', '-f',
             'json'],
            env=self.env, cwd=self.cwd, capture_output=True, text=True,
            timeout=90)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(['controller-0', 'worker-0'],
                         [h['Hostname'] for h in json.loads(result.stdout)])
        request = self.api.requests[-1]
        self.assertEqual('shell-token', request.headers['X-Auth-Token'])
        self.assertEqual([('personality', 'worker')], request.query)
