"""The heartbeat monitor in its own process, as mtce-agent runs it."""

import os
import signal
import time

from mtce.heartbeat import monitor as monitor_mod
from mtce.heartbeat import process
from mtce.heartbeat import responder as responder_mod
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures

KEY = b'per-install-key-for-the-tests-0123'
NETWORKS = {'management': ('127.0.0.1', 0), 'cluster-host': ('127.0.0.1', 0)}


class MonitorProcessTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.changes = []
        self.monitor = process.MonitorProcess(
            KEY, NETWORKS, period_ms=100, minor=2, degrade=3, failure=4,
            on_change=lambda *change: self.changes.append(change))
        self.monitor.start()
        self.addCleanup(self.monitor.stop)

    def responder(self, name):
        responder = responder_mod.Responder(KEY, name, {
            'management': ('127.0.2.1', 0), 'cluster-host': ('127.0.3.1', 0)})
        responder.start()
        self.addCleanup(responder.stop)
        return responder

    def states_of(self, name):
        return [state for host, state, _ in list(self.changes)
                if host == name]

    def test_failure_seen_through_the_child(self):
        responder = self.responder('worker-0')
        self.monitor.add_host('worker-0', responder.addresses)
        self.assertEqual(['worker-0'], self.monitor.hosts())
        stx_fixtures.wait_for(
            lambda: self.monitor.stats['replies'] > 0, timeout=15)
        self.assertEqual(monitor_mod.OK, self.monitor.state('worker-0'))
        responder.stop()
        stx_fixtures.wait_for(
            lambda: monitor_mod.FAILED in self.states_of('worker-0'))
        self.assertEqual(monitor_mod.FAILED, self.monitor.state('worker-0'))
        detail = self.monitor.status('worker-0')
        self.assertEqual({'management': 4, 'cluster-host': 4},
                         detail['missed'])
        # last_answered is this machine's monotonic clock, as in-process
        for when in detail['last_answered'].values():
            self.assertLess(when, time.monotonic())
        self.assertTrue(self.monitor.remove_host('worker-0'))
        self.assertFalse(self.monitor.remove_host('worker-0'))
        self.assertEqual([], self.monitor.hosts())

    def test_bad_hosts_refused_in_the_caller(self):
        responder = self.responder('worker-0')
        self.monitor.add_host('worker-0', responder.addresses)
        self.assertRaises(monitor_mod.HeartbeatConfigError,
                          self.monitor.add_host, 'worker-0',
                          responder.addresses)
        self.assertRaises(monitor_mod.HeartbeatConfigError,
                          self.monitor.add_host, 'worker-1',
                          {'management': ('not-an-ip', 1)})
        self.assertRaises(monitor_mod.HeartbeatConfigError,
                          self.monitor.add_host, 'x' * 65,
                          {'management': ('127.0.0.1', 1)})
        self.assertRaises(monitor_mod.HeartbeatConfigError,
                          process.MonitorProcess, KEY, NETWORKS,
                          period_ms=50)

    def test_dead_child_is_started_again_with_its_hosts(self):
        responder = self.responder('worker-0')
        self.monitor.add_host('worker-0', responder.addresses)
        first = self.monitor._proc.pid
        os.kill(first, signal.SIGKILL)
        stx_fixtures.wait_for(lambda: self.monitor._proc is not None and
                              self.monitor._proc.pid != first, timeout=15)
        answered = responder.stats['answered']
        stx_fixtures.wait_for(
            lambda: responder.stats['answered'] > answered + 5, timeout=15)
        responder.stop()
        stx_fixtures.wait_for(
            lambda: monitor_mod.FAILED in self.states_of('worker-0'))
