"""CPU function and memory plans against a host's hardware."""

import types

from stxcommon.tests import base
from sysinv import host_config


def _cpus(sockets=2, cores=4, threads=2):
    cpus, number = [], 0
    for thread in range(threads):
        for socket in range(sockets):
            for core in range(cores):
                cpus.append(types.SimpleNamespace(
                    cpu=number, numa_node=socket, core=core, thread=thread,
                    allocated_function='Application'))
                number += 1
    return cpus


def _memory(total=32768, platform=4096, nr_2m=0, nr_1g=0, node=0):
    return types.SimpleNamespace(
        numa_node=node, memtotal_mib=total, platform_reserved_mib=platform,
        vm_hugepages_nr_2M=nr_2m, vm_hugepages_nr_1G=nr_1g,
        vm_hugepages_nr_2M_pending=None, vm_hugepages_nr_1G_pending=None)


class CpuPlanTest(base.TestCase):

    def test_siblings_follow_their_core_lowest_cores_first(self):
        cpus = _cpus()
        plan = host_config.assign_cpu_functions(cpus, [
            {'function': 'platform', 'sockets': [{'0': 1}]},
            {'function': 'application-isolated', 'sockets': [{'1': 2}]}],
            'worker')
        by = {}
        for cpu in cpus:
            by.setdefault(plan[cpu.cpu], set()).add(
                (cpu.numa_node, cpu.core, cpu.thread))
        self.assertEqual({(0, 0, 0), (0, 0, 1)}, by['Platform'])
        self.assertEqual({(1, c, t) for c in (0, 1) for t in (0, 1)},
                         by['Application-isolated'])
        self.assertEqual(16 - 6, len(by['Application']))

    def test_smt_off_and_function_names_any_case(self):
        cpus = _cpus(sockets=1, cores=4, threads=1)
        plan = host_config.assign_cpu_functions(
            cpus, [{'function': 'Platform', 'sockets': [{'0': 4}]}],
            'controller')
        self.assertEqual(['Platform'] * 4, list(plan.values()))

    def test_refusals(self):
        cpus = _cpus(sockets=1, cores=2, threads=1)
        for requests, reason in (
                ([], 'must be a list'),
                ([{'function': 'platform', 'sockets': [{'0': 3}]}],
                 'socket 0 has 2 cores'),
                ([{'function': 'platform', 'sockets': [{'0': -1}]}],
                 'negative'),
                ([{'function': 'platform', 'sockets': [{'0': 2}]}],
                 'a worker needs at least one application core'),
                ([{'function': 'application', 'sockets': [{'0': 1}]}],
                 'application cores are those left over')):
            error = self.assertRaises(
                host_config.PlanError, host_config.assign_cpu_functions,
                cpus, requests, 'worker')
            self.assertIn(reason, str(error))
        self.assertRaises(host_config.PlanError,
                          host_config.assign_cpu_functions, [],
                          [{'function': 'platform',
                            'sockets': [{'0': 1}]}], 'worker')


class MemoryPlanTest(base.TestCase):

    def test_fits_and_does_not(self):
        node = _memory(total=8192, platform=2048)
        self.assertEqual({'vm_hugepages_nr_1G_pending': 6},
                         host_config.check_memory(
                             node, {'vm_hugepages_nr_1G_pending': '6'}))
        error = self.assertRaises(
            host_config.PlanError, host_config.check_memory, node,
            {'vm_hugepages_nr_1G_pending': 6,
             'vm_hugepages_nr_2M_pending': 1})
        self.assertIn('2048 MiB platform + 1 x 2M + 6 x 1G', str(error))
        self.assertRaises(host_config.PlanError, host_config.check_memory,
                          node, {'vm_hugepages_nr_2M_pending': 'many'})

    def test_current_pages_count_when_nothing_is_pending(self):
        node = _memory(total=8192, platform=2048, nr_1g=6)
        self.assertEqual((0, 6), host_config.hugepages_target(node))
        self.assertRaises(host_config.PlanError, host_config.check_memory,
                          node, {'platform_reserved_mib': 3000})

    def test_default_platform_memory(self):
        self.assertEqual(4096,
                         host_config.default_platform_reserved_mib(0, 65536))
        self.assertEqual(2048,
                         host_config.default_platform_reserved_mib(1, 65536))
        self.assertEqual(1000,
                         host_config.default_platform_reserved_mib(0, 2000))

    def test_unlock_problems(self):
        host = types.SimpleNamespace(hostname='w', personality='worker')
        cpus = _cpus(sockets=1, cores=2, threads=1)
        self.assertEqual(['at least one core must be a platform core'],
                         host_config.unlock_problems(host, cpus,
                                                     [_memory()]))
        cpus[0].allocated_function = 'Platform'
        self.assertEqual([], host_config.unlock_problems(host, cpus,
                                                         [_memory()]))
        self.assertIn('not reported', host_config.unlock_problems(
            host, [], [])[0])
