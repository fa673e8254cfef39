"""The mtce-client side of heartbeat: answer every authentic, fresh pulse.

A reply is the host's proof of life, so the responder answers only pulses
it can authenticate and has not seen before; anything else is dropped and
counted in ``stats`` by reason. A ``ResponderGroup`` answers for many hosts
from one thread, which is what the simulated fleet and the benchmark need;
a ``Responder`` is the group of one real host.
"""

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

    __slots__ = ('host', 'network', 'address', 'socket', 'signer', 'reply',
                 'pulses', 'last_sequence', 'muted')

    def __init__(self, install_key, host, network, address, pulse_signer):
        self.host = host
        self.network = network
        self.address = (address[0], int(address[1]))
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


class ResponderGroup(_loop.SelectorLoop):
    """Answers pulses for many (host, network, address) entries.

    ``stats`` counts 'answered' and every drop reason; it is written by the
    group's thread and may be read from any thread.
    """

    def __init__(self, key, name='heartbeat-responder'):
        super().__init__(name)
        # Rejects a bad key here, not later.
        self._pulse_signer = packet.Signer(packet.pulse_key(key))
        self._key = key
        self._entries = {}
        self.stats = dict.fromkeys(('answered', 'send_errors', 'muted')
                                   + DROP_REASONS, 0)

    def add(self, host, network, address):
        """Answer for ``host`` on ``network`` at (ip, port).

        Returns the bound (ip, port) once running (port 0 picks a free
        port, kept across restarts), else the configured one.
        """
        network = packet.network_id(network)
        entry = _Entry(self._key, host, network, address,
                       self._pulse_signer)
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

        def watch():
            self._watch(sock, lambda ready: self._answer(entry, ready))

        if in_loop:
            watch()
        else:
            self._call_in_loop(watch)
        LOG.info('Answering heartbeat for %s on %s at %s port %d',
                 entry.host, packet.NETWORK_NAMES[entry.network],
                 *entry.address)

    def _close_entry(self, entry, in_loop):
        sock, entry.socket = entry.socket, None
        if sock is None:
            return

        def unwatch():
            try:
                self._unwatch(sock)
            except (KeyError, ValueError):
                pass
            sock.close()

        if in_loop:
            unwatch()
        else:
            self._call_in_loop(unwatch)

    def _answer(self, entry, sock):
        # One datagram per wake: a host gets one pulse a round, and the
        # selector reports the socket again if more are waiting.
        stats = self.stats
        try:
            data, source = sock.recvfrom(_loop.READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError as exc:
            # An ICMP error left by an earlier send.
            LOG.debug('%s on %s: %s', entry.host, entry.address, exc)
            return
        if entry.muted:
            stats['muted'] += 1
            return
        # Fast path: the header of a pulse already authenticated before.
        header = None
        if len(data) > packet.HEAD_SIZE:
            header = entry.pulses.get(data[:packet.HEAD_SIZE + data[7]])
        try:
            if header is not None:
                sequence, _ = header.open(data)
                sender = header.sender
            else:
                pulse = entry.signer.decode(data)
                sender, sequence = pulse.sender, pulse.sequence
        except packet.BadPacket as exc:
            stats[exc.reason] += 1
            return
        if header is None and pulse.kind != packet.PULSE:
            stats['unexpected'] += 1
        elif header is None and pulse.network != entry.network:
            stats['wrong_network'] += 1
        elif sequence <= entry.last_sequence.get(sender, -1):
            stats['replayed'] += 1
        else:
            entry.last_sequence[sender] = sequence
            if header is None and len(entry.pulses) < _MAX_SENDERS:
                header = entry.signer.header(packet.PULSE, entry.network,
                                             sender)
                entry.pulses[header.data] = header
            try:
                sock.sendto(entry.reply.seal(sequence, time.monotonic_ns()),
                            source)
            except OSError as exc:
                stats['send_errors'] += 1
                LOG.debug('%s could not answer %s: %s', entry.host, source,
                          exc)
                return
            stats['answered'] += 1


class Responder(ResponderGroup):
    """Answers pulses for one host: what mtce-client runs.

    ``networks`` maps a network id or name to the (ip, port) to answer on.
    """

    def __init__(self, key, host, networks):
        super().__init__(key, name='heartbeat-responder-%s' % host)
        self.host = host
        for network, address in networks.items():
            self.add(host, network, address)

    @property
    def addresses(self):
        """{network name: bound (ip, port)}."""
        return {packet.NETWORK_NAMES[network]: entry.address
                for (_, network), entry in self._entries.items()}
