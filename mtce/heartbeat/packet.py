"""The heartbeat wire format: a pulse from mtce-agent and its reply.

A packet is, in network byte order::

    magic 4s | version B | kind B | network B | sender length B
    sender (UTF-8, 1..64 bytes) | sequence Q | monotonic send time ns Q
    HMAC-SHA-512 over everything before it (64 bytes)

At most 152 bytes, so it never fragments and never needs a second read.
Packets are authenticated, not encrypted: nothing in them is secret.

Pulses are signed with a key derived from the per-install key
(``pulse_key``): a round's pulse on one network is the same datagram for
every host, sealed once. Replies are signed with a key derived from the
install key and the host's name (``host_key``), so a reply vouches for
that host only and cannot be passed off as another host's.
"""

import collections
import hashlib
import hmac
import os
import struct

from stxcommon import keyfile

MAGIC = b'MTHB'
VERSION = 1

PULSE = 1
REPLY = 2
KINDS = {PULSE: 'pulse', REPLY: 'reply'}

MANAGEMENT = 0
CLUSTER_HOST = 1
NETWORK_NAMES = {MANAGEMENT: 'management', CLUSTER_HOST: 'cluster-host'}
NETWORK_IDS = {name: number for number, name in NETWORK_NAMES.items()}

MAX_SENDER = 64
MIN_KEY = 16

_HEAD = struct.Struct('!4sBBBB')
_TAIL = struct.Struct('!QQ')
_MAC_SIZE = hashlib.sha512().digest_size
# The fixed part before the sender; its last byte is the sender's length.
HEAD_SIZE = _HEAD.size
MAX_SIZE = _HEAD.size + MAX_SENDER + _TAIL.size + _MAC_SIZE

# Every reason BadPacket can carry, so counters can be set up front.
REASONS = ('size', 'truncated', 'magic', 'version', 'kind', 'network',
           'sender', 'hmac')

Packet = collections.namedtuple(
    'Packet', 'kind network sender sequence sent_ns')


def pack_tail(sequence, sent_ns):
    """The sequence and send time as packed into a packet."""
    return _TAIL.pack(sequence, sent_ns)


class BadPacket(Exception):
    """A datagram that is not a well-formed, authentic heartbeat packet."""

    def __init__(self, reason):
        super().__init__('bad heartbeat packet: %s' % reason)
        self.reason = reason


def load_install_key(path):
    """The per-install key in ``path``; made (0600) when there is none."""
    return keyfile.load_or_create(
        path, lambda: os.urandom(32).hex().encode('ascii'))


def network_id(network):
    """The wire id of a network given by id or name ('management', ...)."""
    number = NETWORK_IDS.get(network, network)
    if number not in NETWORK_NAMES:
        raise ValueError('unknown heartbeat network %r' % (network,))
    return number


def pulse_key(install_key):
    """The key that signs the monitor's pulses to every host."""
    _check_key(install_key)
    return hmac.digest(install_key, b'mtce-heartbeat-pulse', 'sha512')


def host_key(install_key, host):
    """The key that signs one host's replies."""
    _check_key(install_key)
    return hmac.digest(install_key, b'mtce-heartbeat\0' + host.encode(),
                       'sha512')


def encode(kind, network, sender, sequence, sent_ns, key):
    """One signed packet; see ``Signer`` to sign many with one key."""
    return Signer(key).encode(kind, network, sender, sequence, sent_ns)


def decode(data, key):
    """The ``Packet`` in ``data``; raises ``BadPacket`` if it is not one."""
    return Signer(key).decode(data)


def read_header(data):
    """(kind, network, sender) of ``data`` without checking its HMAC.

    Only to tell why a packet is not one we expect; raises ``BadPacket``.
    """
    return _parse(data)[:3]


def _check_key(key):
    if not isinstance(key, bytes) or len(key) < MIN_KEY:
        raise ValueError('a heartbeat key is at least %d bytes' % MIN_KEY)


def _parse(data):
    size = len(data)
    if size > MAX_SIZE:
        raise BadPacket('size')
    if size < _HEAD.size:
        raise BadPacket('truncated')
    magic, version, kind, network, sender_size = _HEAD.unpack_from(data)
    if magic != MAGIC:
        raise BadPacket('magic')
    if version != VERSION:
        raise BadPacket('version')
    if kind not in KINDS:
        raise BadPacket('kind')
    if network not in NETWORK_NAMES:
        raise BadPacket('network')
    if not 0 < sender_size <= MAX_SENDER:
        raise BadPacket('sender')
    header_size = _HEAD.size + sender_size
    if size < header_size:
        raise BadPacket('truncated')
    try:
        sender = bytes(data[_HEAD.size:header_size]).decode('utf-8')
    except UnicodeDecodeError:
        raise BadPacket('sender') from None
    return kind, network, sender, header_size


