"""Hardware discovery for sysinv-agent.

Everything is read under ``root`` ('/' on a real host, a generated tree
for a simulated one) following the Linux /sys and /proc layout. Missing
or malformed files are skipped, never raised: the agent reports what it
can see.
"""

from sysinv.agent.inventory import _sysfs
from sysinv.agent.inventory import cpu
from sysinv.agent.inventory import disk
from sysinv.agent.inventory import memory
from sysinv.agent.inventory import network
from sysinv.agent.inventory import pci

__all__ = ['collect']


def collect(root='/'):
    """The host's hardware as one dict of plain values."""
    cpus = cpu.collect(root)
    ports = network.collect(root)
    return {
        'hostname': _sysfs.read_text(
            _sysfs.path(root, 'proc/sys/kernel/hostname')),
        'mgmt_mac': next((port['mac'] for port in ports if port['mac']),
                         None),
        'cpus': cpus,
        'cpu_summary': cpu.summarize(cpus),
        'memory': memory.collect(root),
        'disks': disk.collect(root),
        'ports': ports,
        'pci_devices': pci.collect(root),
    }
