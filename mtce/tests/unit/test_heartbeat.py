"""Heartbeat on loopback: a monitor, real responders and a packet sprayer.

Periods are short so that the tests are quick; every wait has a deadline
and no sleep is an assertion.
"""

import os
import random
import selectors
import socket
import threading
import time

from mtce.heartbeat import monitor as monitor_mod
from mtce.heartbeat import packet
from mtce.heartbeat import responder as responder_mod
from stxcommon.tests import base
from stxcommon.tests import fixtures as stx_fixtures

KEY = b'per-install-key-for-the-tests-0123'
WRONG_KEY = b'a-key-from-some-other-install-9876'
MGMT_IP = '127.0.0.1'
CLUSTER_IP = '127.0.0.2'
PERIOD_MS = 50
# Generous against a busy test machine; state logic does not depend on it.
REPLY_TIMEOUT_MS = 40


class FastMonitor(monitor_mod.Monitor):
    MIN_PERIOD_MS = 10


def wait_for(predicate, timeout=10.0):
    return stx_fixtures.wait_for(predicate, timeout=timeout, interval=0.005)


class Changes:
    """Records on_change calls with the time they happened."""

    def __init__(self):
        self._lock = threading.Lock()
        self.calls = []

    def __call__(self, host, state, detail):
        with self._lock:
            self.calls.append((time.monotonic(), host, state, detail))

    def of(self, host):
        with self._lock:
            return [c for c in self.calls if c[1] == host]

    def wait(self, host, state, timeout=10.0):
        """The first (time, host, state, detail) of ``host`` reaching it."""
        def reached():
            for call in self.of(host):
                if call[2] == state:
                    return call
        return wait_for(reached, timeout)


def _open_fds():
    return len(os.listdir('/proc/self/fd'))


class HeartbeatTestCase(base.TestCase):

    def setUp(self):
        super().setUp()
        self.changes = Changes()

    def make_monitor(self, **overrides):
        settings = dict(period_ms=PERIOD_MS, reply_timeout_ms=REPLY_TIMEOUT_MS,
                        on_change=self.changes)
        settings.update(overrides)
        monitor = FastMonitor(
            KEY, {'management': (MGMT_IP, 0),
                  'cluster-host': (CLUSTER_IP, 0)}, **settings)
        self.addCleanup(monitor.stop)
        return monitor

    def make_responder(self, host, networks):
        responder = responder_mod.Responder(KEY, host, networks)
        responder.start()
        self.addCleanup(responder.stop)
        return responder

    def wait_replies(self, monitor, count):
        start = monitor.stats['replies']
        wait_for(lambda: monitor.stats['replies'] >= start + count)


