"""Logical CPUs and their topology.

Read from /sys/devices/system/cpu/cpuN/topology (socket, core, SMT
siblings), /sys/devices/system/node/nodeN/cpulist (NUMA placement) and
/proc/cpuinfo (model). A kernel built without NUMA has no node directory:
every CPU is then on node 0, as on a single-node host.
"""

import logging

from sysinv.agent.inventory import _sysfs

LOG = logging.getLogger(__name__)

CPU_DIR = 'sys/devices/system/cpu'
NODE_DIR = 'sys/devices/system/node'


def collect(root='/'):
    """One dict per online logical CPU, sorted by logical id."""
    cpu_dir = _sysfs.path(root, CPU_DIR)
    present = _sysfs.numbered_entries(cpu_dir, 'cpu')
    online = _sysfs.read_cpulist(_sysfs.path(cpu_dir, 'online'))
    if online is None:
        online = list(present)
    node_of = _numa_nodes(root)
    models = _cpuinfo(root)
    cpus = []
    for cpu_id in online:
        if cpu_id not in present:
            continue
        cpu = _logical_cpu(cpu_dir, present[cpu_id], cpu_id)
        if cpu is None:
            continue
        cpu['numa_node'] = node_of.get(cpu_id, 0 if not node_of else None)
        model = models.get(cpu_id, {})
        cpu['cpu_model'] = model.get('model name')
        cpu['cpu_family'] = model.get('cpu family')
        cpus.append(cpu)
    return cpus


def summarize(cpus):
    """Sockets, cores per socket, threads per core, hyperthreading."""
    sockets = {cpu['socket'] for cpu in cpus}
    cores = {(cpu['socket'], cpu['core']) for cpu in cpus}
    nodes = {cpu['numa_node'] for cpu in cpus
             if cpu['numa_node'] is not None}
    threads_per_core = max((cpu['thread'] for cpu in cpus), default=-1) + 1
    return {
        'cpus': len(cpus),
        'sockets': len(sockets),
        'cores_per_socket': len(cores) // len(sockets) if sockets else 0,
        'threads_per_core': threads_per_core,
        'hyperthreading': threads_per_core > 1,
        'numa_nodes': len(nodes),
        'cpu_model': cpus[0]['cpu_model'] if cpus else None,
    }


def _logical_cpu(cpu_dir, name, cpu_id):
    topology = _sysfs.path(cpu_dir, name, 'topology')
    socket = _sysfs.read_int(_sysfs.path(topology, 'physical_package_id'))
    core = _sysfs.read_int(_sysfs.path(topology, 'core_id'))
    siblings = _sysfs.read_cpulist(
        _sysfs.path(topology, 'thread_siblings_list'))
    if socket is None or core is None:
        # Offline CPUs have no topology directory.
        LOG.debug('No topology for %s; skipped', name)
        return None
    if not siblings or cpu_id not in siblings:
        siblings = [cpu_id]
    return {
        'cpu': cpu_id,
        'socket': max(socket, 0),  # -1 on some virtual machines
        'core': core,
        'thread': siblings.index(cpu_id),
    }


def _numa_nodes(root):
    """{cpu: node}; empty when the kernel has no NUMA directory."""
    node_dir = _sysfs.path(root, NODE_DIR)
    node_of = {}
    for node, name in _sysfs.numbered_entries(node_dir, 'node').items():
        cpulist = _sysfs.read_cpulist(_sysfs.path(node_dir, name, 'cpulist'))
        for cpu_id in cpulist or ():
            node_of[cpu_id] = node
    return node_of


def _cpuinfo(root):
    """{processor: {'model name': ..., 'cpu family': ...}} from cpuinfo."""
    text = _sysfs.read_text(_sysfs.path(root, 'proc/cpuinfo'))
    models = {}
    for block in (text or '').split('\n\n'):
        fields = {}
        for line in block.splitlines():
            key, sep, value = line.partition(':')
            if sep:
                fields[key.strip()] = value.strip()
        try:
            processor = int(fields['processor'])
        except (KeyError, ValueError):
            continue
        models[processor] = fields
    return models
