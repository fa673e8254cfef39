"""Generated trees read back by the real sysinv-agent inventory."""

import os
import shutil
import tempfile
import time

import fixtures
from testtools import content
import testscenarios
import yaml

from hostsim.bmc import sensors as sensormod
from hostsim import tree
from stxcommon.tests import base
from sysinv.agent import inventory

load_tests = testscenarios.load_tests_apply_scenarios


class TestRoundTrip(base.TestCase):
    """generate -> collect gives back every profile's hardware."""

    scenarios = [(name, {'profile_name': name})
                 for name in tree.profile_names()]

    # One tree per profile for the whole class: these tests only read.
    _trees = {}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._tmp = tempfile.mkdtemp(prefix='hostsim-')

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls._tmp, ignore_errors=True)
        cls._trees.clear()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.profile = tree.load_profile(self.profile_name)
        self.hostname = 'sim-' + self.profile_name
        if self.profile_name not in self._trees:
            root = os.path.join(self._tmp, self.profile_name)
            facts = tree.generate(self.profile, root, self.hostname)
            self._trees[self.profile_name] = (facts, inventory.collect(root))
        self.facts, self.found = self._trees[self.profile_name]

    def test_identity(self):
        self.assertEqual(self.hostname, self.found['hostname'])
        self.assertEqual(self.facts['mgmt_mac'], self.found['mgmt_mac'])
        self.assertTrue(self.found['mgmt_mac'].startswith('02:'))

    def test_cpus(self):
        cpu = self.profile['cpu']
        summary = self.found['cpu_summary']
        self.assertEqual({
            'cpus': cpu['sockets'] * cpu['cores_per_socket']
            * cpu['threads_per_core'],
            'sockets': cpu['sockets'],
            'cores_per_socket': cpu['cores_per_socket'],
            'threads_per_core': cpu['threads_per_core'],
            'hyperthreading': cpu['threads_per_core'] > 1,
            'numa_nodes': max(self.profile['numa_nodes'], 1),
            'cpu_model': cpu['model'],
        }, summary)
        self.assertEqual(self.facts['cpus'], len(self.found['cpus']))
        self.assertEqual({str(cpu['family'])},
                         {c['cpu_family'] for c in self.found['cpus']})
        # Each core's threads share socket and node, numbered 0, 1 ...
        cores = {}
        for c in self.found['cpus']:
            cores.setdefault((c['socket'], c['core']), []).append(c)
        for threads in cores.values():
            self.assertEqual(list(range(cpu['threads_per_core'])),
                             sorted(t['thread'] for t in threads))
            self.assertEqual(1, len({t['numa_node'] for t in threads}))

    def test_memory(self):
        memory = self.profile['memory']
        nodes = max(self.profile['numa_nodes'], 1)
        self.assertEqual(list(range(nodes)),
                         [n['numa_node'] for n in self.found['memory']])
        for node in self.found['memory']:
            self.assertEqual(memory['total_gib'] * 1024 // nodes,
                             node['total_mib'])
            self.assertLess(node['available_mib'], node['total_mib'])
            self.assertEqual(memory['hugepages_2m'] * 2,
                             node['hugepages_2m_total_mib'])
            self.assertEqual(memory['hugepages_2m'] * 2,
                             node['hugepages_2m_free_mib'])
            self.assertEqual(memory['hugepages_1g'] * 1024,
                             node['hugepages_1g_total_mib'])
            self.assertEqual(memory['hugepages_1g'] * 1024,
                             node['hugepages_1g_free_mib'])

    def test_disks(self):
        disks = self.found['disks']
        self.assertEqual(len(self.profile['disks']), len(disks))
        self.assertEqual(
            sorted((d['type'], d['size_gib'] * 1024)
                   for d in self.profile['disks']),
            sorted((d['device_type'], d['size_mib']) for d in disks))
        expected = {d['name']: d for d in self.facts['disks']}
        for found in disks:
            fact = expected[found['name']]
            self.assertEqual(fact['serial_id'], found['serial_id'])
            self.assertEqual(fact['model_num'][:16], found['model_num'][:16])
            self.assertEqual('/dev/' + found['name'], found['device_node'])
            self.assertTrue(found['device_path'].startswith(
                '/dev/disk/by-path/pci-'))
        for found in disks:
            if found['device_type'] == 'NVME':
                self.assertTrue(found['name'].startswith('nvme'))

    def test_ports(self):
        ports = self.found['ports']
        self.assertEqual(len(self.profile['nics']), len(ports))
        self.assertEqual(self.facts['ports'], [
            {k: p[k] for k in ('name', 'mac', 'mtu', 'pci_address',
                               'sriov_totalvfs', 'sriov_numvfs')}
            for p in ports])
        self.assertEqual(len(ports), len({p['mac'] for p in ports}))
        self.assertEqual(
            sorted((n['driver'], n['speed'], n['mtu'], n['bus'] == 'pci',
                    n['sriov_totalvfs'] or None)
                   for n in self.profile['nics']),
            sorted((p['driver'], p['speed'], p['mtu'],
                    p['pci_address'] is not None, p['sriov_totalvfs'])
                   for p in ports))
        for port in ports:
            if self.profile['numa_nodes'] and port['pci_address']:
                self.assertIn(port['numa_node'],
                              range(self.profile['numa_nodes']))
            else:
                self.assertIsNone(port['numa_node'])

    def test_pci_devices(self):
        kinds = {}
        for device in self.found['pci_devices']:
            kinds.setdefault(device['kind'], []).append(device)
        for kind in ('gpu', 'crypto'):
            expected = sorted(
                (d['vendor_id'], d['device_id'], d['driver'])
                for d in self.profile['pci_devices'] if d['kind'] == kind)
            self.assertEqual(expected, sorted(
                (d['vendor_id'], d['device_id'], d['driver'])
                for d in kinds.get(kind, [])), kind)
        self.assertEqual(
            sum(1 for n in self.profile['nics'] if n['bus'] == 'pci'),
            len(kinds.get('network', [])))


