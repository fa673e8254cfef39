"""The ``openstack fault ...`` commands against a canned fm-api.

Commands run through their own cliff parsers with an app whose
``client_manager.fault`` is a real :class:`fm.client.rest.Client` pointed at
the fake API, so each test checks the options, the requests they turn into
and the columns and rows printed. One test runs the real ``openstack``
shell in a subprocess to prove the plugin and its entry points load.
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

import fm
from fm.client import rest
from fm.osc import alarm
from fm.osc import event
from fm.osc import plugin
from fm.osc import suppression
from fm.tests.unit import test_rest_client as fakes
from stxcommon.tests import base
from stxcommon.tests import fake_api

COMMANDS = {
    'fault alarm list': alarm.ListAlarm,
    'fault alarm show': alarm.ShowAlarm,
    'fault alarm delete': alarm.DeleteAlarm,
    'fault alarm summary': alarm.SummaryAlarm,
    'fault event list': event.ListEvent,
    'fault event show': event.ShowEvent,
    'fault suppression list': suppression.ListSuppression,
    'fault suppression set': suppression.SetSuppression,
}
ALARM_HEADERS = ['UUID', 'Alarm ID', 'Reason Text', 'Entity ID', 'Severity',
                 'Time Stamp']
EVENT_HEADERS = ['UUID', 'Time Stamp', 'State', 'Event Log ID',
                 'Reason Text', 'Entity Instance ID', 'Severity']


def _row(item, fields):
    return tuple(item.get(field, '') for field in fields)


class CommandTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.api = self.useFixture(fakes.FakeFaultAPI())
        session = ks_session.Session(auth=noauth.NoAuth())
        self.fault = rest.Client(session, endpoint_override=self.api.url)
        self.log = self.useFixture(fixtures.FakeLogger(name='fm.osc'))
        # Keep the commands' error logs out of the test run's output.
        logger = logging.getLogger('fm.osc')
        self.addCleanup(setattr, logger, 'propagate', logger.propagate)
        logger.propagate = False
        self.stdout = io.StringIO()
        self.app = types.SimpleNamespace(
            client_manager=types.SimpleNamespace(fault=self.fault),
            stdout=self.stdout, stderr=io.StringIO(),
            options=types.SimpleNamespace(debug=False,
                                          os_beta_command=False))

    def _parse(self, name, argv):
        command = COMMANDS[name](self.app, None)
        parser = command.get_parser('openstack ' + name)
        return command, parser.parse_args(argv)

    def take_action(self, name, *argv):
        """The command's result; a Lister's rows come back as a list."""
        command, parsed_args = self._parse(name, list(argv))
        result = command.take_action(parsed_args)
        if isinstance(result, tuple) and len(result) == 2 and not isinstance(
                result[1], (tuple, list)):
            return list(result[0]), list(result[1])
        return result

    def run_command(self, name, *argv):
        """What the command prints, through cliff's formatters."""
        command, parsed_args = self._parse(name, list(argv))
        self.assertEqual(0, command.run(parsed_args))
        return self.stdout.getvalue()

    def assertUsageError(self, name, *argv):
        stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', stderr))
        self.assertRaises(SystemExit, self._parse, name, list(argv))
        return stderr.getvalue()

    def query(self, index=-1):
        return self.api.requests[index].query


