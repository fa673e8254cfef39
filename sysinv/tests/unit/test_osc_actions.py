"""``openstack system host lock|unlock|...`` and ``cpu|memory modify``
against the real inventory API, with a simulated host's agent."""

from osc_lib import exceptions

from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures
from sysinv.tests.unit import base as sysinv_base
from sysinv.tests.unit import test_osc
from sysinv.tests.unit import test_rest_client as fakes

WAIT = 20.0


class HostActionCommandTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.sysinv = self.useFixture(fakes.RealApiFixture())
        self.cli = self.useFixture(test_osc.CommandFixture(self.sysinv.url))
        self.simulated = simulated = self.useFixture(
            sysinv_base.SimulatedHost(self.sysinv))
        self.sysinv.client.host_add(
            hostname='worker-0', personality='worker',
            mgmt_mac=simulated.facts['mgmt_mac'], bm_type='ipmi',
            bm_ip='127.0.0.1')
        simulated.start()
        self.wait_host(availability='online')

    def host(self):
        return self.sysinv.client.host_show('worker-0')

    def wait_host(self, **states):
        return stx_fixtures.wait_for(
            lambda: all(self.host()[k] == v for k, v in states.items()),
            timeout=WAIT)

    def shown(self, result):
        columns, values = result
        return dict(zip(columns, values))

    def test_plan_unlock_and_lock(self):
        headers, rows = self.cli.take_action(
            'system host cpu modify', 'worker-0', '--function', 'platform',
            '--processor', '0=1', '--processor', '1=1')
        self.assertIn('Assigned Function', headers)
        functions = [row[headers.index('Assigned Function')] for row in rows]
        self.assertEqual(4, functions.count('Platform'))
        memory = self.shown(self.cli.take_action(
            'system host memory modify', 'worker-0', '1', '--hugepages-2m',
            '512', '--platform-reserved-mib', '3000'))
        self.assertEqual(512, memory['vm_hugepages_nr_2M_pending'])
        self.assertEqual(3000, memory['platform_reserved_mib'])

        host = self.shown(self.cli.take_action('system host unlock',
                                               'worker-0'))
        self.assertEqual('Unlocking', host['task'])
        self.wait_host(administrative='unlocked', task='')
        nodes = self.sysinv.client.host_memory_list('worker-0')
        self.assertEqual(512, nodes[1]['vm_hugepages_nr_2M'])

        self.cli.take_action('system host lock', 'worker-0')
        self.wait_host(administrative='locked', task='')

    def test_refusals_are_command_errors(self):
        error = self.assertRaises(
            Exception, self.cli.take_action, 'system host unlock',
            'worker-0')
        self.assertIn('platform core', str(error))
        error = self.assertRaises(
            exceptions.CommandError, self.cli.take_action,
            'system host cpu modify', 'worker-0', '--function', 'platform',
            '--processor', 'zero')
        self.assertIn('<socket>=<cores>', str(error))
        error = self.assertRaises(
            exceptions.CommandError, self.cli.take_action,
            'system host memory modify', 'worker-0', '0')
        self.assertIn('nothing to change', str(error))
        error = self.assertRaises(
            exceptions.CommandError, self.cli.take_action,
            'system host memory modify', 'worker-0', '7',
            '--hugepages-1g', '1')
        self.assertIn('no processor 7', str(error))

    def test_lock_force_and_power(self):
        self.cli.take_action('system host power-off', 'worker-0')
        self.wait_host(availability='power-off', task='')
        self.cli.take_action('system host power-on', 'worker-0')
        self.wait_host(task='')
        command, parsed = self.cli.parse('system host lock',
                                         ['--force', 'worker-0'])
        self.assertEqual('force-lock', command._action(parsed))

    def test_interfaces(self):
        headers, rows = self.cli.take_action('system host interface list',
                                             'worker-0')
        names = [row[headers.index('Name')] for row in rows]
        self.assertEqual(
            sorted(p['name'] for p in self.simulated.facts['ports']),
            sorted(names))
        shown = self.shown(self.cli.take_action(
            'system host interface modify', 'worker-0', names[0],
            '--ifname', 'data0', '--ifclass', 'data', '--imtu', '9000'))
        self.assertEqual(('data0', 'data', 9000),
                         (shown['ifname'], shown['ifclass'], shown['imtu']))
        again = self.shown(self.cli.take_action(
            'system host interface show', shown['uuid']))
        self.assertEqual('data0', again['ifname'])
        error = self.assertRaises(
            exceptions.CommandError, self.cli.take_action,
            'system host interface modify', 'worker-0', 'nope', '--imtu',
            '1500')
        self.assertIn('no interface nope', str(error))

    def test_device_modify(self):
        headers, rows = self.cli.take_action('system host device list',
                                             'worker-0')
        address = rows[0][headers.index('Address')]
        shown = self.shown(self.cli.take_action(
            'system host device modify', 'worker-0', address, '--disable',
            '--name', 'spare'))
        self.assertEqual((False, 'spare'), (shown['enabled'], shown['name']))
        shown = self.shown(self.cli.take_action(
            'system host device modify', 'worker-0', 'spare', '--enable'))
        self.assertTrue(shown['enabled'])

    def test_show_by_host_and_name(self):
        cpu = self.shown(self.cli.take_action('system host cpu show',
                                              'worker-0', '3'))
        self.assertEqual(3, cpu['cpu'])
        node = self.shown(self.cli.take_action('system host memory show',
                                               'worker-0', '1'))
        self.assertEqual(1, node['numa_node'])
        port = self.simulated.facts['ports'][0]
        shown = self.shown(self.cli.take_action('system host port show',
                                                'worker-0', port['name']))
        self.assertEqual(port['mac'], shown['mac'])
        by_uuid = self.shown(self.cli.take_action('system host port show',
                                                  shown['uuid']))
        self.assertEqual(shown, by_uuid)
        shown = self.shown(self.cli.take_action(
            'system host interface show', 'worker-0', port['name']))
        self.assertEqual('ethernet', shown['iftype'])
        error = self.assertRaises(
            exceptions.CommandError, self.cli.take_action,
            'system host cpu show', 'worker-0', '999')
        self.assertIn('host worker-0 has no logical CPU 999', str(error))
        self.assertRaises(exceptions.CommandError, self.cli.take_action,
                          'system host cpu show', 'worker-0', '1', '2')

    def test_bm_password_is_written_not_shown(self):
        shown = self.shown(self.cli.take_action(
            'system host update', 'worker-0', '--bm-password', 'Pa55'))
        self.assertNotIn('Pa55', str(shown))
        self.assertEqual('Pa55', self.sysinv.conductor_api.get_bm_credentials(
            self.sysinv.context, shown['uuid'])['bm_password'])
