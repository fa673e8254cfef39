"""Apply the conductor's plan to this host: huge pages per NUMA node.

The agent writes each node's ``nr_hugepages`` under its root, as the
kernel takes it, and reads it back: a kernel that could not find the
memory allocates fewer pages, and the plan then failed.
"""

import logging
import os

from sysinv.agent.inventory import _sysfs
from sysinv.agent.inventory import memory

LOG = logging.getLogger(__name__)


class ConfigError(RuntimeError):
    """The plan could not be applied; the message says why."""


def _pages_dir(root, numa_node, kib):
    node_dir = _sysfs.path(root, memory.NODE_DIR, 'node%d' % numa_node)
    if os.path.isdir(node_dir):
        base = _sysfs.path(node_dir, 'hugepages')
    elif numa_node == 0:
        base = _sysfs.path(root, memory.GLOBAL_HUGEPAGES_DIR)
    else:
        raise ConfigError('NUMA node %d does not exist' % numa_node)
    return _sysfs.path(base, 'hugepages-%dkB' % kib)


def _set_pages(root, numa_node, size, kib, count):
    pages_dir = _pages_dir(root, numa_node, kib)
    nr_path = _sysfs.path(pages_dir, 'nr_hugepages')
    if not os.path.exists(nr_path):
        if count:
            raise ConfigError('the kernel has no %s huge pages on NUMA '
                              'node %d' % (size.upper(), numa_node))
        return
    if _sysfs.read_int(nr_path) == count:
        return
    try:
        with open(nr_path, 'w') as f:
            f.write('%d\n' % count)
    except OSError as exc:
        raise ConfigError('cannot set %s huge pages on NUMA node %d: %s'
                          % (size.upper(), numa_node, exc.strerror))
    got = _sysfs.read_int(nr_path)
    if got != count:
        raise ConfigError('NUMA node %d has %s of the %d %s huge pages '
                          'asked for' % (numa_node, got, count,
                                         size.upper()))


def apply(root, plan):
    """Apply ``plan`` (from the conductor); raises ConfigError."""
    for node in plan.get('memory') or ():
        for size, kib in memory.PAGE_SIZES_KIB.items():
            count = node.get('hugepages_%s' % size)
            if count is not None:
                _set_pages(root, int(node['numa_node']), size, kib,
                           int(count))
    LOG.info('Applied configuration %s', plan.get('target'))
