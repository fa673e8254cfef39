"""Lock, unlock and the other host actions; CPU and memory plans.

A whole sysinv and fm-manager in one process, with the real agent of a
simulated host applying its plan to its generated /sys tree.
"""

import os


from fm.tests.unit import base as fm_base
from stxcommon.tests import fixtures as stx_fixtures
from sysinv.tests.unit import base

WAIT = 20.0


class HostActionTest(base.SysinvTestCase):

    def sysinv_overrides(self):
        # The fm-manager the conductor's alarms go to.
        self.fm = self.useFixture(fm_base.FmFixture())
        return {('fm', 'fault_topic'): self.fm.conf.manager.fault_topic,
                ('fm', 'rpc_topic'): self.fm.conf.manager.rpc_topic,
                ('conductor', 'config_timeout'): 10}

    def start_agent(self, profile='worker', hostname='worker-0',
                    personality='worker', bm_type='ipmi'):
        """A provisioned host whose agent runs on a generated tree."""
        simulated = self.useFixture(base.SimulatedHost(self.sysinv, profile,
                                                       hostname))
        extra = {'bm_type': bm_type, 'bm_ip': '127.0.0.1'} \
            if bm_type != 'none' else {}
        host = self.add_host(hostname, simulated.facts['mgmt_mac'],
                             personality, **extra)
        simulated.start()
        self.wait_host(hostname, availability='online')
        return host, simulated.root

    def host(self, ident):
        return self.app.get('/v1/ihosts/%s' % ident).json

    def wait_host(self, ident, **states):
        def matches():
            host = self.host(ident)
            return host if all(host[k] == v for k, v in states.items()) \
                else None
        return stx_fixtures.wait_for(matches, timeout=WAIT)

    def action(self, ident, action, status=200):
        return self.app.patch_json(
            '/v1/ihosts/%s' % ident,
            [{'op': 'replace', 'path': '/action', 'value': action}],
            status=status)

    def alarms(self, alarm_id):
        rows = self.fm.app.get('/v1/alarms?q.field=alarm_id&q.op=eq'
                               '&q.value=%s' % alarm_id).json['ialarms']
        return sorted(a['entity_instance_id'] for a in rows)

    def wait_alarms(self, alarm_id, expected):
        stx_fixtures.wait_for(
            lambda: self.alarms(alarm_id) == expected,
            timeout=WAIT)

    def modify_cpus(self, ident, body, status=200):
        return self.app.put_json('/v1/ihosts/%s/state/host_cpus_modify'
                                 % ident, body, status=status)

    def memory(self, ident):
        return self.app.get('/v1/ihosts/%s/imemorys' % ident).json[
            'imemorys']

    def modify_memory(self, uuid, status=200, **values):
        return self.app.patch_json('/v1/imemorys/%s' % uuid, [
            {'op': 'replace', 'path': '/' + k, 'value': v}
            for k, v in values.items()], status=status)

    def give_platform_cores(self, ident):
        self.modify_cpus(ident, [{'function': 'platform',
                                  'sockets': [{'0': 1}]}])

    # Unlock and lock

    def test_unlock_applies_the_plan_and_lock_raises_200_001(self):
        self.start_agent()
        # Provisioned and locked as it comes online: out of service.
        self.wait_alarms('200.001', ['host=worker-0'])
        self.give_platform_cores('worker-0')
        node0 = self.memory('worker-0')[0]
        self.modify_memory(node0['uuid'], vm_hugepages_nr_2M_pending=1024,
                           vm_hugepages_nr_1G_pending=8)
        self.assertEqual('Config out-of-date',
                         self.host('worker-0')['config_status'])

        host = self.action('worker-0', 'unlock').json
        self.assertEqual('unlock', host['action'])
        self.assertEqual('Unlocking', host['task'])
        host = self.wait_host('worker-0', administrative='unlocked',
                              task='')
        self.assertEqual('enabled', host['operational'])
        self.assertEqual('available', host['availability'])
        self.assertEqual(host['config_target'], host['config_applied'])
        self.assertIsNone(host['config_status'])
        # The agent wrote the pages to its host, and reports them back.
        node0 = self.memory('worker-0')[0]
        self.assertEqual(1024, node0['vm_hugepages_nr_2M'])
        self.assertEqual(8, node0['vm_hugepages_nr_1G'])
        self.assertLessEqual(node0['vm_hugepages_avail_2M'], 1024)
        self.wait_alarms('200.001', [])
        self.assertIsNone(node0['vm_hugepages_nr_2M_pending'])

        self.action('worker-0', 'lock')
        host = self.wait_host('worker-0', administrative='locked', task='')
        self.assertEqual('disabled', host['operational'])
        self.assertEqual('online', host['availability'])
        self.wait_alarms('200.001', ['host=worker-0'])

        self.action('worker-0', 'unlock')
        self.wait_host('worker-0', administrative='unlocked', task='')
        self.wait_alarms('200.001', [])

    def test_plan_written_to_the_host_tree(self):
        _host, root = self.start_agent()
        self.give_platform_cores('worker-0')
        node1 = self.memory('worker-0')[1]
        self.modify_memory(node1['uuid'], vm_hugepages_nr_2M_pending=100)
        self.action('worker-0', 'unlock')
        self.wait_host('worker-0', administrative='unlocked', task='')
        path = os.path.join(root, 'sys/devices/system/node/node1/hugepages/'
                            'hugepages-2048kB/nr_hugepages')
        with open(path) as f:
            self.assertEqual('100', f.read().strip())

    def test_unlock_fails_when_the_agent_cannot_apply_the_plan(self):
        _host, root = self.start_agent()
        self.give_platform_cores('worker-0')
        node0 = self.memory('worker-0')[0]
        self.modify_memory(node0['uuid'], vm_hugepages_nr_2M_pending=10)
        # The kernel refuses the write, as one out of memory would.
        path = os.path.join(root, 'sys/devices/system/node/node0/hugepages/'
                            'hugepages-2048kB/nr_hugepages')
        os.chmod(path, 0o444)
        if os.access(path, os.W_OK):   # root ignores the mode
            os.remove(path)
            os.mkdir(path)
        self.action('worker-0', 'unlock')
        host = self.wait_host('worker-0', task='')
        self.assertEqual('locked', host['administrative'])
        self.assertEqual('failed', host['availability'])
        self.assertIn('Config failed', host['config_status'])
        self.wait_alarms('200.011', ['host=worker-0'])

    def test_unlock_refused_without_a_platform_core(self):
        self.start_agent()
        error = self.error(self.action('worker-0', 'unlock', status=400))
        self.assertIn('Cannot unlock host worker-0', error)
        self.assertIn('platform core', error)
        self.assertEqual('', self.host('worker-0')['task'])

    def test_unlock_refused_for_a_host_that_never_reported(self):
        self.add_host('worker-9', '08:00:27:00:00:99')
        error = self.error(self.action('worker-9', 'unlock', status=400))
        self.assertIn('offline', error)

    def test_unknown_or_combined_action_is_refused(self):
        self.start_agent()
        error = self.error(self.action('worker-0', 'explode', status=400))
        self.assertIn('action must be one of', error)
        response = self.app.patch_json('/v1/ihosts/worker-0', [
            {'op': 'replace', 'path': '/action', 'value': 'unlock'},
            {'op': 'replace', 'path': '/location', 'value': {}}],
            status=400)
        self.assertIn('on its own', self.error(response))

    def test_reader_cannot_lock(self):
        self.start_agent()
        self.app.patch_json(
            '/v1/ihosts/worker-0',
            [{'op': 'replace', 'path': '/action', 'value': 'unlock'}],
            headers=base.READER, status=403)

    def test_last_enabled_controller_needs_force_lock(self):
        self.start_agent('controller', 'controller-0', 'controller')
        self.give_platform_cores('controller-0')
        self.action('controller-0', 'unlock')
        host = self.wait_host('controller-0', administrative='unlocked',
                              task='')
        self.assertEqual('Controller-Active',
                         host['capabilities']['Personality'])
        error = self.error(self.action('controller-0', 'lock', status=400))
        self.assertIn('last enabled controller', error)
        self.assertIn('force-lock', error)
        self.action('controller-0', 'force-lock')
        self.wait_host('controller-0', administrative='locked', task='')

    def test_a_busy_host_refuses_a_second_action(self):
        self.start_agent()
        self.give_platform_cores('worker-0')
        # Slow the unlock down: the agent stops taking plans.
        self.dbapi.host_update(self.host('worker-0')['uuid'],
                               {'task': 'Unlocking', 'action': 'unlock'})
        response = self.action('worker-0', 'unlock', status=409)
        self.assertIn('busy with Unlocking', self.error(response))
        response = self.app.delete('/v1/ihosts/worker-0', status=409)
        self.assertIn('busy with Unlocking', self.error(response))

    def test_delete_needs_a_locked_host(self):
        self.start_agent()
        self.give_platform_cores('worker-0')
        self.action('worker-0', 'unlock')
        self.wait_host('worker-0', administrative='unlocked', task='')
        response = self.app.delete('/v1/ihosts/worker-0', status=400)
        self.assertIn('must be locked', self.error(response))

    def test_power_off_and_on(self):
        self.start_agent()
        self.action('worker-0', 'power-off')
        self.wait_host('worker-0', availability='power-off', task='')
        error = self.error(self.action('worker-0', 'power-off', status=400))
        self.assertIn('already powered off', error)
        self.action('worker-0', 'power-on')
        # Offline, then online again at its agent's next report.
        self.wait_host('worker-0', task='')

    def test_reset_needs_a_bmc(self):
        self.start_agent(bm_type='none')
        error = self.error(self.action('worker-0', 'reset', status=400))
        self.assertIn('board management controller', error)

    def test_reboot_needs_a_locked_host(self):
        self.start_agent()
        self.give_platform_cores('worker-0')
        self.action('worker-0', 'reboot')
        self.wait_host('worker-0', task='')
        self.action('worker-0', 'unlock')
        self.wait_host('worker-0', administrative='unlocked', task='')
        error = self.error(self.action('worker-0', 'reboot', status=400))
        self.assertIn('must be locked first', error)

    # CPU functions

    def test_cpu_functions_per_socket(self):
        self.start_agent()
        cpus = self.modify_cpus('worker-0', [
            {'function': 'platform', 'sockets': [{'0': 2}, {'1': 1}]},
            {'function': 'shared', 'sockets': [{'1': 1}]}]).json['icpus']
        by_function = {}
        for cpu in cpus:
            by_function.setdefault(cpu['allocated_function'], set()).add(
                (cpu['numa_node'], cpu['core']))
        # Cores, not threads: each core's SMT sibling follows it.
        self.assertEqual(3, len(by_function['Platform']))
        self.assertEqual(3 * 2, sum(
            1 for c in cpus if c['allocated_function'] == 'Platform'))
        self.assertEqual(1, len(by_function['Shared']))
        self.assertEqual(64 - 8, sum(
            1 for c in cpus if c['allocated_function'] == 'Application'))
        # A later request keeps the functions it leaves out.
        cpus = self.modify_cpus('worker-0', [
            {'function': 'platform', 'sockets': [{'0': 1}]}]).json['icpus']
        self.assertEqual(2 * 2, sum(
            1 for c in cpus if c['allocated_function'] == 'Platform'))
        self.assertEqual(2, sum(
            1 for c in cpus if c['allocated_function'] == 'Shared'))

    def test_cpu_requests_that_do_not_fit(self):
        self.start_agent()
        cases = [
            ([{'function': 'platform', 'sockets': [{'0': 17}]}],
             'socket 0 has 16 cores'),
            ([{'function': 'platform', 'sockets': [{'5': 1}]}],
             'no socket 5'),
            ([{'function': 'vswitch', 'sockets': [{'0': 1}]}],
             'function must be one of'),
            ([{'function': 'platform', 'sockets': [{'0': 0}]}],
             'at least one core must be a platform core'),
            ([{'function': 'platform', 'sockets': [{'0': 16}, {'1': 16}]}],
             'needs at least one application core'),
            ({'function': 'platform'}, 'must be a JSON list'),
            ([{'function': 'platform', 'sockets': [{'0': 'two'}]}],
             'must be integers'),
        ]
        for body, reason in cases:
            response = self.modify_cpus('worker-0', body, status=400)
            self.assertIn(reason, self.error(response), body)

    def test_cpu_and_memory_changes_need_a_locked_host(self):
        self.start_agent()
        self.give_platform_cores('worker-0')
        self.action('worker-0', 'unlock')
        self.wait_host('worker-0', administrative='unlocked', task='')
        response = self.modify_cpus('worker-0', [
            {'function': 'platform', 'sockets': [{'0': 2}]}], status=400)
        self.assertIn('must be locked', self.error(response))
        node0 = self.memory('worker-0')[0]
        response = self.modify_memory(node0['uuid'], status=400,
                                      platform_reserved_mib=8000)
        self.assertIn('must be locked', self.error(response))

    # Memory

    def test_memory_plan_must_fit_the_node(self):
        self.start_agent()
        node0 = self.memory('worker-0')[0]
        total = node0['memtotal_mib']
        response = self.modify_memory(node0['uuid'], status=400,
                                      vm_hugepages_nr_1G_pending=total)
        self.assertIn('NUMA node 0 has %d MiB' % total, self.error(response))
        response = self.modify_memory(node0['uuid'], status=400,
                                      vm_hugepages_nr_2M_pending=-1)
        self.assertIn('must not be negative', self.error(response))
        response = self.modify_memory(node0['uuid'], status=400,
                                      memtotal_mib=1)
        self.assertIn('memtotal_mib cannot be changed', self.error(response))
        response = self.modify_memory(node0['uuid'], status=400,
                                      platform_reserved_mib=0)
        self.assertIn('at least 1000 MiB', self.error(response))
        changed = self.modify_memory(node0['uuid'],
                                     platform_reserved_mib=6000).json
        self.assertEqual(6000, changed['platform_reserved_mib'])
        self.app.patch_json('/v1/imemorys/%s' % node0['uuid'], [
            {'op': 'replace', 'path': '/platform_reserved_mib',
             'value': 1}], headers=base.READER, status=403)