class _Mac:
    """HMAC-SHA-512 (RFC 2104) as its two hash states, to copy per packet.

    ``hmac.HMAC`` wraps the same states in Python objects on each copy,
    update and digest; on a heartbeat round of thousands of packets those
    wrappers cost more than the hashing. The result is the same bytes
    (tests compare it with ``hmac.digest``).
    """

    __slots__ = ('inner', 'outer')

    _BLOCK = hashlib.sha512().block_size
    _IPAD = bytes(x ^ 0x36 for x in range(256))
    _OPAD = bytes(x ^ 0x5C for x in range(256))

    def __init__(self, key=None, inner=None, outer=None):
        if key is not None:
            if len(key) > self._BLOCK:
                key = hashlib.sha512(key).digest()
            key = key.ljust(self._BLOCK, b'\0')
            inner = hashlib.sha512(key.translate(self._IPAD))
            outer = hashlib.sha512(key.translate(self._OPAD))
        self.inner = inner
        self.outer = outer

    def after(self, data):
        """The states once ``data`` has been hashed (a packet's header)."""
        inner = self.inner.copy()
        inner.update(data)
        return _Mac(inner=inner, outer=self.outer)

    def digest(self, data):
        inner = self.inner.copy()
        inner.update(data)
        outer = self.outer.copy()
        outer.update(inner.digest())
        return outer.digest()


class Header:
    """The fixed start of one sender's packets and the HMAC state after it.

    Hashing the header once and copying that state per packet saves most
    of the HMAC set-up cost when thousands of packets go out a second.
    """

    __slots__ = ('data', 'kind', 'network', 'sender', '_mac')

    def __init__(self, data, kind, network, sender, mac):
        self.data = data
        self.kind = kind
        self.network = network
        self.sender = sender
        self._mac = mac

    def seal(self, sequence, sent_ns):
        """The whole signed packet for this sequence and send time."""
        return self.seal_tail(_TAIL.pack(sequence, sent_ns))

    def seal_tail(self, tail):
        """``seal`` with the tail packed once by ``pack_tail``: a round
        gives every host the same sequence and send time."""
        return self.data + tail + self._mac.digest(tail)

    def open(self, data):
        """(sequence, sent_ns) of ``data``, which starts with this header.

        Raises ``BadPacket`` for a wrong length or HMAC.
        """
        start = len(self.data)
        end = start + _TAIL.size
        size = len(data)
        if size < end + _MAC_SIZE:
            raise BadPacket('truncated')
        if size > end + _MAC_SIZE:
            raise BadPacket('size')
        if not hmac.compare_digest(self._mac.digest(data[start:end]),
                                   data[end:]):
            raise BadPacket('hmac')
        return _TAIL.unpack_from(data, start)


class Signer:
    """Signs and checks packets with one key, keeping its HMAC state."""

    # Headers seen on authentic packets are kept, but only this many, so
    # that a flood of forged headers cannot grow the cache.
    _MAX_CACHED = 16

    def __init__(self, key):
        _check_key(key)
        self._base = _Mac(key)
        self._headers = {}

    def header(self, kind, network, sender):
        """The ``Header`` for packets of this kind, network and sender."""
        if kind not in KINDS:
            raise ValueError('unknown packet kind %r' % (kind,))
        network = network_id(network)
        name = sender.encode('utf-8')
        if not 0 < len(name) <= MAX_SENDER:
            raise ValueError('a sender id is 1 to %d bytes' % MAX_SENDER)
        data = _HEAD.pack(MAGIC, VERSION, kind, network, len(name)) + name
        return self._cached(data, kind, network, sender)

    def _cached(self, data, kind, network, sender):
        header = self._headers.get(data)
        if header is None:
            header = Header(data, kind, network, sender,
                            self._base.after(data))
            if len(self._headers) < self._MAX_CACHED:
                self._headers[data] = header
        return header

    def encode(self, kind, network, sender, sequence, sent_ns):
        try:
            return self.header(kind, network, sender).seal(sequence, sent_ns)
        except struct.error as exc:
            raise ValueError('sequence and send time are uint64: %s'
                             % exc) from None

    def decode(self, data):
        kind, network, sender, header_size = _parse(data)
        header_data = bytes(data[:header_size])
        header = self._headers.get(header_data)
        if header is None:
            header = Header(header_data, kind, network, sender,
                            self._base.after(header_data))
            sequence, sent_ns = header.open(data)
            if len(self._headers) < self._MAX_CACHED:
                self._headers[header_data] = header
        else:
            sequence, sent_ns = header.open(data)
        return Packet(kind, network, sender, sequence, sent_ns)
