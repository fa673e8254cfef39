"""The outbox that keeps fault messages across a broker outage."""

import threading
import time

import fixtures

from fm import client
from fm.client import outbox
from fm.tests.unit import base
from fm.tests.unit import test_fault_path
from stxcommon.tests import base as stx_base


class Broker:
    """Takes payloads while up; refuses them like a dead broker when
    down, or fails in some other way for payloads it chokes on."""

    def __init__(self):
        self.up = True
        self.taken = []
        self.attempts = 0
        self.choke_on = None
        self._lock = threading.Lock()

    def send(self, payload):
        with self._lock:
            self.attempts += 1
            if payload is self.choke_on:
                raise TypeError('cannot serialize')
            if not self.up:
                raise client.APIException('fm is unreachable: refused')
            self.taken.append(payload['n'])


def _payload(n):
    return {'action': 'set', 'n': n, 'timestamp': 't%d' % n,
            'fault': {'alarm_id': '200.004', 'entity_instance_id':
                      'host=worker-%d' % n}}


class OutboxTest(stx_base.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger(
            name=outbox.__name__))
        self.broker = Broker()
        self.box = outbox.Outbox(self.broker.send, client.APIException,
                                 retry_interval=0.05, limit=100)
        self.addCleanup(self.box.close, 1)

    def test_messages_made_during_an_outage_go_out_in_order_after(self):
        self.box.submit(_payload(0))
        self.assertTrue(self.box.flush(2))
        self.broker.up = False
        started = time.monotonic()
        for n in range(1, 6):
            self.box.submit(_payload(n))
        self.assertLess(time.monotonic() - started, 0.5,
                        'submit waited for the broker')
        base.wait_for(lambda: self.broker.attempts >= 4)
        self.assertEqual([0], self.broker.taken)
        self.assertEqual(5, self.box.pending())
        self.assertIn('fm is unreachable', self.log.output)
        self.broker.up = True
        self.assertTrue(self.box.flush(5))
        self.assertEqual([0, 1, 2, 3, 4, 5], self.broker.taken)
        self.assertIn('fm is reachable again', self.log.output)

    def test_a_long_outage_keeps_the_newest_messages(self):
        self.broker.up = False
        for n in range(150):
            self.box.submit(_payload(n))
        self.assertLessEqual(self.box.pending(), 100)
        self.assertIn('dropped 1, the oldest first (the last dropped: set '
                      '200.004 host=worker-0 at t0)', self.log.output)
        # one line for a storm of drops, not one per message
        self.assertEqual(1, self.log.output.count('waiting for the broker'))
        self.broker.up = True
        self.assertTrue(self.box.flush(5))
        base.wait_for(lambda: 'more fault' in self.log.output)
        self.assertIn('Dropped 49 more fault messages past the 100 held',
                      self.log.output)
        self.assertEqual(list(range(50, 150)), self.broker.taken[-100:])
        self.assertEqual(sorted(self.broker.taken), self.broker.taken)
        self.assertLessEqual(len(self.broker.taken), 101)

    def test_close_logs_each_message_it_could_not_deliver(self):
        self.broker.up = False
        self.box.submit(_payload(7))
        self.box.submit(_payload(8))
        self.box.close(timeout=0.2)
        self.assertEqual([], self.broker.taken)
        self.assertIn('not delivered: set 200.004 host=worker-7 at t7',
                      self.log.output)
        self.assertIn('host=worker-8', self.log.output)
        self.assertRaises(RuntimeError, self.box.submit, _payload(9))

    def test_close_names_the_first_lost_messages_and_counts_the_rest(self):
        self.broker.up = False
        for n in range(outbox.NAMED_AT_SHUTDOWN + 30):
            self.box.submit(_payload(n))
        self.box.close(timeout=0.2)
        self.assertEqual(outbox.NAMED_AT_SHUTDOWN,
                         self.log.output.count('not delivered: set'))
        self.assertIn('host=worker-0 at t0', self.log.output)
        self.assertIn('30 more fault messages not delivered',
                      self.log.output)

    def test_a_payload_that_always_fails_does_not_block_the_rest(self):
        bad = _payload(1)
        self.broker.choke_on = bad
        self.box.submit(bad)
        self.box.submit(_payload(2))
        self.assertTrue(self.box.flush(5))
        self.assertEqual([2], self.broker.taken)
        self.assertEqual(outbox.UNEXPECTED_ERRORS + 2, self.broker.attempts)
        self.assertIn('Dropping fault message set 200.004 host=worker-1',
                      self.log.output)


class HeldFaultsTest(base.FmTestCase):
    """A holding client delivers through fm-manager like a direct one,
    without waiting for the broker."""

    def test_set_and_clear_are_recorded_in_order(self):
        conf = self.fm.conf
        api = client.FaultAPIs(
            self.fm.transport, self.fm.rpc_transport,
            fault_topic=conf.manager.fault_topic,
            rpc_topic=conf.manager.rpc_topic, hold_undelivered=True)
        self.addCleanup(api.close)
        uuid = api.set_fault(test_fault_path._fault())
        api.clear_fault('200.001', 'host=controller-0')
        self.assertTrue(api.flush(5))
        events = base.wait_for(
            lambda: len(self._events()) == 2 and self._events())
        self.assertEqual(['clear', 'set'], [e['state'] for e in events])
        self.assertEqual([], self.app.get('/v1/alarms').json['ialarms'])
        self.assertIsNotNone(uuid)

    def _events(self):
        return self.app.get('/v1/event_log').json['event_log']