class HealthTest(HeartbeatTestCase):

    def test_healthy_host_stays_ok(self):
        responder = self.make_responder('compute-0', {
            'management': (MGMT_IP, 0), 'cluster-host': (CLUSTER_IP, 0)})
        monitor = self.make_monitor()
        monitor.add_host('compute-0', responder.addresses)
        monitor.start()
        self.wait_replies(monitor, 2 * 15)
        status = monitor.status('compute-0')
        self.assertEqual('ok', status['state'])
        self.assertEqual({'management': 0, 'cluster-host': 0},
                         status['missed'])
        for when in status['last_answered'].values():
            self.assertLess(time.monotonic() - when, 1.0)
        self.assertEqual([], self.changes.calls)
        self.assertEqual(0, sum(monitor.stats[r] for r in
                                monitor_mod.DROP_REASONS if r != 'late'))
        self.assertEqual(0, sum(responder.stats[r] for r in
                                responder_mod.DROP_REASONS))

    def test_lost_network_degrades_lost_all_fails_back_ok(self):
        # One responder per network, so that each can be stopped alone.
        mgmt = self.make_responder('compute-1', {'management': (MGMT_IP, 0)})
        cluster = self.make_responder('compute-1',
                                      {'cluster-host': (CLUSTER_IP, 0)})
        monitor = self.make_monitor()
        monitor.add_host('compute-1', dict(mgmt.addresses,
                                           **cluster.addresses))
        monitor.start()
        self.wait_replies(monitor, 2 * 3)

        cluster.stop()
        _, _, _, detail = self.changes.wait('compute-1', 'degraded')
        self.assertEqual(['cluster-host'], detail['networks'])
        self.assertEqual(0, detail['missed']['management'])
        self.assertEqual(6, detail['missed']['cluster-host'])
        self.assertEqual(['minor', 'degraded'],
                         [c[2] for c in self.changes.of('compute-1')])
        # The other network keeps answering: degraded, not failed.
        self.wait_replies(monitor, 10)
        self.assertEqual('degraded', monitor.state('compute-1'))

        stopped = time.monotonic()
        mgmt.stop()
        failed_at, _, _, detail = self.changes.wait('compute-1', 'failed')
        last_pulse = detail['last_answered']['management']
        self.assertLessEqual(last_pulse, stopped)
        # failure x period after the last answered pulse, plus the reply
        # timeout, plus slack for a busy machine.
        bound = (10 * PERIOD_MS + REPLY_TIMEOUT_MS) / 1000.0 + 0.5
        self.assertLess(failed_at - last_pulse, bound)
        self.assertGreaterEqual(failed_at - last_pulse, 0.45)
        self.assertEqual({'management': 10, 'cluster-host': 10},
                         {n: min(c, 10) for n, c in detail['missed'].items()})
        self.assertEqual('degraded', detail['previous'])

        mgmt.start()
        cluster.start()
        self.changes.wait('compute-1', 'ok')
        self.assertEqual('ok', monitor.state('compute-1'))

    def test_single_network_host_fails(self):
        responder = self.make_responder('storage-0',
                                        {'management': (MGMT_IP, 0)})
        monitor = self.make_monitor(period_ms=20, reply_timeout_ms=15,
                                    minor=2, degrade=3, failure=4)
        monitor.add_host('storage-0', responder.addresses)
        monitor.start()
        self.wait_replies(monitor, 3)
        responder.stop()
        self.changes.wait('storage-0', 'failed')
        self.assertEqual(['minor', 'degraded', 'failed'],
                         [c[2] for c in self.changes.of('storage-0')])

    def test_group_serves_many_hosts_from_one_thread(self):
        group = responder_mod.ResponderGroup(KEY)
        hosts = ['worker-%d' % i for i in range(40)]
        for host in hosts:
            group.add(host, packet.MANAGEMENT, (MGMT_IP, 0))
            group.add(host, packet.CLUSTER_HOST, (CLUSTER_IP, 0))
        threads = threading.active_count()
        group.start()
        self.addCleanup(group.stop)
        self.assertEqual(threads + 1, threading.active_count())
        monitor = self.make_monitor()
        for host in hosts:
            monitor.add_host(host, {
                'management': group.address(host, 'management'),
                'cluster-host': group.address(host, 'cluster-host')})
        monitor.start()
        self.wait_replies(monitor, 2 * 40 * 3)
        known = monitor.status('worker-7')
        addresses = {n: group.address('worker-7', n) for n in known['missed']}
        group.remove('worker-7', 'cluster-host')
        self.changes.wait('worker-7', 'degraded')
        group.remove('worker-7')
        self.changes.wait('worker-7', 'failed')
        self.assertEqual({'worker-7'}, {c[1] for c in self.changes.calls})
        self.assertEqual('ok', monitor.state('worker-8'))
        # Entries added while running answer from the same thread.
        for network, address in addresses.items():
            self.assertEqual(address, group.add('worker-7', network, address))
        self.changes.wait('worker-7', 'ok')
        # The group's thread and the monitor's; nothing per host.
        self.assertEqual(threads + 2, threading.active_count())
        self.assertTrue(monitor.remove_host('worker-7'))
        self.assertFalse(monitor.remove_host('worker-7'))
        self.assertNotIn('worker-7', monitor.hosts())

    def test_stop_leaves_no_thread_or_socket(self):
        fds = _open_fds()
        threads = set(threading.enumerate())
        responder = responder_mod.Responder(KEY, 'compute-2', {
            'management': (MGMT_IP, 0), 'cluster-host': (CLUSTER_IP, 0)})
        monitor = self.make_monitor()
        monitor.add_host('compute-2', {'management': (MGMT_IP, 9),
                                       'cluster-host': (CLUSTER_IP, 9)})
        for _ in range(2):
            responder.start()
            monitor.start()
            self.assertRaises(RuntimeError, monitor.start)
            self.assertGreater(_open_fds(), fds)
            monitor.stop()
            responder.stop()
            responder.stop()
            self.assertEqual(fds, _open_fds())
            self.assertEqual(threads, set(threading.enumerate()))


    def test_only_the_monitor_pulses_and_only_the_host_replies(self):
        """Every host holds the install key, but a pulse signed with a
        host's own key is not answered, and a sealed pulse sent back to
        the monitor is not taken for a reply."""
        responder = self.make_responder('compute-0', {
            'management': (MGMT_IP, 0)})
        monitor = self.make_monitor()
        monitor.add_host('compute-0', responder.addresses)
        monitor.start()
        self.wait_replies(monitor, 3)
        host_key = packet.host_key(KEY, 'compute-0')
        pulse_key = packet.pulse_key(KEY)
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.sendto(packet.encode(packet.PULSE, packet.MANAGEMENT,
                                      'controller-0', 2 ** 62, 1, host_key),
                        responder.addresses['management'])
            sock.sendto(packet.encode(packet.REPLY, packet.MANAGEMENT,
                                      'compute-0', 2 ** 62, 1, pulse_key),
                        monitor.addresses['management'])
        wait_for(lambda: responder.stats['hmac'] == 1)
        wait_for(lambda: monitor.stats['hmac'] + monitor.stats[
            'wrong_address'] >= 1)
        self.wait_replies(monitor, 3)
        self.assertEqual('ok', monitor.state('compute-0'))
        self.assertEqual([], self.changes.calls)


