"""Heartbeat pulses on a multicast group, on loopback.

One pulse a round per group and network reaches every host listening
there; each host still answers from its own address with its own key.
"""

import collections
import random
import socket
import time

from mtce.client import host as host_client
from mtce.heartbeat import monitor as monitor_mod
from mtce.heartbeat import packet
from mtce.heartbeat import responder as responder_mod
from mtce.tests.unit import test_heartbeat as hb_test

KEY = hb_test.KEY
MGMT_IP = hb_test.MGMT_IP
CLUSTER_IP = hb_test.CLUSTER_IP
HOSTS = ['worker-%02d' % index for index in range(20)]


def _group():
    # A group of its own per test, so that tests run side by side never
    # hear each other's pulses.
    return '239.255.%d.%d' % (random.randrange(256), random.randrange(1, 255))


class MulticastTest(hb_test.HeartbeatTestCase):

    def setUp(self):
        super().setUp()
        self.mgmt_group = _group()
        self.cluster_group = _group()

    def make_fleet(self, hosts=HOSTS):
        fleet = responder_mod.ResponderGroup(KEY, name='fleet')
        for host in hosts:
            fleet.add(host, 'management', (MGMT_IP, 0),
                      multicast=(self.mgmt_group, 0))
            fleet.add(host, 'cluster-host', (CLUSTER_IP, 0),
                      multicast=(self.cluster_group, 0))
        fleet.start()
        self.addCleanup(fleet.stop)
        return fleet

    def monitor_fleet(self, fleet, hosts=HOSTS):
        monitor = self.make_monitor()
        for host in hosts:
            monitor.add_host(host, {
                network: fleet.heartbeat_address(host, network)
                for network in ('management', 'cluster-host')})
        monitor.start()
        return monitor

    def test_one_pulse_per_group_reaches_every_host(self):
        fleet = self.make_fleet()
        # the hosts of one group share one socket and so one port
        mgmt = {fleet.heartbeat_address(h, 'management')[2:] for h in HOSTS}
        self.assertEqual(1, len(mgmt))
        self.assertEqual(self.mgmt_group, mgmt.pop()[0])
        monitor = self.monitor_fleet(fleet)
        self.wait_replies(monitor, 2 * len(HOSTS) * 10)
        for host in HOSTS:
            self.assertEqual('ok', monitor.state(host))
        self.assertEqual([], self.changes.calls)
        # two datagrams a round, however many hosts answer them
        stats = dict(monitor.stats)
        rounds = stats['pulses_sent'] / 2
        self.assertGreater(stats['replies'], rounds * 2 * len(HOSTS) * 0.8)
        self.assertEqual(0, sum(stats[r] for r in monitor_mod.DROP_REASONS
                                if r != 'late'))
        self.assertEqual(0, sum(fleet.stats[r]
                                for r in responder_mod.DROP_REASONS))

    def test_dead_host_fails_alone_and_cut_network_degrades(self):
        fleet = self.make_fleet()
        monitor = self.monitor_fleet(fleet)
        self.wait_replies(monitor, 2 * len(HOSTS) * 3)
        fleet.remove('worker-03')
        fleet.mute('worker-07', 'cluster-host')
        _, _, _, detail = self.changes.wait('worker-03', 'failed')
        self.assertEqual({'management': 10, 'cluster-host': 10},
                         detail['missed'])
        _, _, _, detail = self.changes.wait('worker-07', 'degraded')
        self.assertEqual(['cluster-host'], detail['networks'])
        self.wait_replies(monitor, 2 * len(HOSTS) * 5)
        self.assertEqual('degraded', monitor.state('worker-07'))
        for host in HOSTS:
            if host not in ('worker-03', 'worker-07'):
                self.assertEqual('ok', monitor.state(host), host)
                self.assertEqual([], self.changes.of(host))
        # the cable is back: so is the host
        fleet.mute('worker-07', 'cluster-host', False)
        self.changes.wait('worker-07', 'ok')

    def test_hosts_in_separate_responders_share_the_group_port(self):
        # as separate mtce-client processes on one machine would
        first = responder_mod.Responder(
            KEY, 'storage-0', {'management': (MGMT_IP, 0)},
            multicast={'management': (self.mgmt_group, 0)})
        first.start()
        self.addCleanup(first.stop)
        port = first.addresses['management'][3]
        second = responder_mod.Responder(
            KEY, 'storage-1', {'management': (MGMT_IP, 0)},
            multicast={'management': (self.mgmt_group, port)})
        second.start()
        self.addCleanup(second.stop)
        # one host answers unicast: both kinds in one round
        third = self.make_responder('storage-2', {'management': (MGMT_IP, 0)})
        self.assertEqual(2, len(third.addresses['management']))
        monitor = self.make_monitor()
        for name, responder in (('storage-0', first), ('storage-1', second),
                                ('storage-2', third)):
            monitor.add_host(name, responder.addresses)
        monitor.start()
        self.wait_replies(monitor, 3 * 10)
        for name in ('storage-0', 'storage-1', 'storage-2'):
            self.assertEqual('ok', monitor.state(name))
        self.assertEqual([], self.changes.calls)
        self.assertGreaterEqual(first.stats['answered'], 8)
        self.assertGreaterEqual(second.stats['answered'], 8)
        # pulses: one to the group and one to storage-2 per round
        stats = dict(monitor.stats)
        self.assertLess(stats['pulses_sent'], stats['replies'] * 0.8)

        # a host removed from the monitor does not stop the group's pulses
        monitor.remove_host('storage-0')
        self.wait_replies(monitor, 2 * 5)
        self.assertEqual('ok', monitor.state('storage-1'))

    def test_forged_and_replayed_group_pulses_are_not_answered(self):
        fleet = self.make_fleet(HOSTS[:3])
        group = fleet.heartbeat_address(HOSTS[0], 'management')[2:]
        sender = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.addCleanup(sender.close)
        sender.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                          socket.inet_aton(MGMT_IP))
        sender.bind((MGMT_IP, 0))
        sender.settimeout(2)
        now = time.monotonic_ns()
        forged = packet.encode(packet.PULSE, 'management', 'controller-0',
                               10, now, packet.pulse_key(hb_test.WRONG_KEY))
        sender.sendto(forged, group)
        genuine = packet.encode(packet.PULSE, 'management', 'controller-0',
                                10, now, packet.pulse_key(KEY))
        sender.sendto(genuine, group)
        replies = [sender.recvfrom(1024) for _ in range(3)]
        answered = {packet.read_header(data)[2] for data, _ in replies}
        self.assertEqual(set(HOSTS[:3]), answered)
        for data, source in replies:
            host = packet.read_header(data)[2]
            reply = packet.decode(data, packet.host_key(KEY, host))
            self.assertEqual(10, reply.sequence)
            self.assertEqual(fleet.address(host, 'management'),
                             source[:2])
        sender.sendto(genuine, group)                  # replayed
        cluster = packet.encode(packet.PULSE, 'cluster-host', 'controller-0',
                                11, now, packet.pulse_key(KEY))
        sender.sendto(cluster, group)                  # wrong network
        sender.sendto(genuine[:-1], group)             # truncated
        hb_test.wait_for(lambda: fleet.stats['replayed'] == 3
                         and fleet.stats['wrong_network'] == 1
                         and fleet.stats['hmac'] == 1
                         and fleet.stats['truncated'] == 1)
        sender.settimeout(0.2)
        self.assertRaises(socket.timeout, sender.recvfrom, 1024)
        self.assertEqual(3, fleet.stats['answered'])

    def test_bad_group_is_refused(self):
        monitor = self.make_monitor()
        for where in ((MGMT_IP, 2106, '10.0.0.1', 2106),
                      (MGMT_IP, 2106, 'ff02::1', 2106),
                      (MGMT_IP, 2106, 'not-an-address', 2106),
                      (MGMT_IP, 2106, self.mgmt_group, 0),
                      (MGMT_IP, 2106, self.mgmt_group, 'x'),
                      (MGMT_IP, 2106, self.mgmt_group)):
            self.assertRaises(monitor_mod.HeartbeatConfigError,
                              monitor.add_host, 'worker-0',
                              {'management': where})
        self.assertEqual([], monitor.hosts())
        fleet = responder_mod.ResponderGroup(KEY)
        self.assertRaises(ValueError, fleet.add, 'worker-0', 'management',
                          (MGMT_IP, 0), multicast=('10.0.0.1', 0))