class TestGenerate(base.TestCase):
    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def root(self, name):
        return os.path.join(self.tmp, name)

    def test_deterministic_per_hostname(self):
        first = tree.generate('worker', self.root('a'), 'worker-0')
        again = tree.generate('worker', self.root('b'), 'worker-0')
        other = tree.generate('worker', self.root('c'), 'worker-1')
        first.pop('root'), again.pop('root'), other.pop('root')
        self.assertEqual(first, again)
        self.assertNotEqual(first['mgmt_mac'], other['mgmt_mac'])
        self.assertNotEqual(first['disks'][0]['serial_id'],
                            other['disks'][0]['serial_id'])
        for port in first['ports']:
            # Locally administered, unicast.
            self.assertEqual(0x02, int(port['mac'][:2], 16) & 0x03)

    def test_macs_override(self):
        facts = tree.generate('controller', self.root('a'), 'c-0',
                              macs=['02:00:00:00:00:01'])
        found = inventory.collect(self.root('a'))
        self.assertEqual('02:00:00:00:00:01', facts['mgmt_mac'])
        self.assertEqual('02:00:00:00:00:01', found['mgmt_mac'])
        facts = tree.generate('edge-tiny', self.root('b'), 'e-0',
                              macs={'eth0': '02:00:00:00:00:02'})
        self.assertEqual('02:00:00:00:00:02', facts['mgmt_mac'])

    def test_regenerates_own_tree_only(self):
        root = self.root('a')
        tree.generate('worker-large', root, 'big-0')
        facts = tree.generate('edge-tiny', root, 'tiny-0')
        found = inventory.collect(root)
        self.assertEqual(4, len(found['cpus']))
        self.assertEqual(facts['mgmt_mac'], found['mgmt_mac'])
        foreign = self.root('foreign')
        os.makedirs(os.path.join(foreign, 'sys'))
        self.assertRaises(FileExistsError, tree.generate, 'worker',
                          foreign, 'x')
        self.assertRaises(ValueError, tree.generate, 'worker', '/', 'x')

    def test_only_files_dirs_and_links_inside_root(self):
        root = self.root('a')
        tree.generate('worker', root, 'w-0')
        real_root = os.path.realpath(root)
        for dirpath, dirnames, filenames in os.walk(root):
            for name in dirnames + filenames:
                full = os.path.join(dirpath, name)
                if os.path.islink(full):
                    target = os.path.normpath(os.path.join(
                        dirpath, os.readlink(full)))
                    self.assertFalse(os.path.isabs(os.readlink(full)))
                    self.assertTrue(target.startswith(real_root + os.sep),
                                    full)
                else:
                    self.assertTrue(os.path.isdir(full)
                                    or os.path.isfile(full), full)

    def test_collect_large_tree(self):
        # Timed for the record only; speed is measured in benchmarks.
        root = self.root('large')
        tree.generate('worker-large', root, 'large-0')
        started = time.monotonic()
        found = inventory.collect(root)
        self.addDetail('collect_seconds', content.text_content(
            '%.4f' % (time.monotonic() - started)))
        self.assertEqual(256, len(found['cpus']))


