"""collect('/') on the machine running the tests, against other sources.

The tools (lscpu, ip) are optional: a comparison is skipped, saying so,
only when its tool is not installed.
"""

import json
import os
import re
import shutil
import subprocess

from sysinv.agent import inventory
from stxcommon.tests import base


def _run(*argv):
    return subprocess.run(argv, check=True, capture_output=True, text=True,
                          timeout=30).stdout


def _kib(text, key):
    match = re.search(r'^%s:\s+(\d+) kB' % key, text, re.M)
    return int(match.group(1)) if match else None


class TestRealHost(base.TestCase):
    def setUp(self):
        super().setUp()
        if not os.path.isdir('/sys/devices/system/cpu'):
            self.skipTest('no /sys on this machine')
        self.found = inventory.collect('/')

    def test_cpu_count(self):
        self.assertEqual(os.cpu_count(), len(self.found['cpus']))
        self.assertEqual(len(self.found['cpus']),
                         self.found['cpu_summary']['cpus'])

    def test_topology_matches_lscpu(self):
        if not shutil.which('lscpu'):
            self.skipTest('lscpu is not installed: topology not compared')
        rows = {}
        for line in _run('lscpu', '-p=CPU,CORE,SOCKET,NODE').splitlines():
            if line.startswith('#'):
                continue
            cpu, core, socket, node = line.split(',')
            rows[int(cpu)] = (core, int(socket), node)
        found = {c['cpu']: c for c in self.found['cpus']}
        self.assertEqual(sorted(rows), sorted(found))
        for cpu, (core, socket, node) in rows.items():
            self.assertEqual(socket, found[cpu]['socket'], cpu)
            if node:  # empty without NUMA support
                self.assertEqual(int(node), found[cpu]['numa_node'], cpu)
        # lscpu renumbers cores, so compare groupings, not ids.
        lscpu_cores = {(s, c) for c, s, _ in rows.values()}
        our_cores = {(c['socket'], c['core']) for c in found.values()}
        self.assertEqual(len(lscpu_cores), len(our_cores))
        summary = self.found['cpu_summary']
        self.assertEqual(len({s for _, s, _ in rows.values()}),
                         summary['sockets'])

    def test_memory_matches_zoneinfo(self):
        # A node's MemTotal is the managed pages of its zones.
        with open('/proc/zoneinfo') as f:
            zoneinfo = f.read()
        managed = {}
        node = None
        for line in zoneinfo.splitlines():
            match = re.match(r'Node (\d+), zone', line)
            if match:
                node = int(match.group(1))
            match = re.match(r'\s+managed\s+(\d+)', line)
            if match:
                managed[node] = managed.get(node, 0) + int(match.group(1))
        page_mib = os.sysconf('SC_PAGE_SIZE') / (1024 * 1024)
        for node in self.found['memory']:
            expected = managed[node['numa_node']] * page_mib
            # The counters move between the two reads.
            self.assertLess(abs(node['total_mib'] - expected),
                            expected * 0.02 + 16, node)

    def test_memory_total_matches_proc_meminfo(self):
        with open('/proc/meminfo') as f:
            meminfo = f.read()
        expected = _kib(meminfo, 'MemTotal') / 1024
        total = sum(n['total_mib'] for n in self.found['memory'])
        if abs(total - expected) > expected * 0.03:
            present, managed = self._zone_pages()
            if present > managed * 1.1:
                self.skipTest(
                    'NUMA nodes report %d MiB but /proc/meminfo %d MiB: '
                    'the kernel has initialised only %d of %d present '
                    'pages (deferred struct page init), and node meminfo '
                    'counts initialised pages only'
                    % (total, expected, managed, present))
        self.assertLess(abs(total - expected), expected * 0.03)
        for node in self.found['memory']:
            self.assertLessEqual(node['available_mib'], node['total_mib'])

    def _zone_pages(self):
        with open('/proc/zoneinfo') as f:
            text = f.read()
        present = sum(int(n) for n in re.findall(r'^\s+present\s+(\d+)',
                                                 text, re.M))
        managed = sum(int(n) for n in re.findall(r'^\s+managed\s+(\d+)',
                                                 text, re.M))
        return present, managed

    def test_ports_match_ip_link(self):
        if not shutil.which('ip'):
            self.skipTest('ip (iproute2) is not installed: MACs not '
                          'compared')
        links = {link['ifname']: link for link in json.loads(
            _run('ip', '-j', 'link', 'show'))}
        for port in self.found['ports']:
            self.assertIn(port['name'], links)
            self.assertEqual(links[port['name']].get('address'),
                             port['mac'])
            self.assertEqual(links[port['name']].get('mtu'), port['mtu'])
        physical = {name for name in links
                    if os.path.exists('/sys/class/net/%s/device' % name)}
        self.assertEqual(physical, {p['name'] for p in self.found['ports']})

    def test_hostname(self):
        self.assertEqual(os.uname().nodename, self.found['hostname'])

    def test_disks_have_sizes(self):
        for found in self.found['disks']:
            with open('/sys/block/%s/size' % found['name']) as f:
                self.assertEqual(int(f.read()) * 512 // (1024 * 1024),
                                 found['size_mib'])
            self.assertFalse(found['name'].startswith(('loop', 'zram')))