class AlarmCommandTest(CommandTestCase):

    def setUp(self):
        super().setUp()
        self.api.respond('GET', '/v1/alarms', {
            'ialarms': [fakes.ALARM_1, fakes.ALARM_2], 'next': None})

    def test_list(self):
        columns, rows = self.take_action('fault alarm list')
        self.assertEqual(ALARM_HEADERS, columns)
        fields = ('uuid', 'alarm_id', 'reason_text', 'entity_instance_id',
                  'severity', 'timestamp')
        self.assertEqual([_row(fakes.ALARM_1, fields),
                          _row(fakes.ALARM_2, fields)], rows)
        self.assertEqual([], self.query())

    def test_list_filters(self):
        self.take_action(
            'fault alarm list', '--alarm-id', '100.101',
            '--entity-instance-id', 'host=controller-0',
            '--entity-type-id', 'host', '--severity', 'critical',
            '--query', 'alarm_type!=other;uuid=x',
            '--query', 'severity<=major',
            '--sort', 'severity:asc', '--limit', '5', '--marker', 'm-1')
        self.assertEqual([
            ('q.field', 'alarm_id'), ('q.op', 'eq'), ('q.value', '100.101'),
            ('q.field', 'entity_instance_id'), ('q.op', 'eq'),
            ('q.value', 'host=controller-0'),
            ('q.field', 'entity_type_id'), ('q.op', 'eq'),
            ('q.value', 'host'),
            ('q.field', 'severity'), ('q.op', 'eq'), ('q.value', 'critical'),
            ('q.field', 'alarm_type'), ('q.op', 'ne'), ('q.value', 'other'),
            ('q.field', 'uuid'), ('q.op', 'eq'), ('q.value', 'x'),
            ('q.field', 'severity'), ('q.op', 'le'), ('q.value', 'major'),
            ('limit', '5'), ('marker', 'm-1'), ('sort_key', 'severity'),
            ('sort_dir', 'asc')], self.query())

    def test_list_include_suppress_and_long(self):
        columns, rows = self.take_action('fault alarm list',
                                         '--include-suppress')
        self.assertEqual(ALARM_HEADERS + ['Suppression Status'], columns)
        self.assertEqual('suppressed', rows[1][-1])
        self.assertEqual([('include_suppress', 'true')], self.query())

        columns, rows = self.take_action('fault alarm list', '--long')
        self.assertEqual(ALARM_HEADERS + [
            'Suppression Status', 'Entity Type ID', 'Alarm Type',
            'Probable Cause', 'Proposed Repair Action', 'Service Affecting',
            'Management Affecting', 'Degrade Affecting'], columns)
        self.assertEqual([('expand', 'true')], self.query())
        # Fields the summary form lacks show empty, not as an error.
        self.assertEqual(('', '', '', '', '', 'True', 'False'),
                         rows[0][-7:])

    def test_list_follows_pages_unless_limited(self):
        page = {'ialarms': [fakes.ALARM_1],
                'next': self.api.url + '/v1/alarms?limit=1&marker=' +
                fakes.ALARM_1['uuid']}
        last = {'ialarms': [fakes.ALARM_2], 'next': None}
        self.api.forget('GET', '/v1/alarms')
        for body in (page, last, page):
            self.api.respond('GET', '/v1/alarms', body)
        _columns, rows = self.take_action('fault alarm list')
        self.assertEqual([fakes.ALARM_1['uuid'], fakes.ALARM_2['uuid']],
                         [row[0] for row in rows])
        self.assertEqual([('limit', '1'), ('marker', fakes.ALARM_1['uuid'])],
                         self.query())
        self.assertEqual(2, len(self.api.requests))

        _columns, rows = self.take_action('fault alarm list', '--limit', '1')
        self.assertEqual([fakes.ALARM_1['uuid']], [row[0] for row in rows])
        self.assertEqual(3, len(self.api.requests))
        self.assertEqual([('limit', '1')], self.query())

    def test_list_bad_options(self):
        self.assertIn("invalid choice: 'fatal'", self.assertUsageError(
            'fault alarm list', '--severity', 'fatal'))
        self.assertUsageError('fault alarm list', '--limit', 'many')
        for argv in (('--sort', 'reason_text'), ('--sort', 'severity:up'),
                     ('--query', 'severity'), ('--limit', '0')):
            self.assertRaises(exceptions.CommandError, self.take_action,
                              'fault alarm list', *argv)
        self.assertEqual([], self.api.requests)

    def test_list_output_formats(self):
        data = json.loads(self.run_command('fault alarm list', '-f', 'json'))
        self.assertEqual(['0b4f4a43-8a2c-4a1b-9a3e-6f8f0b9d2a11',
                          'a7c1e2d3-54f6-47a8-b9c0-d1e2f3a4b5c6'],
                         [item['UUID'] for item in data])
        self.assertEqual('host=controller-1', data[1]['Entity ID'])

        self.stdout.seek(0)
        self.stdout.truncate()
        self.assertEqual(fakes.ALARM_1['uuid'] + ' 100.101\n' +
                         fakes.ALARM_2['uuid'] + ' 200.001\n',
                         self.run_command('fault alarm list', '-f', 'value',
                                          '-c', 'UUID', '-c', 'Alarm ID'))

        self.stdout.seek(0)
        self.stdout.truncate()
        lines = self.run_command('fault alarm list', '-f', 'csv',
                                 '-c', 'Alarm ID', '-c', 'Severity'
                                 ).splitlines()
        self.assertEqual(['"Alarm ID","Severity"', '"100.101","critical"',
                          '"200.001","major"'], lines)

    def test_show(self):
        path = '/v1/alarms/' + fakes.ALARM_1['uuid']
        self.api.respond('GET', path, fakes.ALARM_1_DETAIL)
        columns, values = self.take_action('fault alarm show',
                                           fakes.ALARM_1['uuid'])
        expected = sorted(k for k in fakes.ALARM_1_DETAIL if k != 'links')
        self.assertEqual(expected, list(columns))
        self.assertEqual([fakes.ALARM_1_DETAIL[k] for k in expected],
                         list(values))
        self.assertEqual(('GET', path), (self.api.requests[-1].method,
                                         self.api.requests[-1].path))
        output = self.run_command('fault alarm show', fakes.ALARM_1['uuid'],
                                  '-f', 'json')
        self.assertEqual('True', json.loads(output)['suppression'])

    def test_show_missing_alarm(self):
        error = self.assertRaises(rest.NotFound, self.take_action,
                                  'fault alarm show', 'nope')
        self.assertEqual('Resource could not be found.', error.message)

    def test_delete_several(self):
        gone = '/v1/alarms/' + fakes.ALARM_1['uuid']
        self.api.respond('DELETE', gone, status=204)
        self.assertIsNone(self.take_action(
            'fault alarm delete', fakes.ALARM_1['uuid']))

        error = self.assertRaises(
            exceptions.CommandError, self.take_action, 'fault alarm delete',
            fakes.ALARM_1['uuid'], fakes.ALARM_2['uuid'])
        self.assertEqual('1 of 2 alarms failed to delete', str(error))
        self.assertIn('Failed to delete alarm %s: Resource could not be '
                      'found. (HTTP 404)' % fakes.ALARM_2['uuid'],
                      self.log.output)
        self.assertEqual(
            [('DELETE', gone), ('DELETE', gone),
             ('DELETE', '/v1/alarms/' + fakes.ALARM_2['uuid'])],
            [(r.method, r.path) for r in self.api.requests[-3:]])
        self.assertIn('delete', self.assertUsageError('fault alarm delete'))

    def test_summary(self):
        self.api.respond('GET', '/v1/alarms/summary', fakes.SUMMARY)
        columns, values = self.take_action('fault alarm summary')
        self.assertEqual(('critical', 'major', 'minor', 'warnings', 'status'),
                         tuple(columns))
        self.assertEqual((1, 1, 0, 2, 'critical'), tuple(values))
        self.assertEqual([], self.query())
        self.take_action('fault alarm summary', '--include-suppress')
        self.assertEqual([('include_suppress', 'true')], self.query())