class TestProfileValidation(base.TestCase):
    def setUp(self):
        super().setUp()
        with open(os.path.join(tree.PROFILE_DIR, 'worker.yaml')) as f:
            self.good = yaml.safe_load(f)

    def assertRefused(self, fragment, data):
        error = self.assertRaises(tree.ProfileError, tree.validate_profile,
                                  data, 'test.yaml')
        self.assertIn(fragment, str(error))
        self.assertTrue(str(error).startswith('test.yaml: '), str(error))

    def test_shipped_profiles_load(self):
        self.assertEqual(['controller', 'edge-tiny', 'worker',
                          'worker-large'], tree.profile_names())
        for name in tree.profile_names():
            self.assertEqual(name, tree.load_profile(name)['name'])

    def test_errors_name_the_field(self):
        self.assertRefused('(top): must be a mapping', [1, 2])
        data = dict(self.good, cpu=dict(self.good['cpu'], sockets='two'))
        self.assertRefused("cpu.sockets: must be an integer, got 'two'",
                           data)
        data = dict(self.good, colour='blue')
        self.assertRefused('unknown field(s) colour', data)
        data = dict(self.good, disks=[{'type': 'TAPE', 'size_gib': 1}])
        self.assertRefused("disks[0].type: must be one of HDD, SSD, NVME",
                           data)
        data = dict(self.good, nics=[{'vendor_id': 8086}])
        self.assertRefused('nics[0].vendor_id: must be a non-empty string',
                           data)
        data = dict(self.good, nics=[{'sriov_totalvfs': 4,
                                      'sriov_numvfs': 8}])
        self.assertRefused('nics[0].sriov_numvfs: must be between 0 and 4',
                           data)
        data = dict(self.good, memory={'total_gib': 4, 'hugepages_1g': 4})
        self.assertRefused('huge pages take more than', data)
        data = dict(self.good, memory={})
        self.assertRefused('memory: missing total_gib', data)

    def test_bad_file(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'bad.yaml')
        with open(path, 'w') as f:
            f.write('name: [unclosed\n')
        error = self.assertRaises(tree.ProfileError, tree.load_profile,
                                  path)
        self.assertIn('bad.yaml: not valid YAML', str(error))
        self.assertRaises(tree.ProfileError, tree.load_profile, 'no-such')


