"""mtce-agent's event loop: ordered work goes out in order and a stop
does not wait for a backlog."""

import threading
import time

import fixtures

from mtce.agent import loop as loop_mod
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures


class EventLoopTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name=loop_mod.__name__))
        self.loop = loop_mod.EventLoop(workers=2)
        self.loop.start()
        self.addCleanup(self.loop.stop, 1)

    def test_ordered_work_is_done_in_order_and_waited_for_on_stop(self):
        done = []
        for n in range(20):
            self.loop.persist(lambda n=n: (time.sleep(0.005), done.append(n)),
                              'report %d' % n, ordered='sysinv')
        self.loop.stop(timeout=5)
        self.assertEqual(list(range(20)), done)
        self.assertNotIn('not sent', self.log.output)

    def test_a_stop_during_a_backlog_ends_in_its_timeout(self):
        # a slow sysinv and thousands of reports queued: a stop used to
        # wait for every one of them
        gate = threading.Event()
        started = []

        def report(n):
            started.append(n)
            gate.wait(0.2)

        for n in range(2000):
            self.loop.persist(lambda n=n: report(n), 'report %d' % n,
                              ordered='sysinv')
        stx_fixtures.wait_for(lambda: started)
        began = time.monotonic()
        self.loop.stop(timeout=0.5)
        self.assertLess(time.monotonic() - began, 2.0)
        self.assertLess(len(started), 10)
        self.assertRegex(self.log.output,
                         r'stopped with 19\d\d queued reports not sent')

    def test_a_failing_report_is_retried_until_the_stop_ends_it(self):
        tries = []

        def refused():
            tries.append(time.monotonic())
            raise ConnectionError('sysinv is down')

        self.loop.persist(refused, 'report of worker-0', ordered='sysinv')
        stx_fixtures.wait_for(lambda: tries)
        began = time.monotonic()
        self.loop.stop(timeout=0.3)
        self.assertLess(time.monotonic() - began, 1.5)
        stx_fixtures.wait_for(lambda: 'report of worker-0 not done: '
                              'stopping' in self.log.output, timeout=2)