class _Alive:
    """Stands in for mtce-agent's RPC API: counts each host's messages."""

    def __init__(self):
        self.count = collections.Counter()

    def host_alive(self, context, report):
        self.count[report['hostname']] += 1


class AliveRateTest(hb_test.HeartbeatTestCase):
    """A group's pulses reach locked hosts too: only unicast pulses let a
    host's mtce-client slow its alive messages."""

    def client(self, agent, name, networks, multicast):
        client = host_client.HostClient(
            KEY, name, networks, agent, root='/', alive_interval=0.05,
            multicast=multicast)
        client.start()
        self.addCleanup(client.stop)
        return client

    def test_group_pulses_do_not_slow_alive_messages(self):
        agent = _Alive()
        group = _group()
        # monitored: management on the group, cluster-host unicast
        monitored = self.client(agent, 'worker-0', {
            'management': (MGMT_IP, 0), 'cluster-host': (CLUSTER_IP, 0)},
            {'management': (group, 0)})
        port = monitored.responder.addresses['management'][3]
        # locked, so not monitored, but on the group all the same
        locked = self.client(agent, 'worker-1', {'management': (MGMT_IP, 0)},
                             {'management': (group, port)})
        monitor = self.make_monitor()
        monitor.add_host('worker-0', monitored.responder.addresses)
        monitor.start()
        self.wait_replies(monitor, 2 * 5)
        hb_test.wait_for(
            lambda: locked.responder.stats['answered_group'] >= 10)
        start = dict(agent.count)
        hb_test.wait_for(lambda: agent.count['worker-1']
                         >= start['worker-1'] + 36)
        self.assertEqual('ok', monitor.state('worker-0'))
        # one message in MONITORED_FACTOR (12) once monitored
        self.assertLessEqual(agent.count['worker-0'] - start['worker-0'], 8)
