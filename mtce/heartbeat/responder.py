"""The mtce-client side of heartbeat: answer every authentic, fresh pulse.

A reply is the host's proof of life, so the responder answers only pulses
it can authenticate and has not seen before; anything else is dropped and
counted in ``stats`` by reason. A ``ResponderGroup`` answers for many hosts
from one thread, which is what the simulated fleet and the benchmark need;
a ``Responder`` is the group of one real host.

A host may take its pulses on an IPv4 multicast group (one datagram a
round reaches every host of a network) as well as on its own address; it
always answers from its own address, which is where mtce-agent expects the
reply. Hosts of one group and network in a ``ResponderGroup`` share one
socket, and each pulse on it is checked once for all of them.
"""

import ipaddress
import logging
import time

from mtce.heartbeat import _loop
from mtce.heartbeat import packet

LOG = logging.getLogger(__name__)

# Why a datagram was not answered, besides packet.REASONS.
DROP_REASONS = packet.REASONS + ('unexpected', 'wrong_network', 'replayed')
# Controllers a host expects pulses from; a few more for safety.
_MAX_SENDERS = 8


class _Entry:
    """One host answering on one network."""

    __slots__ = ('host', 'network', 'address', 'multicast', 'group',
                 'socket', 'signer', 'reply', 'pulses', 'last_sequence',
                 'muted')

    def __init__(self, install_key, host, network, address, pulse_signer,
                 multicast=None):
        self.host = host
        self.network = network
        self.address = (address[0], int(address[1]))
        self.multicast = multicast   # (group, port) asked for, or None
        self.group = None            # the _Group taking them, once open
        self.socket = None
        # pulses are checked with the install's pulse key, replies signed
        # with this host's own
        self.signer = pulse_signer
        self.reply = packet.Signer(packet.host_key(install_key, host)).header(
            packet.REPLY, network, host)
        # Headers of authentic pulses, by their bytes, to skip parsing.
        self.pulses = {}
        # Highest sequence answered per sender (controller id): a pulse at
        # or below it is a replay. Only authentic senders get an entry.
        self.last_sequence = {}
        self.muted = False      # a pulled cable: pulses are dropped


class _Group:
    """A multicast group and port taking one network's pulses for some
    entries of a ResponderGroup."""

    __slots__ = ('network', 'address', 'socket', 'entries', 'pulses')

    def __init__(self, network, sock):
        self.network = network
        self.address = sock.getsockname()[:2]
        self.socket = sock
        self.entries = []
        self.pulses = {}        # authentic pulse headers, as _Entry.pulses


def _multicast(multicast):
    """(group, port) checked: an IPv4 multicast group and a port."""
    group, port = multicast
    try:
        address = ipaddress.ip_address(group)
    except ValueError:
        address = None
    if address is None or address.version != 4 or not address.is_multicast:
        raise ValueError('heartbeat multicast group %r is not an IPv4 '
                         'multicast address' % (group,))
    port = int(port)
    if not 0 <= port < 65536:
        raise ValueError('heartbeat multicast port %r is not a port'
                         % (port,))
    return str(address), port


