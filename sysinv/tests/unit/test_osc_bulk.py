"""``openstack system host bulk-add|bulk-export`` and their client calls.

As in test_osc: the commands run through their own parsers against a
canned API (to pin requests and StarlingX's answer shape) and against
this project's inventory API over HTTP.
"""

import os

import fixtures
from osc_lib import exceptions

from stxcommon.tests import base
from stxcommon.tests import fake_api
from sysinv.client import rest
from sysinv.osc import host_bulk
from sysinv.tests.unit import test_osc
from sysinv.tests.unit import test_rest_client as fakes

HOSTS_FILE = (b'<?xml version="1.0"?>\n<hosts>\n'
              b'<host><hostname>worker-0</hostname>'
              b'<personality>worker</personality>'
              b'<mgmt_mac>08:00:27:00:00:01</mgmt_mac>'
              b'<bm_password>s3cret</bm_password></host>\n'
              b'<host><hostname>worker-1</hostname>'
              b'<personality>worker</personality>'
              b'<mgmt_mac>08:00:27:00:00:02</mgmt_mac>'
              b'<location>Rack 2</location></host>\n</hosts>\n')
EXPORT = '<?xml version="1.0" ?>\n<hosts>\n\t<host />\n</hosts>\n'


def _multipart_file(request):
    """The part named ``file`` of a recorded multipart request."""
    content_type = request.headers['Content-Type']
    boundary = content_type.split('boundary=', 1)[1].encode('ascii')
    for part in request.body.split(b'--' + boundary):
        head, _sep, data = part.partition(b'\r\n\r\n')
        if b'name="file"' in head:
            return data[:-2]  # The CRLF before the next boundary.
    raise AssertionError('no "file" part in %r' % request.body)


class InTempDir:
    def in_temp_dir(self):
        path = self.useFixture(fixtures.TempDir()).path
        self.addCleanup(os.chdir, os.getcwd())
        os.chdir(path)
        return path


class ClientTest(fake_api.ClientTestMixin, base.TestCase):
    client_class = rest.Client

    def test_bulk_add_uploads_the_file_as_starlingx_does(self):
        answer = {'success': 'worker-0', 'error': ''}
        self.api.respond('POST', '/v1/ihosts/bulk_add', answer)
        self.assertEqual(answer, self.client.host_bulk_add(HOSTS_FILE))
        request = self.assertRequest('POST', '/v1/ihosts/bulk_add')
        self.assertTrue(request.headers['Content-Type'].startswith(
            'multipart/form-data; boundary='))
        self.assertEqual(HOSTS_FILE, _multipart_file(request))

    def test_bulk_export_returns_the_xml(self):
        self.api.respond('GET', '/v1/ihosts/bulk_export',
                         {'content': EXPORT})
        self.assertEqual(EXPORT, self.client.host_bulk_export())
        self.assertRequest('GET', '/v1/ihosts/bulk_export')

    def test_errors(self):
        self.api.respond('POST', '/v1/ihosts/bulk_add', fake_api.error_body(
            'Invalid hosts file: not well-formed XML'), status=400)
        error = self.assertRaises(rest.HTTPError, self.client.host_bulk_add,
                                  b'<hosts')
        self.assertEqual((400, 'Invalid hosts file: not well-formed XML'),
                         (error.status, error.message))