class EventCommandTest(CommandTestCase):

    def setUp(self):
        super().setUp()
        self.api.respond('GET', '/v1/event_log', {
            'event_log': [fakes.EVENT_1, fakes.EVENT_2], 'next': None})

    def test_list(self):
        columns, rows = self.take_action('fault event list')
        self.assertEqual(EVENT_HEADERS, columns)
        fields = ('uuid', 'timestamp', 'state', 'event_log_id',
                  'reason_text', 'entity_instance_id', 'severity')
        self.assertEqual([_row(fakes.EVENT_1, fields),
                          _row(fakes.EVENT_2, fields)], rows)
        self.assertEqual([], self.query())

    def test_list_filters(self):
        columns, _rows = self.take_action(
            'fault event list', '--alarms', '--start', '2024-05-01T00:00:00Z',
            '--end', '2024-05-02', '--event-log-id', '200.001',
            '--entity-instance-id', 'host=controller-1',
            '--entity-type-id', 'host', '--severity', 'clear',
            '--state', 'clear', '--query', 'event_log_type=alarm',
            '--limit', '10', '--marker', 'm-2', '--include-suppress')
        self.assertEqual(EVENT_HEADERS + ['Suppression Status'], columns)
        self.assertEqual([
            ('q.field', 'event_log_id'), ('q.op', 'eq'),
            ('q.value', '200.001'),
            ('q.field', 'entity_instance_id'), ('q.op', 'eq'),
            ('q.value', 'host=controller-1'),
            ('q.field', 'entity_type_id'), ('q.op', 'eq'),
            ('q.value', 'host'),
            ('q.field', 'severity'), ('q.op', 'eq'), ('q.value', 'clear'),
            ('q.field', 'state'), ('q.op', 'eq'), ('q.value', 'clear'),
            ('q.field', 'start'), ('q.op', 'ge'),
            ('q.value', '2024-05-01T00:00:00Z'),
            ('q.field', 'end'), ('q.op', 'le'), ('q.value', '2024-05-02'),
            ('q.field', 'event_log_type'), ('q.op', 'eq'),
            ('q.value', 'alarm'),
            ('limit', '10'), ('marker', 'm-2'), ('alarms', 'true'),
            ('include_suppress', 'true')], self.query())

    def test_list_logs_long(self):
        columns, _rows = self.take_action('fault event list', '--logs',
                                          '--long')
        self.assertEqual(EVENT_HEADERS + [
            'Suppression Status', 'Entity Type ID', 'Event Log Type',
            'Probable Cause', 'Proposed Repair Action', 'Service Affecting'],
            columns)
        self.assertEqual([('logs', 'true'), ('expand', 'true')], self.query())

    def test_list_bad_options(self):
        self.assertIn('not allowed with argument', self.assertUsageError(
            'fault event list', '--alarms', '--logs'))
        self.assertIn('not an ISO 8601 time', self.assertUsageError(
            'fault event list', '--start', 'yesterday'))
        self.assertUsageError('fault event list', '--state', 'open')
        self.assertRaises(exceptions.CommandError, self.take_action,
                          'fault event list', '--query', 'state~set')
        self.assertEqual([], self.api.requests)

    def test_list_json(self):
        data = json.loads(self.run_command('fault event list', '-f', 'json'))
        self.assertEqual(['clear', 'set'], [item['State'] for item in data])

    def test_show(self):
        path = '/v1/event_log/' + fakes.EVENT_1['uuid']
        self.api.respond('GET', path, dict(fakes.EVENT_1, links=[]))
        columns, values = self.take_action('fault event show',
                                           fakes.EVENT_1['uuid'])
        self.assertEqual(sorted(fakes.EVENT_1), list(columns))
        self.assertEqual([fakes.EVENT_1[k] for k in sorted(fakes.EVENT_1)],
                         list(values))
        self.assertEqual(path, self.api.requests[-1].path)