class TestProfileSensors(base.TestCase):
    """The BMC sensors a profile lists, or derives from its sockets."""

    def setUp(self):
        super().setUp()
        with open(os.path.join(tree.PROFILE_DIR, 'worker.yaml')) as f:
            self.good = yaml.safe_load(f)

    def with_sensors(self, *sensors):
        return dict(self.good, sensors=list(sensors))

    def assertRefused(self, fragment, data):
        error = self.assertRaises(tree.ProfileError, tree.validate_profile,
                                  data, 'test.yaml')
        self.assertIn(fragment, str(error))

    def test_shipped_profiles_have_realistic_sensors(self):
        for name in tree.profile_names():
            profile = tree.load_profile(name)
            sensors = {s['name']: s for s in profile['sensors']}
            for socket in range(profile['cpu']['sockets']):
                self.assertEqual('temperature',
                                 sensors['CPU%d Temp' % socket]['type'])
            self.assertEqual('temperature', sensors['Inlet Temp']['type'])
            self.assertIn('fan', {s['type'] for s in sensors.values()}, name)
            for rail, volts in (('12V', 12), ('5V', 5), ('3.3V', 3.3)):
                self.assertAlmostEqual(volts, sensors[rail]['value'],
                                       delta=0.1)
            for sensor in sensors.values():
                self.assertTrue(sensor['thresholds'], sensor['name'])
            # and the simulated BMC takes them as they are
            sensormod.SensorSet(profile['sensors'])

    def test_default_sensors_follow_the_sockets(self):
        data = dict(self.good)
        del data['sensors']
        profile = tree.validate_profile(data)
        self.assertEqual(
            ['CPU0 Temp', 'CPU1 Temp', 'Inlet Temp', 'Fan 1', 'Fan 2',
             'Fan 3', 'Fan 4', '12V', '5V', '3.3V'],
            [s['name'] for s in profile['sensors']])
        small = {'name': 'small', 'memory': {'total_gib': 8},
                 'cpu': {'sockets': 1, 'cores_per_socket': 4,
                         'threads_per_core': 1}}
        names = [s['name'] for s in tree.validate_profile(small)['sensors']]
        self.assertEqual(['CPU0 Temp', 'Inlet Temp', 'Fan 1', 'Fan 2', '12V',
                          '5V', '3.3V'], names)
        small['cpu']['sockets'] = 16    # the most a profile may have
        sensormod.SensorSet(tree.validate_profile(small)['sensors'])

    def test_empty_list_means_no_sensors(self):
        self.assertEqual([], tree.validate_profile(
            self.with_sensors())['sensors'])

    def test_thresholds_take_ipmitool_names(self):
        profile = tree.validate_profile(self.with_sensors(
            {'name': 'Fan A', 'type': 'fan', 'value': 3000,
             'thresholds': {'lcr': 500, 'lower_non_critical': 800}},
            {'name': 'PSU Temp', 'type': 'temperature', 'value': 40.5}))
        self.assertEqual([
            {'name': 'Fan A', 'type': 'fan', 'value': 3000,
             'thresholds': {'lower_critical': 500,
                            'lower_non_critical': 800}},
            {'name': 'PSU Temp', 'type': 'temperature', 'value': 40.5,
             'thresholds': {}}], profile['sensors'])

    def test_errors_name_the_field(self):
        fan = {'name': 'Fan 1', 'type': 'fan', 'value': 3000}
        self.assertRefused('sensors: must be a list',
                           dict(self.good, sensors={'Fan 1': 3000}))
        self.assertRefused('sensors[0]: missing value',
                           self.with_sensors({'name': 'X', 'type': 'fan'}))
        self.assertRefused('sensors[0]: unknown field(s) unit',
                           self.with_sensors(dict(fan, unit='RPM')))
        self.assertRefused(
            "sensors[0].type: must be one of temperature, voltage, fan, "
            "got 'current'", self.with_sensors(dict(fan, type='current')))
        self.assertRefused('sensors[0].name: must be 1-16 Latin-1',
                           self.with_sensors(dict(fan, name='F' * 17)))
        self.assertRefused("sensors[1].name: duplicate sensor name 'Fan 1'",
                           self.with_sensors(fan, fan))
        self.assertRefused('sensors[0].value: must be a number',
                           self.with_sensors(dict(fan, value='fast')))
        self.assertRefused('sensors[0].value: must be between 0 and 12750, '
                           'got 20000',
                           self.with_sensors(dict(fan, value=20000)))
        self.assertRefused('sensors[0].value: must be between 0 and 20.4',
                           self.with_sensors({'name': '48V',
                                              'type': 'voltage',
                                              'value': 48}))
        self.assertRefused(
            'sensors[0].thresholds: unknown field(s) critical',
            self.with_sensors(dict(fan, thresholds={'critical': 1})))
        self.assertRefused(
            'sensors[0].thresholds: lower_critical given twice',
            self.with_sensors(dict(fan, thresholds={
                'lcr': 500, 'lower_critical': 400})))
        self.assertRefused(
            'sensors[0].thresholds.unc: must be between',
            self.with_sensors(dict(fan, thresholds={'unc': 99999})))
        self.assertRefused(
            'sensors[0].thresholds: must increase from',
            self.with_sensors(dict(fan, thresholds={'lcr': 900,
                                                    'lnc': 500})))
        self.assertRefused(
            'sensors[0].thresholds: must increase from',
            self.with_sensors(dict(fan, thresholds={'lnc': 900,
                                                    'unc': 500})))
