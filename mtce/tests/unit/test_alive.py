"""Alive messages over UDP: only authentic, fresh ones are taken."""

import os
import queue
import random
import socket
import time

from mtce.heartbeat import _loop
from mtce.heartbeat import alive
from mtce.heartbeat import packet
from stxcommon.tests import base

INSTALL_KEY = b'0123456789abcdef0123456789abcdef'


def _report(hostname='worker-0', **extra):
    report = {'hostname': hostname, 'boot_id': 'b-1',
              'heartbeat': {'management': ['127.0.0.1', 2106]},
              'go_enabled': {'passed': True, 'reason': ''},
              'degrade': [], 'fail': []}
    report.update(extra)
    return report


class AliveTest(base.TestCase):

    def setUp(self):
        super().setUp()
        self.reports = queue.Queue()
        self.receiver = alive.Receiver(INSTALL_KEY, ('127.0.0.1', 0),
                                       self.reports.put)
        self.key = packet.host_key(INSTALL_KEY, 'worker-0')

    def tearDown(self):
        self.receiver.stop()
        super().tearDown()

    def _sealed(self, report=None, sequence=None, key=None,
                sender='worker-0'):
        return alive.seal(key or self.key, sender,
                          sequence or time.time_ns(), report or _report())

    def test_sent_over_udp_and_handed_on(self):
        self.receiver.start()
        sender = alive.Sender(INSTALL_KEY, 'worker-0', self.receiver.address)
        self.addCleanup(sender.close)
        sender.send(_report())
        sender.send(_report(boot_id='b-2'))
        self.assertEqual('b-1', self.reports.get(timeout=5)['boot_id'])
        self.assertEqual('b-2', self.reports.get(timeout=5)['boot_id'])
        self.assertEqual(2, self.receiver.stats['taken'])

    def test_a_burst_from_a_large_fleet_is_kept_while_the_agent_is_busy(self):
        # the kernel's default (about 200 KB) holds under 100 messages
        with open('/proc/sys/net/core/rmem_max') as f:
            allowed = int(f.read())
        buffer = self.receiver._sock.getsockopt(socket.SOL_SOCKET,
                                                socket.SO_RCVBUF)
        self.assertGreaterEqual(buffer, min(_loop.RECEIVE_BUFFER, allowed))
        if allowed < _loop.RECEIVE_BUFFER:
            return
        senders = [alive.Sender(INSTALL_KEY, 'worker-%d' % n,
                                self.receiver.address) for n in range(500)]
        for sender in senders:
            self.addCleanup(sender.close)
            sender.send(_report(sender.hostname))
        self.receiver.start()
        for _ in senders:
            self.reports.get(timeout=5)
        self.assertEqual(500, self.receiver.stats['taken'])

    def test_replayed_stale_and_forged_messages_are_dropped(self):
        data = self._sealed()
        self.assertTrue(self.receiver.take(data))
        self.assertFalse(self.receiver.take(data))
        old = self._sealed(sequence=time.time_ns() - 120 * 10**9)
        self.assertFalse(self.receiver.take(old))
        other_install = packet.host_key(b'another-install-key-0123',
                                        'worker-0')
        self.assertFalse(self.receiver.take(self._sealed(key=other_install)))
        # signed by worker-1 but speaking for worker-0
        worker1 = packet.host_key(INSTALL_KEY, 'worker-1')
        self.assertFalse(self.receiver.take(self._sealed(
            key=worker1, sender='worker-1')))
        # a heartbeat pulse is not an alive message
        pulse = packet.encode(packet.PULSE, packet.MANAGEMENT, 'worker-0',
                              1, 1, self.key)
        self.assertFalse(self.receiver.take(pulse))
        self.assertEqual(1, self.reports.qsize())
        stats = self.receiver.stats
        self.assertEqual((1, 1, 1, 1, 1),
                         (stats['replayed'], stats['stale'], stats['hmac'],
                          stats['body'], stats['magic']))

    def test_damaged_and_random_datagrams_are_dropped(self):
        data = self._sealed()
        for size in range(len(data)):
            self.assertFalse(self.receiver.take(data[:size]))
        flipped = bytearray(data)
        flipped[len(data) // 2] ^= 0x01
        self.assertFalse(self.receiver.take(bytes(flipped)))
        self.assertFalse(self.receiver.take(data + b'x'))
        self.assertFalse(self.receiver.take(os.urandom(alive.MAX_SIZE + 1)))
        rng = random.Random(4)
        for _ in range(2000):
            self.assertFalse(self.receiver.take(rng.randbytes(
                rng.randrange(1, alive.MAX_SIZE))))
        self.assertTrue(self.reports.empty())
        self.assertTrue(self.receiver.take(data))

    def test_a_long_report_is_shortened_to_fit_one_datagram(self):
        many = ['process %d is missing: %s' % (n, 'x' * 300)
                for n in range(40)]
        data = self._sealed(_report(fail=many, degrade=many))
        self.assertLessEqual(len(data), alive.MAX_SIZE)
        self.assertTrue(self.receiver.take(data))
        report = self.reports.get_nowait()
        self.assertEqual('b-1', report['boot_id'])
        self.assertTrue(report['fail'])
        self.assertTrue(report['fail'][0].startswith('process 0 is missing'))