class ResponderGroup(_loop.SelectorLoop):
    """Answers pulses for many (host, network, address) entries.

    ``stats`` counts 'answered' (of which 'answered_group' on a multicast
    group), 'multicast' (pulses taken on a group, once for all its hosts
    here) and every drop reason; it is written by the
    group's thread and may be read from any thread.
    """

    def __init__(self, key, name='heartbeat-responder'):
        super().__init__(name)
        # Rejects a bad key here, not later.
        self._pulse_signer = packet.Signer(packet.pulse_key(key))
        self._key = key
        self._entries = {}
        # {(network, group, port asked for): _Group}, on the loop thread
        self._groups = {}
        self.stats = dict.fromkeys(('answered', 'answered_group',
                                    'send_errors', 'muted', 'multicast')
                                   + DROP_REASONS, 0)

    def add(self, host, network, address, multicast=None):
        """Answer for ``host`` on ``network`` at (ip, port).

        ``multicast`` (group, port) also takes that network's pulses on an
        IPv4 multicast group, joined on the interface of ``address``.
        Returns the bound (ip, port) once running (port 0 picks a free
        port, kept across restarts), else the configured one.
        """
        network = packet.network_id(network)
        if multicast is not None:
            multicast = _multicast(multicast)
        entry = _Entry(self._key, host, network, address,
                       self._pulse_signer, multicast)
        with self._state_lock:
            if (host, network) in self._entries:
                raise ValueError('%s already answers on %s'
                                 % (host, packet.NETWORK_NAMES[network]))
            if self.running:
                self._open_entry(entry, in_loop=False)
            self._entries[(host, network)] = entry
        return entry.address

    def remove(self, host, network=None):
        """Stop answering for ``host`` on one network, or on all of them."""
        if network is not None:
            network = packet.network_id(network)
        with self._state_lock:
            for key in list(self._entries):
                if key[0] == host and network in (None, key[1]):
                    entry = self._entries.pop(key)
                    if self.running:
                        self._close_entry(entry, in_loop=False)

    def mute(self, host, network, muted=True):
        """Drop (or answer again) ``host``'s pulses on ``network``, as a
        pulled (or plugged) cable would; its port stays its own."""
        self._entries[(host, packet.network_id(network))].muted = muted

    def address(self, host, network):
        """The (ip, port) the host answers on for that network."""
        return self._entries[(host, packet.network_id(network))].address

    def heartbeat_address(self, host, network):
        """What mtce-agent is told: (ip, port), or (ip, port, group, group
        port) when the host takes pulses on a multicast group."""
        entry = self._entries[(host, packet.network_id(network))]
        group = entry.group
        if group is not None:
            return entry.address + group.address
        if entry.multicast is not None:
            return entry.address + entry.multicast
        return entry.address

    def _open(self):
        opened = []
        try:
            for entry in self._entries.values():
                self._open_entry(entry, in_loop=True)
                opened.append(entry)
        except OSError:
            for entry in opened:
                self._close_entry(entry, in_loop=True)
            raise

    def _close(self):
        for entry in self._entries.values():
            self._close_entry(entry, in_loop=True)

    def _open_entry(self, entry, in_loop):
        sock = _loop.udp_socket(entry.address)
        entry.address = sock.getsockname()[:2]
        entry.socket = sock
        new_group = None
        if entry.multicast is not None:
            try:
                new_group = self._join(entry)
            except OSError:
                entry.socket = None
                sock.close()
                raise

        def watch():
            self._watch(sock, lambda ready: self._answer(entry, ready))
            if new_group is not None:
                self._watch(new_group.socket, lambda ready:
                            self._answer_group(new_group, ready))

        if in_loop:
            watch()
        else:
            self._call_in_loop(watch)
        LOG.info('Answering heartbeat for %s on %s at %s port %d%s',
                 entry.host, packet.NETWORK_NAMES[entry.network],
                 entry.address[0], entry.address[1],
                 '' if entry.group is None else
                 ' (pulses on group %s port %d)' % entry.group.address)

    def _join(self, entry):
        """Put ``entry`` on its multicast group's socket; returns the group
        if this opened it (its first entry here), else None."""
        key = (entry.network,) + entry.multicast
        group = self._groups.get(key)
        opened = None
        if group is None:
            group = opened = _Group(entry.network, _loop.multicast_socket(
                entry.multicast[0], entry.multicast[1], entry.address[0]))
            self._groups[key] = group
        # a new list, so that a round being answered keeps its own
        group.entries = group.entries + [entry]
        entry.group = group
        return opened

    def _close_entry(self, entry, in_loop):
        sock, entry.socket = entry.socket, None
        if sock is None:
            return
        group, entry.group = entry.group, None
        closing = [sock]
        if group is not None:
            group.entries = [e for e in group.entries if e is not entry]
            if not group.entries:
                self._groups.pop((group.network,) + entry.multicast, None)
                closing.append(group.socket)

        def unwatch():
            for each in closing:
                try:
                    self._unwatch(each)
                except (KeyError, ValueError):
                    pass
                each.close()

        if in_loop:
            unwatch()
        else:
            self._call_in_loop(unwatch)

    def _answer(self, entry, sock):
        # One datagram per wake: a host gets one pulse a round, and the
        # selector reports the socket again if more are waiting.
        pulse = self._receive(entry.network, entry.pulses, entry.signer,
                              sock)
        if pulse is not None:
            self._reply(entry, *pulse)

    def _answer_group(self, group, sock):
        """A pulse on a multicast group: checked once, answered by every
        host of the group here."""
        pulse = self._receive(group.network, group.pulses,
                              self._pulse_signer, sock)
        if pulse is not None:
            stats = self.stats
            stats['multicast'] += 1
            for entry in group.entries:
                if self._reply(entry, *pulse):
                    stats['answered_group'] += 1

    def _receive(self, network, pulses, signer, sock):
        """(sender, sequence, source) of an authentic pulse on ``sock``
        for ``network``, or None (dropped and counted)."""
        stats = self.stats
        try:
            data, source = sock.recvfrom(_loop.READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError as exc:
            # An ICMP error left by an earlier send.
            LOG.debug('heartbeat socket %s: %s', sock.getsockname(), exc)
            return None
        # Fast path: the header of a pulse already authenticated before.
        header = None
        if len(data) > packet.HEAD_SIZE:
            header = pulses.get(data[:packet.HEAD_SIZE + data[7]])
        try:
            if header is not None:
                sequence, _ = header.open(data)
                return header.sender, sequence, source
            pulse = signer.decode(data)
        except packet.BadPacket as exc:
            stats[exc.reason] += 1
            return None
        if pulse.kind != packet.PULSE:
            stats['unexpected'] += 1
            return None
        if pulse.network != network:
            stats['wrong_network'] += 1
            return None
        if len(pulses) < _MAX_SENDERS:
            header = signer.header(packet.PULSE, network, pulse.sender)
            pulses[header.data] = header
        return pulse.sender, pulse.sequence, source

    def _reply(self, entry, sender, sequence, source):
        """Answer an authentic pulse for ``entry`` unless it is a replay
        or the host's cable is out."""
        stats = self.stats
        if entry.muted:
            stats['muted'] += 1
            return False
        if sequence <= entry.last_sequence.get(sender, -1):
            stats['replayed'] += 1
            return False
        entry.last_sequence[sender] = sequence
        sock = entry.socket
        if sock is None:
            return False            # removed meanwhile
        try:
            sock.sendto(entry.reply.seal(sequence, time.monotonic_ns()),
                        source)
        except OSError as exc:
            stats['send_errors'] += 1
            LOG.debug('%s could not answer %s: %s', entry.host, source, exc)
            return False
        stats['answered'] += 1
        return True


class Responder(ResponderGroup):
    """Answers pulses for one host: what mtce-client runs.

    ``networks`` maps a network id or name to the (ip, port) to answer on;
    ``multicast`` maps some of them to the (group, port) their pulses come
    to as well.
    """

    def __init__(self, key, host, networks, multicast=None):
        super().__init__(key, name='heartbeat-responder-%s' % host)
        self.host = host
        multicast = {packet.network_id(network): where for network, where
                     in (multicast or {}).items()}
        for network, address in networks.items():
            self.add(host, network, address,
                     multicast.get(packet.network_id(network)))

    @property
    def addresses(self):
        """{network name: what mtce-agent is told}: the bound (ip, port),
        followed by (group, port) where pulses come on a group."""
        return {packet.NETWORK_NAMES[network]:
                self.heartbeat_address(host, network)
                for (host, network) in self._entries}