class ValidationTest(HeartbeatTestCase):

    def test_period_bounds(self):
        networks = {'management': (MGMT_IP, 0)}
        for period in (99, 1001, 0, 100.5, '100', True):
            self.assertRaises(monitor_mod.HeartbeatConfigError,
                              monitor_mod.Monitor, KEY, networks,
                              period_ms=period)
        for period in (100, 1000):
            monitor_mod.Monitor(KEY, networks, period_ms=period)

    def test_thresholds_must_grow(self):
        networks = {'management': (MGMT_IP, 0)}
        for minor, degrade, failure in ((4, 4, 10), (6, 4, 10), (4, 10, 10),
                                        (4, 11, 10), (0, 6, 10),
                                        (4, 6.5, 10), (None, 6, 10)):
            self.assertRaises(monitor_mod.HeartbeatConfigError,
                              monitor_mod.Monitor, KEY, networks,
                              minor=minor, degrade=degrade, failure=failure)
        monitor = monitor_mod.Monitor(KEY, networks, minor=1, degrade=2,
                                      failure=3)
        self.assertEqual((1, 2, 3), (monitor.minor, monitor.degrade,
                                     monitor.failure))

    def test_other_settings(self):
        error = monitor_mod.HeartbeatConfigError
        good = {'management': (MGMT_IP, 0)}
        self.assertRaises(error, monitor_mod.Monitor, KEY, {})
        self.assertRaises(error, monitor_mod.Monitor, KEY, {'storage': 1})
        self.assertRaises(error, monitor_mod.Monitor, b'short', good)
        self.assertRaises(error, monitor_mod.Monitor, KEY, good,
                          reply_timeout_ms=100)
        self.assertRaises(error, monitor_mod.Monitor, KEY, good,
                          sender='c' * 65)
        monitor = monitor_mod.Monitor(KEY, good)
        self.assertRaises(error, monitor.add_host, 'compute-0', {})
        self.assertRaises(error, monitor.add_host, 'compute-0',
                          {'cluster-host': (CLUSTER_IP, 1)})
        self.assertRaises(error, monitor.add_host, 'compute-0',
                          {'management': ('compute-0.local', 1)})
        monitor.add_host('compute-0', {0: (MGMT_IP, 1)})
        self.assertRaises(error, monitor.add_host, 'compute-0',
                          {0: (MGMT_IP, 1)})
        self.assertRaises(ValueError, responder_mod.ResponderGroup, b'short')