class BulkCommandTest(InTempDir, test_osc.CommandTestCase):

    def write(self, name='hosts.xml', content=HOSTS_FILE):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path, name)
        with open(path, 'wb') as f:
            f.write(content)
        return path

    def test_bulk_add_reads_starlingx_answers(self):
        # StarlingX's API answers with text only.
        self.api.respond('POST', '/v1/ihosts/bulk_add', {
            'success': 'worker-0, worker-1',
            'error': 'worker-2: Host-add Rejected: Host with mgmt_mac '
                     '08:00:28:a9:54:19 already exists\n'
                     'worker-3: Invalid input: personality must be one '
                     'of: controller, worker, storage'})
        columns, rows = self.take_action('system host bulk-add',
                                         self.write())
        self.assertEqual(['Hostname', 'Outcome', 'Reason'], list(columns))
        self.assertEqual([
            ('worker-0', 'added', ''), ('worker-1', 'added', ''),
            ('worker-2', 'error', 'Host-add Rejected: Host with mgmt_mac '
             '08:00:28:a9:54:19 already exists'),
            ('worker-3', 'error', 'Invalid input: personality must be one '
             'of: controller, worker, storage')], rows)
        request = self.api.requests[-1]
        self.assertEqual(('POST', '/v1/ihosts/bulk_add'),
                         (request.method, request.path))
        self.assertEqual(HOSTS_FILE, _multipart_file(request))

    def test_bulk_add_prints_outcomes_and_fails_on_a_refused_host(self):
        self.api.respond('POST', '/v1/ihosts/bulk_add', {
            'success': 'worker-0', 'error': 'worker-1: bad MAC',
            'hosts': [
                {'hostname': 'worker-0', 'outcome': 'unchanged'},
                {'hostname': 'worker-1', 'outcome': 'error',
                 'reason': 'bad MAC'}]})
        command, parsed_args = self.cli.parse('system host bulk-add',
                                              [self.write(), '-f', 'csv'])
        self.assertEqual(1, command.run(parsed_args))
        self.assertEqual('"Hostname","Outcome","Reason"\n'
                         '"worker-0","unchanged",""\n'
                         '"worker-1","error","bad MAC"\n',
                         self.cli.stdout.getvalue())
        self.assertEqual('1 host(s) refused\n',
                         self.app.stderr.getvalue())
        self.api.forget('POST', '/v1/ihosts/bulk_add')
        self.api.respond('POST', '/v1/ihosts/bulk_add', {
            'success': 'worker-0', 'error': '',
            'hosts': [{'hostname': 'worker-0', 'outcome': 'added'}]})
        self.assertIn('worker-0', self.run_command(
            'system host bulk-add', self.write()))

    def test_bulk_add_file_problems(self):
        for path in ('/nonexistent/hosts.xml',
                     self.useFixture(fixtures.TempDir()).path):
            error = self.assertRaises(
                exceptions.CommandError, self.take_action,
                'system host bulk-add', path)
            self.assertIn('Cannot read %s' % path, str(error))
        self.assertEqual([], self.api.requests)
        self.assertIn('<file>', self.assertUsageError(
            'system host bulk-add'))

    def test_bulk_add_error_is_raised(self):
        self.api.respond('POST', '/v1/ihosts/bulk_add', fake_api.error_body(
            'Invalid hosts file: the file is empty'), status=400)
        error = self.assertRaises(rest.HTTPError, self.take_action,
                                  'system host bulk-add',
                                  self.write(content=b''))
        self.assertIn('the file is empty', str(error))

    def test_bulk_export_writes_a_new_file(self):
        directory = self.in_temp_dir()
        self.api.respond('GET', '/v1/ihosts/bulk_export',
                         {'content': EXPORT})
        output = self.run_command('system host bulk-export')
        path = os.path.join(directory, 'hosts.xml')
        self.assertIn(path, output)
        with open(path) as f:
            self.assertEqual(EXPORT, f.read())
        error = self.assertRaises(exceptions.CommandError, self.take_action,
                                  'system host bulk-export')
        self.assertIn('give --force', str(error))
        with open(path, 'w') as f:
            f.write('old')
        self.run_command('system host bulk-export', '--force')
        with open(path) as f:
            self.assertEqual(EXPORT, f.read())
        self.run_command('system host bulk-export', '--filename',
                         'site-7.xml')
        with open(os.path.join(directory, 'site-7.xml')) as f:
            self.assertEqual(EXPORT, f.read())
        error = self.assertRaises(
            exceptions.CommandError, self.take_action,
            'system host bulk-export', '--filename', '/nonexistent/h.xml')
        self.assertIn('Cannot write /nonexistent/h.xml', str(error))


class RealApiBulkTest(InTempDir, base.TestCase):
    """Both commands against the real inventory API."""

    def setUp(self):
        super().setUp()
        self.sysinv = self.useFixture(fakes.RealApiFixture())
        self.cli = self.useFixture(test_osc.CommandFixture(self.sysinv.url))

    def test_add_again_export_and_add_back(self):
        directory = self.in_temp_dir()
        with open('hosts.xml', 'wb') as f:
            f.write(HOSTS_FILE)
        _columns, rows = self.cli.take_action('system host bulk-add',
                                              'hosts.xml')
        self.assertEqual([('worker-0', 'added', ''),
                          ('worker-1', 'added', '')], rows)
        _columns, rows = self.cli.take_action('system host bulk-add',
                                              'hosts.xml')
        self.assertEqual([('worker-0', 'unchanged', ''),
                          ('worker-1', 'unchanged', '')], rows)
        self.cli.take_action('system host bulk-export', '--filename',
                             'export.xml')
        with open(os.path.join(directory, 'export.xml')) as f:
            exported = f.read()
        self.assertIn('<location>Rack 2</location>', exported)
        self.assertNotIn('s3cret', exported)
        self.cli.take_action('system host delete', 'worker-0', 'worker-1')
        _columns, rows = self.cli.take_action('system host bulk-add',
                                              'export.xml')
        self.assertEqual([('worker-0', 'added', ''),
                          ('worker-1', 'added', '')], rows)
        self.assertEqual({'locn': 'Rack 2'}, self.sysinv.client.host_show(
            'worker-1')['location'])


class EntryPointTest(base.TestCase):

    def test_commands(self):
        _root, config = test_osc._setup_cfg()
        self.assertEqual(
            [('system_host_bulk-add', 'sysinv.osc.host_bulk:BulkAddHost'),
             ('system_host_bulk-export',
              'sysinv.osc.host_bulk:BulkExportHost')],
            [pair for pair in test_osc._entry_points(
                config, 'openstack.system.v1') if 'bulk' in pair[0]])
        self.assertIs(host_bulk.BulkAddHost,
                      test_osc.COMMANDS['system host bulk-add'])
        self.assertIs(host_bulk.BulkExportHost,
                      test_osc.COMMANDS['system host bulk-export'])
