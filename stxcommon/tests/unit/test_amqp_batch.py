"""The lean batch consumer against oslo.messaging notifiers, in memory."""

import threading
import time
import uuid

from oslo_config import cfg

from stxcommon import amqp_batch
from stxcommon import config
from stxcommon import messaging
from stxcommon.tests import base

MEMORY_URL = 'kombu+memory:////'


def _wait(predicate, timeout=10):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError('timed out')
        time.sleep(0.01)


class BatchConsumerTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = config.new_conf([(None, [cfg.StrOpt('unused')])])
        self.conf([], project='test')
        self.topic = 'topic_%s' % uuid.uuid4().hex[:8]
        transport = messaging.get_notification_transport(self.conf,
                                                         url=MEMORY_URL)
        self.addCleanup(transport.cleanup)
        self.notifier = messaging.get_notifier(transport, 'test',
                                               [self.topic])
        self.received = []
        self.lock = threading.Lock()

    def _consumer(self, handle, batch_size=50):
        consumer = amqp_batch.BatchConsumer(
            amqp_batch.kombu_url(self.conf, MEMORY_URL),
            amqp_batch.notification_queue(self.conf, self.topic), handle,
            batch_size=batch_size, batch_timeout=0.02)
        consumer.start()
        self.addCleanup(consumer.stop)
        return consumer

    def _send(self, count, start=0):
        for index in range(start, start + count):
            self.notifier.info({}, 'test.event', {'index': index})

    def test_in_order_in_batches_with_payloads(self):
        sizes = []

        def handle(batch):
            sizes.append(len(batch))
            self.received.extend(n['payload']['index'] for n in batch)
            return True

        self._send(120)   # queued before the consumer exists: kept
        self._consumer(handle)
        _wait(lambda: len(self.received) == 120)
        self.assertEqual(list(range(120)), self.received)
        self.assertLessEqual(max(sizes), 50)

    def test_failed_batch_is_redelivered_in_order(self):
        failures = [2]

        def handle(batch):
            if failures[0]:
                failures[0] -= 1
                return False
            self.received.extend(n['payload']['index'] for n in batch)
            return True

        self._send(30)
        self._consumer(handle, batch_size=10)
        _wait(lambda: len(self.received) == 30)
        self.assertEqual(list(range(30)), self.received)

    def test_exception_in_handler_requeues(self):
        calls = []

        def handle(batch):
            calls.append(len(batch))
            if len(calls) == 1:
                raise RuntimeError('database down')
            self.received.extend(n['payload']['index'] for n in batch)
            return True

        self._send(5)
        self._consumer(handle)
        _wait(lambda: len(self.received) == 5)
        self.assertEqual(list(range(5)), self.received)

    def test_kombu_url(self):
        self.assertEqual('amqp://u:p@h:5673/v', amqp_batch.kombu_url(
            self.conf, 'rabbit://u:p@h:5673/v'))
        self.assertEqual('amqp://a:b@h1:5672/;amqp://a:b@h2:5672/',
                         amqp_batch.kombu_url(
                             self.conf, 'rabbit://a:b@h1:5672,a:b@h2:5672/'))
        self.assertRaises(ValueError, amqp_batch.kombu_url, self.conf,
                          'fake://')