class _Tap:
    """A man in the middle on one network that records what it forwards.

    The monitor sees the tap's front address as the host's; the recorded
    pulses and replies are genuine packets for the sprayer to replay.
    """

    def __init__(self, ip, responder_address):
        self.front = self._socket(ip)
        self.back = self._socket(ip)
        self.responder_address = responder_address
        self.monitor_address = None
        self.pulses, self.replies = [], []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    @staticmethod
    def _socket(ip):
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.bind((ip, 0))
        sock.setblocking(False)
        return sock

    @property
    def address(self):
        return self.front.getsockname()

    def _run(self):
        with selectors.DefaultSelector() as selector:
            selector.register(self.front, selectors.EVENT_READ)
            selector.register(self.back, selectors.EVENT_READ)
            while not self._stop.is_set():
                for key, _ in selector.select(0.05):
                    try:
                        data, source = key.fileobj.recvfrom(1024)
                    except BlockingIOError:
                        continue
                    if key.fileobj is self.front:
                        self.monitor_address = source
                        self.back.sendto(data, self.responder_address)
                        self.pulses.append(data)
                    elif self.monitor_address:
                        self.front.sendto(data, self.monitor_address)
                        self.replies.append(data)

    def close(self):
        self._stop.set()
        self._thread.join(5)
        self.front.close()
        self.back.close()


class FuzzTest(HeartbeatTestCase):

    def test_sprayed_packets_are_counted_and_change_nothing(self):
        host = 'compute-3'
        responder = self.make_responder(host, {
            'management': (MGMT_IP, 0), 'cluster-host': (CLUSTER_IP, 0)})
        monitor = self.make_monitor()
        taps = {}
        for network, ip in ((0, MGMT_IP), (1, CLUSTER_IP)):
            taps[network] = _Tap(
                ip, responder.addresses[packet.NETWORK_NAMES[network]])
            self.addCleanup(taps[network].close)
        monitor.add_host(host, {n: tap.address for n, tap in taps.items()})
        monitor.start()
        wait_for(lambda: all(len(t.replies) >= 3 for t in taps.values()))

        sprayer = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(sprayer.close)
        rng = random.Random(4)
        sent = {'monitor': 0, 'responder': 0}
        wrong_host_key = packet.host_key(WRONG_KEY, host)
        right_host_key = packet.host_key(KEY, host)

        def spray_one():
            network = rng.choice((0, 1))
            tap = taps[network]
            name = packet.NETWORK_NAMES[network]
            side = rng.choice(('monitor', 'responder'))
            target = (monitor.addresses[name] if side == 'monitor'
                      else responder.addresses[name])
            captured = tap.replies if side == 'monitor' else tap.pulses
            how = rng.choice(('random', 'magic', 'truncated', 'replayed',
                              'wrong_key', 'wrong_address'))
            source = sprayer
            if how == 'random':
                data = os.urandom(rng.randrange(0, 700))
            elif how == 'magic':
                data = packet.MAGIC + os.urandom(rng.randrange(0, 200))
            elif how == 'truncated':
                genuine = captured[-1]
                data = genuine[:rng.randrange(len(genuine))]
            elif how == 'replayed':
                data = rng.choice(captured[-5:])
                # From where a genuine packet of that kind comes from.
                source = tap.front if side == 'monitor' else tap.back
            elif how == 'wrong_key' or side == 'responder':
                kind = packet.REPLY if side == 'monitor' else packet.PULSE
                sender = host if side == 'monitor' else 'controller-0'
                data = packet.encode(kind, network, sender, 2 ** 63, 1,
                                     wrong_host_key)
            else:
                # Rightly signed, but not from the host's address.
                data = packet.encode(packet.REPLY, network, host,
                                     monitor._sequence, 1, right_host_key)
            source.sendto(data, target)
            sent[side] += 1

        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            spray_one()
            time.sleep(0.001)

        def drops(stats, reasons):
            return sum(stats[reason] for reason in reasons)

        wait_for(lambda: drops(responder.stats, responder_mod.DROP_REASONS)
                 == sent['responder'])
        # The monitor may also drop a genuine reply that came too late.
        wait_for(lambda: drops(monitor.stats, monitor_mod.DROP_REASONS)
                 >= sent['monitor'])
        self.wait_replies(monitor, 4)
        for stats in (monitor.stats, responder.stats):
            for reason in ('magic', 'truncated', 'replayed', 'hmac'):
                self.assertGreater(stats[reason], 0, reason)
        self.assertGreater(monitor.stats['wrong_address'], 0)
        self.assertEqual([], self.changes.calls)
        self.assertEqual('ok', monitor.state(host))
