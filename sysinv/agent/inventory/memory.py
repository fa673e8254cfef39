"""Memory and huge pages per NUMA node, in MiB.

Per node from /sys/devices/system/node/nodeN/{meminfo,hugepages}; a
kernel without NUMA has no node directory, and the host is then reported
as node 0 from /proc/meminfo and /sys/kernel/mm/hugepages.
"""

import logging
import re

from sysinv.agent.inventory import _sysfs

LOG = logging.getLogger(__name__)

NODE_DIR = 'sys/devices/system/node'
GLOBAL_HUGEPAGES_DIR = 'sys/kernel/mm/hugepages'
PAGE_SIZES_KIB = {'2m': 2048, '1g': 1048576}

# 'Node 0 MemTotal:  7039180 kB' or 'MemTotal:  24684084 kB'
_MEMINFO_LINE = re.compile(
    r'^(?:Node\s+\d+\s+)?([A-Za-z0-9_()]+):\s+(\d+)(?:\s+kB)?\s*$')


def collect(root='/'):
    """One dict per NUMA node, sorted by node."""
    node_dir = _sysfs.path(root, NODE_DIR)
    nodes = _sysfs.numbered_entries(node_dir, 'node')
    if not nodes:
        node = _node(0, _sysfs.path(root, 'proc/meminfo'),
                     _sysfs.path(root, GLOBAL_HUGEPAGES_DIR))
        return [node] if node else []
    found = []
    for number, name in nodes.items():
        node = _node(number, _sysfs.path(node_dir, name, 'meminfo'),
                     _sysfs.path(node_dir, name, 'hugepages'))
        if node:
            found.append(node)
    return found


def parse_meminfo(text):
    """{'MemTotal': kib, ...} from /proc/meminfo or a node's meminfo."""
    values = {}
    for line in (text or '').splitlines():
        match = _MEMINFO_LINE.match(line.strip())
        if match:
            values[match.group(1)] = int(match.group(2))
        elif line.strip():
            LOG.debug('Skipping meminfo line %r', line[:80])
    return values


def _node(number, meminfo_path, hugepages_dir):
    meminfo = parse_meminfo(_sysfs.read_text(meminfo_path))
    total_kib = meminfo.get('MemTotal')
    if total_kib is None:
        LOG.debug('No MemTotal in %s; node %d skipped', meminfo_path,
                  number)
        return None
    node = {
        'numa_node': number,
        'total_mib': total_kib // 1024,
        'available_mib': _available_kib(meminfo) // 1024,
    }
    for size, kib in PAGE_SIZES_KIB.items():
        pages_dir = _sysfs.path(hugepages_dir, 'hugepages-%dkB' % kib)
        total = _sysfs.read_int(_sysfs.path(pages_dir, 'nr_hugepages'))
        free = _sysfs.read_int(_sysfs.path(pages_dir, 'free_hugepages'))
        total = total or 0
        # A kernel never frees more pages than it has; a simulated host's
        # tree, whose nr_hugepages the agent rewrote, might say so.
        free = min(free or 0, total)
        node['hugepages_%s_total_mib' % size] = total * kib // 1024
        node['hugepages_%s_free_mib' % size] = free * kib // 1024
    return node


def _available_kib(meminfo):
    """MemAvailable, or its estimate from a node's meminfo (which has
    none): free memory plus page cache and reclaimable slab."""
    if 'MemAvailable' in meminfo:
        return meminfo['MemAvailable']
    estimate = (meminfo.get('MemFree', 0) + meminfo.get('FilePages', 0)
                - meminfo.get('Shmem', 0) + meminfo.get('SReclaimable', 0))
    return max(0, min(estimate, meminfo['MemTotal']))