class SuppressionCommandTest(CommandTestCase):

    def setUp(self):
        super().setUp()
        self.api.respond('GET', '/v1/event_suppression', {
            'event_suppression': [fakes.SUPPRESSION_1,
                                  fakes.SUPPRESSION_2]})

    def _patches(self):
        return [(r.path, r.body) for r in self.api.requests
                if r.method == 'PATCH']

    def _respond_patch(self, row, status='suppressed'):
        path = '/v1/event_suppression/' + row['uuid']
        self.api.respond('PATCH', path,
                         dict(row, suppression_status=status))
        return path

    def test_list(self):
        columns, rows = self.take_action('fault suppression list')
        self.assertEqual(['UUID', 'Alarm ID', 'Description',
                          'Suppression Status'], columns)
        self.assertEqual(
            [(fakes.SUPPRESSION_1['uuid'], '100.101',
              'Platform CPU threshold exceeded', 'unsuppressed'),
             (fakes.SUPPRESSION_2['uuid'], '200.001',
              'Host was administratively locked', 'suppressed')], rows)

    def test_set_by_alarm_id_and_uuid(self):
        first = self._respond_patch(fakes.SUPPRESSION_1)
        second = self._respond_patch(fakes.SUPPRESSION_2)
        self.assertIsNone(self.take_action(
            'fault suppression set', '--suppressed', '100.101',
            fakes.SUPPRESSION_2['uuid'], '200.001'))
        patch = [{'op': 'replace', 'path': '/suppression_status',
                  'value': 'suppressed'}]
        # 200.001 was named twice and is set once.
        self.assertEqual([(first, patch), (second, patch)], self._patches())

    def test_unsuppress(self):
        path = self._respond_patch(fakes.SUPPRESSION_2, 'unsuppressed')
        self.take_action('fault suppression set', '--unsuppressed',
                         '200.001')
        self.assertEqual([(path, [{'op': 'replace',
                                   'path': '/suppression_status',
                                   'value': 'unsuppressed'}])],
                         self._patches())

    def test_unknown_name_changes_nothing(self):
        error = self.assertRaises(
            exceptions.CommandError, self.take_action,
            'fault suppression set', '--suppressed', '100.101', '999.999')
        self.assertIn('999.999', str(error))
        self.assertEqual([], self._patches())

    def test_failed_update_is_reported(self):
        self._respond_patch(fakes.SUPPRESSION_1)
        self.api.respond('PATCH', '/v1/event_suppression/' +
                         fakes.SUPPRESSION_2['uuid'],
                         fakes.error_body('fm is read-only'), status=400)
        error = self.assertRaises(
            exceptions.CommandError, self.take_action,
            'fault suppression set', '--suppressed', '100.101', '200.001')
        self.assertEqual('1 of 2 alarm IDs failed to be set suppressed',
                         str(error))
        self.assertIn('Failed to set alarm ID 200.001 suppressed: fm is '
                      'read-only (HTTP 400)', self.log.output)
        self.assertEqual(2, len(self._patches()))

    def test_status_flag_is_required_and_exclusive(self):
        self.assertIn('one of the arguments --suppressed --unsuppressed is '
                      'required', self.assertUsageError(
                          'fault suppression set', '100.101'))
        self.assertUsageError('fault suppression set', '--suppressed',
                              '--unsuppressed', '100.101')
        self.assertUsageError('fault suppression set', '--suppressed')


