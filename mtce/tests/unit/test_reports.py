"""State reports to sysinv: every change in order; past a backlog, one
queued a host at most."""

import queue
import threading

from mtce.agent import loop as loop_mod
from mtce.agent import maintenance
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures


class SlowSysinv:
    """Holds every report until ``gate`` opens, as a busy sysinv would."""

    def __init__(self):
        self.gate = threading.Event()
        self.heard = queue.Queue()

    def host_update(self, host_uuid, values, action_done):
        self.gate.wait(10)
        self.heard.put((host_uuid, values['availability'], action_done))

    def taken(self, count):
        return [self.heard.get(timeout=5) for _ in range(count)]


class ReportTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.loop = loop_mod.EventLoop(workers=2)
        self.loop.start()
        self.addCleanup(self.loop.stop, 1)
        self.sysinv = SlowSysinv()
        self.addCleanup(self.sysinv.gate.set)
        self.maint = maintenance.Maintenance(
            self.loop, monitor=None, sysinv=self.sysinv, alarms=None,
            bmc_client=None, report_backlog=2)
        self.hosts = [maintenance.Host({
            'uuid': 'uuid-%d' % n, 'hostname': 'worker-%d' % n,
            'administrative': 'unlocked', 'operational': 'enabled',
            'availability': 'available'}) for n in range(3)]

    def report(self, host, availability, **kwargs):
        done = threading.Event()

        def step():
            self.maint._report(host, availability=availability, **kwargs)
            done.set()
        self.loop.post(step)
        self.assertTrue(done.wait(5))

    def test_past_the_backlog_changes_become_one_report_a_host(self):
        first, second, third = self.hosts
        self.report(first, 'degraded')
        # that one is with sysinv now; the rest queue behind it
        stx_fixtures.wait_for(lambda: not self.maint._unsent)
        for availability in ('failed', 'intest', 'available', 'degraded',
                             'failed'):
            self.report(second, availability)
        self.report(third, 'failed')
        self.report(second, 'available', action_done=True)
        self.report(first, 'available')
        self.assertEqual(4, self.maint._queued)
        self.sysinv.gate.set()
        # below the backlog of 2, every change; past it, merged
        self.assertEqual([('uuid-0', 'degraded', False),
                          ('uuid-1', 'failed', False),
                          ('uuid-1', 'available', True),
                          ('uuid-2', 'failed', False),
                          ('uuid-0', 'available', False)],
                         self.sysinv.taken(5))
        self.assertRaises(queue.Empty, self.sysinv.heard.get, timeout=0.3)
        self.assertEqual(0, self.maint._queued)

    def test_below_the_backlog_every_change_is_reported_in_order(self):
        self.maint.report_backlog = 100
        host = self.hosts[0]
        changes = ['degraded', 'failed', 'intest', 'available', 'degraded']
        for availability in changes:
            self.report(host, availability)
        self.sysinv.gate.set()
        self.assertEqual([('uuid-0', a, False) for a in changes],
                         self.sysinv.taken(len(changes)))

    def test_a_change_after_its_report_started_is_reported_after_it(self):
        host = self.hosts[0]
        self.report(host, 'failed')
        stx_fixtures.wait_for(lambda: not self.maint._unsent)
        self.report(host, 'available')
        self.sysinv.gate.set()
        self.assertEqual([('uuid-0', 'failed', False),
                          ('uuid-0', 'available', False)],
                         self.sysinv.taken(2))
