"""mtce-client's alive message over UDP, signed like heartbeat.

The alive message is how mtce-agent learns that a host booted (its boot
id), where it answers heartbeat and whether it passes its go-enabled
tests. Sent as a datagram to mtce-agent rather than through RabbitMQ, a
host that was reset while the broker is away is seen coming back, so it
is re-enabled instead of being reset again. A datagram is, in network
byte order::

    magic 4s | version B | sender length B | sender (UTF-8, 1..64)
    sequence Q (the sender's clock, ns since the epoch)
    body length H | body (the report as JSON) | HMAC-SHA-512 (64 bytes)

signed with the sender's heartbeat key (``packet.host_key``; the magic
differs from a pulse's, so neither passes for the other). A receiver takes
a sender's datagram only if its sequence is higher than the last one it
took from that sender and within ``WINDOW`` of its own clock, so a
captured message cannot be played back.
"""

import collections
import hmac
import json
import logging
import socket
import struct
import threading
import time

from mtce.heartbeat import _loop
from mtce.heartbeat import packet

LOG = logging.getLogger(__name__)

MAGIC = b'MTAL'
VERSION = 1
# Fits one Ethernet frame with IP and UDP headers: never fragmented.
MAX_SIZE = 1400
# Nanoseconds a message's clock may differ from the receiver's.
WINDOW = 60 * 10**9
STATS_INTERVAL = 10.0

_HEAD = struct.Struct('!4sBB')
_SEQUENCE = struct.Struct('!Q')
_LENGTH = struct.Struct('!H')
_MAC_SIZE = 64
_FIXED = _HEAD.size + _SEQUENCE.size + _LENGTH.size + _MAC_SIZE
# Longest text kept of one reason when a report must be shortened.
_REASON = 160

REASONS = ('size', 'truncated', 'magic', 'version', 'sender', 'hmac',
           'body', 'stale', 'replayed')


class BadMessage(Exception):
    def __init__(self, reason):
        super().__init__('bad alive message: %s' % reason)
        self.reason = reason


def seal(key, sender, sequence, report):
    """The signed datagram carrying ``report`` (shortened to fit)."""
    name = sender.encode('utf-8')
    if not 0 < len(name) <= packet.MAX_SENDER:
        raise ValueError('sender name must be 1 to %d bytes'
                         % packet.MAX_SENDER)
    body = _fit(report, MAX_SIZE - _FIXED - len(name))
    data = (_HEAD.pack(MAGIC, VERSION, len(name)) + name +
            _SEQUENCE.pack(sequence) + _LENGTH.pack(len(body)) + body)
    return data + hmac.digest(key, data, 'sha512')


def _fit(report, room):
    body = json.dumps(report, separators=(',', ':')).encode('utf-8')
    if len(body) <= room:
        return body
    # Long reason lists: keep their start, the host's name and boot.
    short = dict(report)
    for name in ('degrade', 'fail'):
        short[name] = [text[:_REASON] for text in report.get(name) or ()]
    verdict = dict(report.get('go_enabled') or {})
    verdict['reason'] = str(verdict.get('reason', ''))[:_REASON]
    short['go_enabled'] = verdict
    body = json.dumps(short, separators=(',', ':')).encode('utf-8')
    while len(body) > room and (short['degrade'] or short['fail']):
        longer = 'fail' if len(short['fail']) >= len(short['degrade']) \
            else 'degrade'
        short[longer] = short[longer][:-1]
        body = json.dumps(short, separators=(',', ':')).encode('utf-8')
    if len(body) > room:
        raise ValueError('alive report does not fit in one datagram')
    return body


def read_sender(data):
    """The sender named in ``data``, before its HMAC is checked."""
    if len(data) > MAX_SIZE:
        raise BadMessage('size')
    if len(data) < _FIXED + 1:
        raise BadMessage('truncated')
    magic, version, size = _HEAD.unpack_from(data)
    if magic != MAGIC:
        raise BadMessage('magic')
    if version != VERSION:
        raise BadMessage('version')
    if not 0 < size <= packet.MAX_SENDER:
        raise BadMessage('sender')
    try:
        return bytes(data[_HEAD.size:_HEAD.size + size]).decode('utf-8')
    except UnicodeDecodeError:
        raise BadMessage('sender') from None