class HelpTest(CommandTestCase):

    def test_every_option_has_help(self):
        for name, command_class in COMMANDS.items():
            command = command_class(self.app, None)
            parser = command.get_parser('openstack ' + name)
            text = parser.format_help()
            self.assertIn('usage: openstack ' + name, text)
            self.assertTrue(command.get_description(), name)
            # Only the command's own options: cliff's formatters have theirs.
            inherited = {action.dest for action in super(
                command_class, command).get_parser('x')._actions}
            own = [action for action in parser._actions
                   if action.dest not in inherited]
            self.assertTrue(own or name == 'fault suppression list', name)
            for action in own:
                self.assertTrue(action.help, '%s %s has no help'
                                % (name, action.option_strings or
                                   action.dest))
                for option in action.option_strings:
                    self.assertIn(option, text)

    def test_list_help_names_the_filters(self):
        command = alarm.ListAlarm(self.app, None)
        text = command.get_parser('openstack fault alarm list').format_help()
        for option in ('--alarm-id', '--entity-instance-id',
                       '--entity-type-id', '--severity', '--include-suppress',
                       '--limit', '--marker', '--long', '--query'):
            self.assertIn(option, text)


class PluginTest(CommandTestCase):

    def test_make_client(self):
        session = ks_session.Session(auth=noauth.NoAuth())
        instance = fake_api.FakeClientManager('fault', session, self.api.url)
        client = plugin.make_client(instance)
        self.assertIsInstance(client, rest.Client)
        self.assertTrue(instance.auth_set_up)
        self.assertEqual([('faultmanagement', 'RegionTwo', 'internal')],
                         instance.lookups)
        self.api.respond('GET', '/v1/alarms/summary', fakes.SUMMARY)
        self.assertEqual(fakes.SUMMARY, client.alarm_summary())

    def test_unsupported_version(self):
        instance = fake_api.FakeClientManager('fault', None, self.api.url,
                                              version='2')
        self.assertRaises(ValueError, plugin.make_client, instance)

    def test_plugin_attributes(self):
        self.assertEqual('fault', plugin.API_NAME)
        self.assertEqual('os_fault_api_version', plugin.API_VERSION_OPTION)
        self.assertEqual({'1': 'fm.client.rest.Client'}, plugin.API_VERSIONS)

    def test_option_parser(self):
        self.useFixture(fixtures.EnvironmentVariable('OS_FAULT_API_VERSION'))
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        self.assertEqual('1', parser.parse_args([]).os_fault_api_version)
        self.assertEqual('1', parser.parse_args(
            ['--os-fault-api-version', '1']).os_fault_api_version)
        self.assertIn('--os-fault-api-version', parser.format_help())
        self.useFixture(fixtures.EnvironmentVariable('OS_FAULT_API_VERSION',
                                                     '7'))
        parser = plugin.build_option_parser(argparse.ArgumentParser())
        self.assertEqual('7', parser.parse_args([]).os_fault_api_version)


