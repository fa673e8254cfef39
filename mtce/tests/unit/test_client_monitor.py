"""mtce-client's host monitor on a host tree: thresholds, processes, alarms.

The tree is written the way the kernel presents it (proc/stat,
proc/meminfo, proc/<pid>/comm); alarms go through fm.client to a real
fm-manager thread and are read back from its database.
"""

import os
import shutil

import fixtures

from fm import client as fm_client
from fm.tests.unit import base as fm_base
from mtce.client import monitor
from mtce import conf as mtce_conf
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures

HOST = 'worker-3'


class MonitorTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.root = self.useFixture(fixtures.TempDir()).path
        os.makedirs(os.path.join(self.root, 'proc'))
        self.fm = self.useFixture(fm_base.FmFixture())
        self.alarms = fm_client.HostAlarmSender(fm_client.FaultAPIs(
            self.fm.transport, self.fm.rpc_transport,
            fault_topic=self.fm.conf.manager.fault_topic,
            rpc_topic=self.fm.conf.manager.rpc_topic))
        self.busy = self.total = 0
        self.write_cpu(0, 0)
        self.write_memory(used_percent=40)

    def write(self, path, text):
        full = os.path.join(self.root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, 'w') as f:
            f.write(text)

    def write_cpu(self, busy, idle):
        """Add ``busy`` and ``idle`` jiffies to the counters."""
        self.busy += busy
        self.total += busy + idle
        idle_total = self.total - self.busy
        self.write('proc/stat', 'cpu  %d 0 0 %d 0 0 0 0 0 0\ncpu0 1 0 0 1\n'
                   % (self.busy, idle_total))

    def write_memory(self, used_percent):
        total = 16 * 1024 * 1024
        available = int(total * (100 - used_percent) / 100)
        self.write('proc/meminfo', 'MemTotal: %d kB\nMemFree: %d kB\n'
                   'MemAvailable: %d kB\n' % (total, available, available))

    def start_process(self, pid, name):
        self.write('proc/%d/comm' % pid, name + '\n')

    def stop_process(self, pid):
        shutil.rmtree(os.path.join(self.root, 'proc', str(pid)))

    def monitor(self, **kwargs):
        kwargs.setdefault('mounts', ())
        return monitor.HostMonitor(HOST, self.root, self.alarms, **kwargs)

    def active(self):
        return {(row.alarm_id, row.entity_instance_id): row for row in
                self.fm.connection.alarms_by_entity()}

    def wait_active(self, expected):
        stx_fixtures.wait_for(lambda: set(self.active()) == set(expected))
        return self.active()

    def test_cpu_and_memory_thresholds_raise_and_clear(self):
        watch = self.monitor()
        watch.check()                      # the first CPU sample
        self.write_cpu(busy=92, idle=8)    # 92 % over the interval
        self.write_memory(used_percent=91)
        watch.check()
        alarms = self.wait_active([('100.101', 'host=worker-3'),
                                   ('100.103', 'host=worker-3')])
        cpu = alarms[('100.101', 'host=worker-3')]
        self.assertEqual('major', cpu.severity)
        self.assertIn('threshold 90%, actual 92%', cpu.reason_text)
        self.assertEqual('critical',
                         alarms[('100.103', 'host=worker-3')].severity)
        self.write_cpu(busy=10, idle=90)
        self.write_memory(used_percent=85)
        watch.check()
        alarms = self.wait_active([('100.103', 'host=worker-3')])
        stx_fixtures.wait_for(lambda: self.active()[
            ('100.103', 'host=worker-3')].severity == 'major')
        self.write_memory(used_percent=50)
        watch.check()
        self.wait_active([])

    def test_filesystem_threshold(self):
        watch = self.monitor(mounts=['/'],
                             filesystem=monitor.Thresholds(0.001, 0.002))
        watch.check()          # any used disk is over 0.002 %
        alarm = self.wait_active([('100.104',
                                   'host=worker-3.filesystem=/')])
        self.assertIn('Filesystem / threshold exceeded',
                      alarm[('100.104', 'host=worker-3.filesystem=/')]
                      .reason_text)

    def test_critical_processes(self):
        self.start_process(101, 'sshd')
        self.start_process(102, 'crond')
        watch = self.monitor(critical_processes={'sshd': 'fail',
                                                 'crond': 'degrade'})
        self.assertEqual({'degrade': [], 'fail': []}, watch.check())
        self.stop_process(102)
        self.assertEqual({'degrade': ['critical process crond is not '
                                      'running'], 'fail': []},
                         watch.check())
        alarm = self.wait_active([('200.006',
                                   'host=worker-3.process=crond')])
        self.assertEqual('major', alarm[
            ('200.006', 'host=worker-3.process=crond')].severity)
        self.stop_process(101)
        verdict = watch.check()
        self.assertEqual(['critical process sshd is not running'],
                         verdict['fail'])
        alarms = self.wait_active([
            ('200.006', 'host=worker-3.process=crond'),
            ('200.006', 'host=worker-3.process=sshd')])
        self.assertEqual('critical', alarms[
            ('200.006', 'host=worker-3.process=sshd')].severity)
        self.start_process(201, 'sshd')
        self.start_process(202, 'crond')
        self.assertEqual({'degrade': [], 'fail': []}, watch.check())
        self.wait_active([])

    def test_unreadable_tree_is_no_alarm(self):
        os.remove(os.path.join(self.root, 'proc/stat'))
        os.remove(os.path.join(self.root, 'proc/meminfo'))
        watch = self.monitor(mounts=['/no/such/mount'])
        self.assertEqual({'degrade': [], 'fail': []}, watch.check())
        self.assertEqual({}, self.active())

    def test_bad_settings_refused(self):
        self.assertRaises(ValueError, monitor.Thresholds, 90, 80)
        self.assertRaises(ValueError, monitor.Thresholds, 0, 80)
        self.assertRaises(ValueError, self.monitor,
                          critical_processes={'sshd': 'reboot'})
        conf = mtce_conf.new_conf()
        conf([], project='mtce')
        conf.set_override('cpu_thresholds', ['95'], 'client')
        error = self.assertRaises(ValueError, monitor.from_conf, conf, HOST)
        self.assertIn('[client] cpu_thresholds must be two numbers',
                      str(error))
        conf.set_override('cpu_thresholds', ['90', '95'], 'client')
        conf.set_override('critical_processes', {'sshd': 'fail'}, 'client')
        watch = monitor.from_conf(conf, HOST)
        self.assertEqual({'sshd': 'fail'}, watch.critical_processes)
