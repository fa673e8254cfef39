"""Plans of a host's CPU functions and memory, checked against its hardware.

Pure functions over inventory rows: the API uses them to refuse a change
that cannot fit, and again before an unlock applies the plan.
"""

import collections

from sysinv import constants

# Memory a NUMA node keeps for the platform unless the operator says
# otherwise: more on node 0, which runs the platform's services.
DEFAULT_PLATFORM_RESERVED_MIB = (4096, 2048)   # node 0, other nodes
# The least node 0 may keep: the kernel and platform services run there.
MIN_PLATFORM_RESERVED_MIB = 1000


class PlanError(ValueError):
    """The plan does not fit the hardware; the message says why."""


def default_platform_reserved_mib(numa_node, memtotal_mib):
    wanted = DEFAULT_PLATFORM_RESERVED_MIB[0 if numa_node == 0 else 1]
    return min(wanted, (memtotal_mib or 0) // 2)


def _cores_by_socket(cpus):
    """{socket: {core: [cpu rows]}}; the socket is the NUMA node, as in
    StarlingX's 'processor'."""
    sockets = collections.defaultdict(lambda: collections.defaultdict(list))
    for cpu in cpus:
        sockets[cpu.numa_node or 0][cpu.core if cpu.core is not None
                                    else cpu.cpu].append(cpu)
    return sockets


def _core_function(rows):
    return rows[0].allocated_function or constants.APPLICATION_FUNCTION


def _parse_requests(requests, sockets):
    """{(socket, function): cores} from host_cpus_modify's body."""
    if not isinstance(requests, list) or not requests:
        raise PlanError('the body must be a list such as [{"function": '
                        '"platform", "sockets": [{"0": 2}]}]')
    wanted = {}
    for request in requests:
        if not isinstance(request, dict):
            raise PlanError('every entry must be an object with function '
                            'and sockets')
        name = request.get('function')
        function = constants.CPU_FUNCTION_NAMES.get(
            str(name).lower() if name is not None else None)
        if function is None or function == constants.APPLICATION_FUNCTION:
            raise PlanError(
                'function must be one of: %s (application cores are those '
                'left over); not %r' % (', '.join(
                    n for n, f in constants.CPU_FUNCTION_NAMES.items()
                    if f != constants.APPLICATION_FUNCTION), name))
        entries = request.get('sockets')
        if not isinstance(entries, list) or not entries:
            raise PlanError('sockets must be a list such as [{"0": 2}]')
        for entry in entries:
            if not isinstance(entry, dict):
                raise PlanError('every socket entry must be an object such '
                                'as {"0": 2}')
            for socket, cores in entry.items():
                try:
                    socket, cores = int(socket), int(cores)
                except (TypeError, ValueError):
                    raise PlanError('socket %r: the socket and its core '
                                    'count must be integers' % (socket,))
                if socket not in sockets:
                    raise PlanError('the host has no socket %d (it has %s)'
                                    % (socket, ', '.join(
                                        str(s) for s in sorted(sockets))))
                if cores < 0:
                    raise PlanError('socket %d: %d %s cores is negative'
                                    % (socket, cores, function))
                wanted[(socket, function)] = cores
    return wanted


def assign_cpu_functions(cpus, requests, personality):
    """{cpu number: function} for a host_cpus_modify request.

    Counts are physical cores per socket; every SMT thread of a core gets
    the core's function. Functions the request leaves out keep their
    current counts; the lowest-numbered cores go to the platform first.
    """
    sockets = _cores_by_socket(cpus)
    if not sockets:
        raise PlanError('the host has reported no CPUs yet')
    wanted = _parse_requests(requests, sockets)
    order = [f for f in constants.CPU_FUNCTION_NAMES.values()
             if f != constants.APPLICATION_FUNCTION]
    assignment = {}
    for socket, cores in sorted(sockets.items()):
        current = collections.Counter(_core_function(rows)
                                      for rows in cores.values())
        counts = {f: wanted.get((socket, f), current.get(f, 0))
                  for f in order}
        if sum(counts.values()) > len(cores):
            raise PlanError(
                'socket %d has %d cores; %s cores do not fit' % (
                    socket, len(cores), ' + '.join(
                        '%d %s' % (n, f.lower())
                        for f, n in counts.items() if n)))
        functions = [f for f in order for _ in range(counts[f])]
        for index, core in enumerate(sorted(cores)):
            function = (functions[index] if index < len(functions)
                        else constants.APPLICATION_FUNCTION)
            for cpu in cores[core]:
                assignment[cpu.cpu] = function
    check_cpu_functions(assignment.values(), personality)
    return assignment


def check_cpu_functions(functions, personality):
    functions = list(functions)
    if constants.PLATFORM_FUNCTION not in functions:
        raise PlanError('at least one core must be a platform core')
    if (personality == constants.WORKER and
            constants.APPLICATION_FUNCTION not in functions):
        raise PlanError('a worker needs at least one application core')


_MEMORY_FIELDS = ('platform_reserved_mib', 'vm_hugepages_nr_2M_pending',
                  'vm_hugepages_nr_1G_pending')


def hugepages_target(memory, pending_2m=None, pending_1g=None):
    """(2M pages, 1G pages) the node is to have: pending (the node's, or
    the given planned values), else current."""
    if pending_2m is None:
        pending_2m = memory.vm_hugepages_nr_2M_pending
    if pending_1g is None:
        pending_1g = memory.vm_hugepages_nr_1G_pending
    return (pending_2m if pending_2m is not None
            else memory.vm_hugepages_nr_2M or 0,
            pending_1g if pending_1g is not None
            else memory.vm_hugepages_nr_1G or 0)


def check_memory(memory, changes=None):
    """Validate changes to one NUMA node's memory; returns them as ints."""
    values = {}
    for name, value in (changes or {}).items():
        if name not in _MEMORY_FIELDS:
            raise PlanError('%s cannot be changed; changeable fields are: '
                            '%s' % (name, ', '.join(_MEMORY_FIELDS)))
        try:
            value = int(value)
        except (TypeError, ValueError):
            raise PlanError('%s must be an integer, not %r' % (name, value))
        if value < 0:
            raise PlanError('%s must not be negative' % name)
        values[name] = value
    planned = {f: values.get(f, getattr(memory, f)) for f in _MEMORY_FIELDS}
    total = memory.memtotal_mib or 0
    platform = planned['platform_reserved_mib'] or 0
    if memory.numa_node == 0 and 'platform_reserved_mib' in values and \
            platform < min(MIN_PLATFORM_RESERVED_MIB, total):
        raise PlanError('NUMA node 0 must keep at least %d MiB for the '
                        'platform' % min(MIN_PLATFORM_RESERVED_MIB, total))
    nr_2m, nr_1g = hugepages_target(memory,
                                    planned['vm_hugepages_nr_2M_pending'],
                                    planned['vm_hugepages_nr_1G_pending'])
    needed = (platform + nr_2m * constants.HUGEPAGE_2M_MIB +
              nr_1g * constants.HUGEPAGE_1G_MIB)
    if needed > total:
        raise PlanError(
            'NUMA node %d has %d MiB; %d MiB platform + %d x 2M + %d x 1G '
            'huge pages need %d MiB' % (memory.numa_node, total, platform,
                                        nr_2m, nr_1g, needed))
    return values


def unlock_problems(host, cpus, memory):
    """Why the host's plan cannot be applied, or [] when it can."""
    problems = []
    if not host.hostname or not host.personality:
        problems.append('it has no hostname and personality yet')
    if not cpus or not memory:
        problems.append('its agent has not reported its CPUs and memory')
        return problems
    try:
        check_cpu_functions((c.allocated_function for c in cpus),
                            host.personality)
    except PlanError as exc:
        problems.append(str(exc))
    for node in memory:
        try:
            check_memory(node)
        except PlanError as exc:
            problems.append(str(exc))
    return problems


def check_device(changes):
    """Validated changes to a PCI device: its name and whether the host
    may use it."""
    values = {}
    for name, value in changes.items():
        if name == 'enabled':
            if isinstance(value, str) and value.lower() in ('true',
                                                            'false'):
                value = value.lower() == 'true'
            if not isinstance(value, bool):
                raise PlanError('enabled must be true or false, not %r'
                                % (value,))
        elif name == 'name':
            if not isinstance(value, str) or not 0 < len(value) <= 255:
                raise PlanError('name must be 1 to 255 characters')
        else:
            raise PlanError('%s cannot be changed; changeable fields are: '
                            'name, enabled' % name)
        values[name] = value
    return values