def _setup_cfg():
    root = os.path.dirname(os.path.dirname(os.path.abspath(fm.__file__)))
    config = configparser.ConfigParser()
    config.read(os.path.join(root, 'setup.cfg'))
    return root, config


def _entry_points(config, group):
    """(name, value) pairs of an entry-point group of setup.cfg."""
    return [tuple(part.strip() for part in line.split('=', 1))
            for line in config['entry_points'][group].strip().splitlines()]


class EntryPointTest(base.TestCase):
    """setup.cfg names exactly these commands, mapped to these classes."""

    def test_commands(self):
        _root, config = _setup_cfg()
        mapped = {}
        for name, target in _entry_points(config, 'openstack.fault.v1'):
            module, _sep, attr = target.partition(':')
            mapped[name.replace('_', ' ')] = getattr(
                importlib.import_module(module), attr)
        self.assertEqual(COMMANDS, mapped)

    def test_plugin(self):
        _root, config = _setup_cfg()
        self.assertIn(('fault', 'fm.osc.plugin'),
                      _entry_points(config, 'openstack.cli.extension'))


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
                group='openstack.cli.extension', name='fault'):
            # Not pip-installed: hand OSC setup.cfg's entry points through
            # a throw-away distribution.
            dist = os.path.join(home, 'site', 'stx_fault_test-0.dist-info')
            os.makedirs(dist)
            with open(os.path.join(dist, 'METADATA'), 'w') as f:
                f.write('Metadata-Version: 2.1\nName: stx-fault-test\n'
                        'Version: 0\n')
            with open(os.path.join(dist, 'entry_points.txt'), 'w') as f:
                for group in ('openstack.cli.extension',
                              'openstack.fault.v1'):
                    f.write('[%s]\n' % group)
                    f.writelines('%s = %s\n' % pair for pair in
                                 _entry_points(config, group))
            paths.insert(0, os.path.dirname(dist))
        env['PYTHONPATH'] = os.pathsep.join(
            paths + [env.get('PYTHONPATH', '')]).rstrip(os.pathsep)
        self.env, self.cwd = env, home

    def test_alarm_list(self):
        self.api.respond('GET', '/v1/alarms', {
            'ialarms': [fakes.ALARM_1], 'next': None})
        result = subprocess.run(
            [sys.executable, '-m', 'openstackclient.shell',
             '--os-auth-type', 'admin_token', '--os-token', 'shell-token',
             '--os-endpoint', self.api.url,
             'fault', 'alarm', 'list', '--severity', 'critical', '-f',
             'json'],
            env=self.env, cwd=self.cwd, capture_output=True, text=True,
            timeout=90)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertEqual(fakes.ALARM_1['uuid'],
                         json.loads(result.stdout)[0]['UUID'])
        request = self.api.requests[-1]
        self.assertEqual('shell-token', request.headers['X-Auth-Token'])
        self.assertEqual([('q.field', 'severity'), ('q.op', 'eq'),
                          ('q.value', 'critical')], request.query)
