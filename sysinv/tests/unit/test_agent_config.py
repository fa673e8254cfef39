"""The agent applying a plan to generated host trees, odd ones included."""

import os

import fixtures

from hostsim import tree
from stxcommon.tests import base
from sysinv.agent import config
from sysinv.agent.inventory import memory


class ApplyTest(base.TestCase):

    def tree(self, profile):
        root = os.path.join(self.useFixture(fixtures.TempDir()).path, 'h')
        tree.generate(profile, root, 'host-0')
        return root

    def pages(self, root):
        return [(n['numa_node'], n['hugepages_2m_total_mib'] // 2,
                 n['hugepages_1g_total_mib'] // 1024)
                for n in memory.collect(root)]

    def test_per_numa_node(self):
        root = self.tree('worker')
        config.apply(root, {'target': 't1', 'memory': [
            {'numa_node': 0, 'hugepages_2m': 10, 'hugepages_1g': 2},
            {'numa_node': 1, 'hugepages_2m': 0, 'hugepages_1g': 16}]})
        self.assertEqual([(0, 10, 2), (1, 0, 16)], self.pages(root))

    def test_kernel_without_numa_uses_the_global_pages(self):
        root = self.tree('edge-tiny')
        config.apply(root, {'target': 't1', 'memory': [
            {'numa_node': 0, 'hugepages_2m': 64, 'hugepages_1g': 3}]})
        self.assertEqual([(0, 64, 3)], self.pages(root))
        error = self.assertRaises(config.ConfigError, config.apply, root, {
            'memory': [{'numa_node': 1, 'hugepages_2m': 1}]})
        self.assertIn('NUMA node 1 does not exist', str(error))

    def test_missing_page_size(self):
        root = self.tree('worker')
        size_dir = os.path.join(root, 'sys/devices/system/node/node0/'
                                'hugepages/hugepages-1048576kB')
        for name in os.listdir(size_dir):
            os.remove(os.path.join(size_dir, name))
        os.rmdir(size_dir)
        # Zero pages of a size the kernel lacks is no change at all.
        config.apply(root, {'memory': [
            {'numa_node': 0, 'hugepages_2m': 4, 'hugepages_1g': 0}]})
        error = self.assertRaises(config.ConfigError, config.apply, root, {
            'memory': [{'numa_node': 0, 'hugepages_1g': 1}]})
        self.assertIn('no 1G huge pages on NUMA node 0', str(error))

    def test_refused_write_fails_the_plan(self):
        root = self.tree('worker')
        nr_path = os.path.join(root, 'sys/devices/system/node/node0/'
                               'hugepages/hugepages-2048kB/nr_hugepages')
        # A count the kernel will not take (a directory: even root cannot
        # write it).
        os.remove(nr_path)
        os.mkdir(nr_path)
        error = self.assertRaises(config.ConfigError, config.apply, root, {
            'memory': [{'numa_node': 0, 'hugepages_2m': 8}]})
        self.assertIn('cannot set 2M huge pages on NUMA node 0', str(error))