def open_sealed(key, data):
    """(sender, sequence, report) of a datagram signed with ``key``."""
    sender = read_sender(data)
    at = _HEAD.size + len(sender.encode('utf-8'))
    if len(data) < at + _SEQUENCE.size + _LENGTH.size + _MAC_SIZE:
        raise BadMessage('truncated')
    (sequence,) = _SEQUENCE.unpack_from(data, at)
    (length,) = _LENGTH.unpack_from(data, at + _SEQUENCE.size)
    body_at = at + _SEQUENCE.size + _LENGTH.size
    if len(data) != body_at + length + _MAC_SIZE:
        raise BadMessage('truncated')
    signed = data[:body_at + length]
    if not hmac.compare_digest(hmac.digest(key, signed, 'sha512'),
                               data[body_at + length:]):
        raise BadMessage('hmac')
    try:
        report = json.loads(bytes(data[body_at:body_at + length]))
    except ValueError:
        raise BadMessage('body') from None
    if not isinstance(report, dict) or report.get('hostname') != sender:
        raise BadMessage('body')
    return sender, sequence, report


class Sender:
    """Sends one host's alive reports to mtce-agent at ``address``."""

    def __init__(self, install_key, hostname, address):
        self.hostname = hostname
        self.address = tuple(address)
        self._key = packet.host_key(install_key, hostname)
        self._sock = None
        self._last = 0
        self._lock = threading.Lock()

    def send(self, report):
        with self._lock:
            # strictly increasing even if two sends share a clock tick
            self._last = max(time.time_ns(), self._last + 1)
            data = seal(self._key, self.hostname, self._last, report)
            if self._sock is None:
                family = socket.AF_INET6 if ':' in self.address[0] \
                    else socket.AF_INET
                self._sock = socket.socket(family, socket.SOCK_DGRAM)
            self._sock.sendto(data, self.address)

    def close(self):
        with self._lock:
            if self._sock is not None:
                self._sock.close()
                self._sock = None


class Receiver:
    """mtce-agent's end: takes authentic, fresh alive messages on a UDP
    socket and hands each report to ``on_alive``; counts and logs what it
    drops."""

    def __init__(self, install_key, address, on_alive):
        self._install_key = install_key
        self._on_alive = on_alive
        self._keys = {}
        self._last = {}
        self.stats = collections.Counter()
        self._logged = collections.Counter()
        try:
            # a fleet of thousands sends hundreds a second: room for
            # seconds of them while the agent is busy
            self._sock = _loop.udp_socket(address, _loop.RECEIVE_BUFFER)
        except OSError as exc:
            raise OSError(exc.errno, 'cannot take alive messages on UDP '
                          '%s port %s: %s' % (address[0], address[1],
                                              exc.strerror)) from None
        self._sock.setblocking(True)
        self._sock.settimeout(0.5)
        self.address = self._sock.getsockname()[:2]
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        self._thread = threading.Thread(target=self._run, name='mtce-alive',
                                        daemon=True)
        self._thread.start()
        LOG.info('Alive messages received on UDP %s port %d', *self.address)

    def stop(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._sock.close()

    def _run(self):
        next_stats = time.monotonic() + STATS_INTERVAL
        while not self._stop.is_set():
            try:
                data, _source = self._sock.recvfrom(MAX_SIZE + 1)
            except socket.timeout:
                data = None
            except OSError as exc:
                if self._stop.is_set():
                    return
                LOG.debug('alive socket: %s', exc)
                data = None
            if data is not None:
                self.take(data)
            if time.monotonic() >= next_stats:
                next_stats = time.monotonic() + STATS_INTERVAL
                self._log_drops()

    def take(self, data):
        """Check one datagram; True when its report was handed on."""
        try:
            sender, sequence, report = self._open(data)
        except BadMessage as exc:
            self.stats[exc.reason] += 1
            return False
        self.stats['taken'] += 1
        try:
            self._on_alive(report)
        except Exception:
            LOG.exception('Alive message of %s not handled', sender)
        return True

    def _open(self, data):
        sender = read_sender(data)
        key = self._keys.get(sender)
        if key is None:
            key = packet.host_key(self._install_key, sender)
        sender, sequence, report = open_sealed(key, data)
        # only authentic senders are remembered: spoofed names cost no
        # memory
        self._keys[sender] = key
        if abs(sequence - time.time_ns()) > WINDOW:
            raise BadMessage('stale')
        if sequence <= self._last.get(sender, 0):
            raise BadMessage('replayed')
        self._last[sender] = sequence
        return sender, sequence, report

    def _log_drops(self):
        grown = {reason: self.stats[reason] - self._logged[reason]
                 for reason in REASONS}
        grown = {reason: n for reason, n in grown.items() if n > 0}
        if grown:
            LOG.warning('Alive messages dropped in %.0f s: %s',
                        STATS_INTERVAL, ', '.join(
                            '%s %d' % item for item in sorted(grown.items())))
        self._logged.update(grown)
