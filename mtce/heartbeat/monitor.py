"""The mtce-agent side of heartbeat: pulse every host, count what it misses.

Every period the monitor sends one pulse to each host on each network it
is monitored on, all with the same round sequence number, and gives each
pulse ``reply_timeout_ms`` (half a period unless set) from the moment it
went out to be answered. A large fleet's round takes tens of
milliseconds to send, so the round is judged in slices, each as soon as
its own pulses have had their time: a host early in the round is not
kept waiting for the end of it. A pulse not answered in time is missed;
a host's state follows the consecutive misses on each of its networks:

- ``minor``: some network has missed ``minor`` pulses or more;
- ``degraded``: some network has missed ``degrade`` or more, but not every
  network has reached ``failure`` (the host still answers somewhere);
- ``failed``: every monitored network has missed ``failure`` pulses.

A host that listens on a multicast group (as StarlingX hosts do) shares
its pulse with every host on that group and network: the round sends one
datagram per group rather than one per host, which is most of the
monitor's work at a thousand hosts. Replies always come back unicast,
each signed with its host's own key, from the host's own address.

One thread, one socket per network and one deadline loop serve the whole
fleet, so the cost grows with the packets, not with threads or timers.
"""

import collections
import ipaddress
import logging
import socket
import threading
import time

from mtce.heartbeat import _loop
from mtce.heartbeat import packet

LOG = logging.getLogger(__name__)

OK = 'ok'
MINOR = 'minor'
DEGRADED = 'degraded'
FAILED = 'failed'
STATES = (OK, MINOR, DEGRADED, FAILED)

# Why a datagram was not taken as a reply, besides packet.REASONS.
DROP_REASONS = packet.REASONS + (
    'unexpected', 'wrong_network', 'unknown_sender', 'wrong_address',
    'replayed', 'late', 'unknown_sequence')

# Levels of one network of one host, by consecutive missed pulses.
_LEVEL_OK, _LEVEL_MINOR, _LEVEL_DEGRADE, _LEVEL_FAILURE = range(4)
# Pulses sent between two looks at the reply sockets, so that a large
# fleet's replies never pile up past the socket's receive buffer.
_SEND_BATCH = 64
# Hosts sent to between two looks at the clock while a round goes out,
# and the longest a slice of the round (judged at once) spans.
_MARK_HOSTS = 16
_SLICE = 0.005


class HeartbeatConfigError(ValueError):
    """A heartbeat period, threshold or network that cannot work."""


class _Link:
    """One host on one network: what was sent, answered and missed."""

    __slots__ = ('host', 'network', 'address', 'group', 'reply', 'sent',
                 'answered', 'checked', 'missed', 'level', 'last_answered')

    def __init__(self, host, network, address, reply, group=None):
        self.host = host
        self.network = network
        self.address = address  # where pulses go and replies come from
        self.group = group      # (group, port) that gets its pulses, or None
        self.reply = reply
        self.sent = 0          # sequence of the last pulse sent
        self.answered = 0      # sequence of the last pulse answered
        self.checked = 0       # sequence of the last pulse judged
        self.missed = 0        # consecutive missed pulses
        self.level = _LEVEL_OK
        self.last_answered = None  # time.monotonic() of that answer


class _Host:
    __slots__ = ('name', 'links', 'state')

    def __init__(self, name, links):
        self.name = name
        self.links = links
        self.state = OK


def _numeric_address(address, port):
    """(ip, port) in the form recvfrom reports, to compare sources."""
    family = socket.AF_INET6 if ':' in address else socket.AF_INET
    try:
        packed = socket.inet_pton(family, address)
    except OSError:
        raise HeartbeatConfigError(
            'heartbeat address %r is not an IP address' % (address,)
        ) from None
    return socket.inet_ntop(family, packed), int(port)


def _group_address(group, port):
    """(group, port) of an IPv4 multicast group, as sendto takes it."""
    try:
        address = ipaddress.ip_address(group)
    except ValueError:
        address = None
    if address is None or address.version != 4 or not address.is_multicast:
        raise HeartbeatConfigError(
            'heartbeat multicast group %r is not an IPv4 multicast address'
            % (group,))
    try:
        number = int(port)
    except (TypeError, ValueError):
        number = None
    if number is None or not 0 < number < 65536:
        raise HeartbeatConfigError(
            'heartbeat multicast port %r is not a port' % (port,))
    return str(address), number


class Monitor(_loop.SelectorLoop):
    """Heartbeat of a fleet, from one thread.

    ``networks`` maps each network (id or name) to the (ip, port) this
    monitor sends from and receives replies on. ``on_change(host, state,
    detail)`` is called on the monitor's thread at every change of a
    host's state and must return quickly; ``detail`` holds the previous
    state, the networks at fault, per network the missed count and the
    ``time.monotonic()`` at which the last answered pulse was sent, and
    ``at``, the ``time.time()`` of the verdict.
    """

    # Tests shorten the period in a subclass; operators cannot.
    MIN_PERIOD_MS = 100
    MAX_PERIOD_MS = 1000

    def __init__(self, key, networks, sender='controller-0', period_ms=100,
                 minor=4, degrade=6, failure=10, reply_timeout_ms=None,
                 on_change=None, name='heartbeat-monitor'):
        super().__init__(name)
        _check_int('period_ms', period_ms)
        if not self.MIN_PERIOD_MS <= period_ms <= self.MAX_PERIOD_MS:
            raise HeartbeatConfigError(
                'heartbeat period_ms must be %d to %d, not %d'
                % (self.MIN_PERIOD_MS, self.MAX_PERIOD_MS, period_ms))
        for label, value in (('minor', minor), ('degrade', degrade),
                             ('failure', failure)):
            _check_int(label, value)
            if value < 1:
                raise HeartbeatConfigError(
                    'heartbeat %s threshold must be at least 1' % label)
        if not minor < degrade < failure:
            raise HeartbeatConfigError(
                'heartbeat thresholds must grow: minor %d < degrade %d < '
                'failure %d' % (minor, degrade, failure))
        if reply_timeout_ms is None:
            reply_timeout_ms = period_ms / 2
        if not 0 < reply_timeout_ms < period_ms:
            raise HeartbeatConfigError(
                'heartbeat reply_timeout_ms must be above 0 and below the '
                'period (%d), not %r' % (period_ms, reply_timeout_ms))
        if not networks:
            raise HeartbeatConfigError('heartbeat needs a network')
        try:
            self._bind = {packet.network_id(network): tuple(address)
                          for network, address in networks.items()}
            # Refuses a short key or an unusable sender id now. A round's
            # pulse on a network is the same for every host.
            pulse_signer = packet.Signer(packet.pulse_key(key))
            self._pulse_headers = {
                network: pulse_signer.header(packet.PULSE, network, sender)
                for network in self._bind}
        except ValueError as exc:
            raise HeartbeatConfigError(str(exc)) from None
        self._key = key
        self.sender = sender
        self.period_ms = period_ms
        self.minor, self.degrade, self.failure = minor, degrade, failure
        self._period = period_ms / 1000.0
        self._reply_timeout = reply_timeout_ms / 1000.0
        self._on_change = on_change
        self._lock = threading.Lock()
        self._hosts = {}
        self._by_reply_header = {}
        # {(network, (group, port)): links listening there}: each gets one
        # pulse a round, whatever the number of hosts behind it.
        self._groups = collections.Counter()
        self._sockets = {}
        # Seeded from the wall clock so that a restarted monitor's pulses
        # are still newer than any its hosts have seen.
        self._sequence = time.time_ns()
        self._next_send = self._next_read = self._check_due = None
        self._round_started = None
        # The hosts of the last round, in the order they were sent to, and
        # the slices of it still to judge: (end index, last send time).
        self._round = []
        self._slices = collections.deque()
        self._judged = 0
        # Replies are read in batches on this timer rather than as each
        # arrives: waking for each of 20,000 replies a second would cost
        # more than handling them.
        self._read_interval = self._period / 10
        self.stats = dict.fromkeys(
            ('pulses_sent', 'replies', 'send_errors', 'overruns')
            + DROP_REASONS, 0)

    # -- the fleet --------------------------------------------------------

    def check_host(self, name, networks):
        """Raise HeartbeatConfigError if ``add_host`` would refuse these."""
        self._links(name, networks)

    def add_host(self, name, networks):
        """Monitor ``name`` at {network: (ip, port)}; it starts ``ok``.

        A network's value may also be (ip, port, group, group port): the
        host takes its pulses on that IPv4 multicast group and answers
        from (ip, port).
        """
        links = self._links(name, networks)
        with self._lock:
            if name in self._hosts:
                raise HeartbeatConfigError('%s is already monitored' % name)
            self._hosts[name] = _Host(name, links)
            for link in links.values():
                self._by_reply_header[link.reply.data] = link
                if link.group is not None:
                    self._groups[(link.network, link.group)] += 1
        LOG.info('Heartbeat monitoring %s on %s', name, ', '.join(
            _describe(link) for _, link in sorted(links.items())))

    def _links(self, name, networks):
        try:
            signer = packet.Signer(packet.host_key(self._key, name))
        except ValueError as exc:
            raise HeartbeatConfigError(str(exc)) from None
        links = {}
        for network, where in networks.items():
            try:
                address, port, *group = where
            except (TypeError, ValueError):
                raise HeartbeatConfigError(
                    'heartbeat address of %s is not (ip, port): %r'
                    % (name, where)) from None
            if group:
                if len(group) != 2:
                    raise HeartbeatConfigError(
                        'heartbeat address of %s is not (ip, port, group, '
                        'group port): %r' % (name, where))
                group = _group_address(*group)
            else:
                group = None
            try:
                network = packet.network_id(network)
                reply = signer.header(packet.REPLY, network, name)
            except ValueError as exc:
                raise HeartbeatConfigError(str(exc)) from None
            if network not in self._bind:
                raise HeartbeatConfigError(
                    'this monitor does not watch the %s network'
                    % packet.NETWORK_NAMES[network])
            links[network] = _Link(
                name, network, _numeric_address(address, port), reply,
                group)
        if not links:
            raise HeartbeatConfigError('%s has no network to monitor' % name)
        return links

    def remove_host(self, name):
        """Stop monitoring ``name``; False if it was not monitored."""
        with self._lock:
            host = self._hosts.pop(name, None)
            if host is None:
                return False
            for link in host.links.values():
                self._by_reply_header.pop(link.reply.data, None)
                if link.group is not None:
                    target = (link.network, link.group)
                    self._groups[target] -= 1
                    if self._groups[target] <= 0:
                        del self._groups[target]
        LOG.info('Heartbeat no longer monitoring %s', name)
        return True

    def hosts(self):
        with self._lock:
            return sorted(self._hosts)

    def state(self, name):
        """'ok', 'minor', 'degraded' or 'failed'; KeyError if unknown."""
        with self._lock:
            return self._hosts[name].state

    def status(self, name):
        """The state, missed counts and last answer times of one host."""
        with self._lock:
            host = self._hosts[name]
            return dict(self._detail(host), state=host.state)

    @property
    def addresses(self):
        """{network name: (ip, port)} the monitor sends and receives on."""
        return {packet.NETWORK_NAMES[network]: address
                for network, address in self._bind.items()}

    # -- the loop ---------------------------------------------------------

    def _open(self):
        try:
            for network, address in self._bind.items():
                sock = _loop.udp_socket(address, _loop.RECEIVE_BUFFER)
                self._sockets[network] = sock
                _send_multicast_from(sock, address[0])
                # Keep a port picked by the kernel across restarts.
                self._bind[network] = sock.getsockname()[:2]
        except OSError:
            self._close()
            raise
        self._next_send = self._next_read = time.monotonic()
        self._check_due = None
        self._round, self._slices, self._judged = [], collections.deque(), 0
        LOG.info('Heartbeat every %d ms from %s (missed pulses: minor %d, '
                 'degrade %d, failure %d)', self.period_ms, ', '.join(
                     '%s at %s port %d' % ((packet.NETWORK_NAMES[n],) + a)
                     for n, a in sorted(self._bind.items())),
                 self.minor, self.degrade, self.failure)

    def _close(self):
        for sock in self._sockets.values():
            sock.close()
        self._sockets = {}

    def _timeout(self):
        due = min(self._next_send, self._next_read)
        if self._check_due is not None and self._check_due < due:
            due = self._check_due
        return due - time.monotonic()

    def _on_time(self, now):
        changes = []
        send = now >= self._next_send
        # A round is always judged before the next one goes out, even if
        # a slow round left it less than the whole reply timeout.
        check = self._check_due is not None and (
            send or now >= self._check_due)
        with self._lock:
            if check or send or now >= self._next_read:
                self._read_all()
                self._next_read = now + self._read_interval
            if check:
                changes = self._judge(now, everything=send)
            if send:
                changes += self._send_round(now)
        for change in changes:
            self._report(*change)

    def _send_round(self, now):
        self._sequence += 1
        sequence = self._sequence
        self._round_started = now
        tail = packet.pack_tail(sequence, time.monotonic_ns())
        pulses = {network: header.seal_tail(tail)
                  for network, header in self._pulse_headers.items()}
        sockets = self._sockets
        sent = errors = 0
        for network, group in self._groups:
            try:
                sockets[network].sendto(pulses[network], group)
            except OSError as exc:
                errors += 1
                LOG.debug('Pulse to group %s port %d failed: %s',
                          group[0], group[1], exc)
            sent += 1
        hosts = list(self._hosts.values())
        self._round, self._judged = hosts, 0
        slices = self._slices = collections.deque()
        slice_started = self._check_due = None
        changes = []
        for index, host in enumerate(hosts, 1):
            for link in host.links.values():
                if link.group is not None:
                    link.sent = sequence     # its group's pulse went out
                    continue
                try:
                    sockets[link.network].sendto(pulses[link.network],
                                                 link.address)
                except OSError as exc:
                    errors += 1
                    LOG.debug('Pulse to %s at %s failed: %s', link.host,
                              link.address, exc)
                link.sent = sequence
                sent += 1
                if sent % _SEND_BATCH == 0:
                    self._read_all()
                    # A long round: its first slices are due already.
                    if self._check_due is not None and \
                            time.monotonic() >= self._check_due:
                        changes += self._judge(time.monotonic())
            if index % _MARK_HOSTS == 0 or index == len(hosts):
                slice_started = self._mark(slices, index, slice_started)
                if self._check_due is None:
                    self._check_due = slices[0][1] + self._reply_timeout
        self.stats['pulses_sent'] += sent
        self.stats['send_errors'] += errors
        done = time.monotonic()
        self._next_send += self._period
        late = done - self._next_send
        if late > 0:
            # Rounds were missed (a stalled process): start again from now
            # rather than firing the missed rounds back to back.
            self.stats['overruns'] += 1
            LOG.warning('Heartbeat round %.0f ms late; skipping ahead',
                        late * 1000)
            self._next_send = done + self._period
        return changes

    @staticmethod
    def _mark(slices, index, slice_started):
        """Note that the round's first ``index`` hosts were sent to by
        now: the last slice grows while it spans under _SLICE seconds.
        Returns when the current slice started."""
        now = time.monotonic()
        if slices and now - slice_started < _SLICE:
            slices[-1] = (index, now)
            return slice_started
        slices.append((index, now))
        return now

    def _judge(self, now, everything=False):
        """Count the missed pulses of every slice of the round whose
        reply timeout has passed (of all of them if ``everything``)."""
        slices, end = self._slices, self._judged
        while slices and (everything
                          or slices[0][1] + self._reply_timeout <= now):
            end = slices.popleft()[0]
        changes = self._count_missed(self._round[self._judged:end])
        self._judged = end
        self._check_due = (slices[0][1] + self._reply_timeout if slices
                           else None)
        return changes

    def _count_missed(self, hosts):
        sequence = self._sequence
        minor, degrade, failure = self.minor, self.degrade, self.failure
        changes = []
        judged_at = None
        current = self._hosts
        for host in hosts:
            if current.get(host.name) is not host:
                continue  # Removed after the round went out.
            moved = False
            for link in host.links.values():
                if link.sent != sequence:
                    continue  # Added after the round went out.
                link.checked = sequence
                if link.answered == sequence:
                    missed = 0
                else:
                    missed = link.missed + 1
                link.missed = missed
                if missed < minor:
                    level = _LEVEL_OK
                elif missed < degrade:
                    level = _LEVEL_MINOR
                elif missed < failure:
                    level = _LEVEL_DEGRADE
                else:
                    level = _LEVEL_FAILURE
                if level != link.level:
                    link.level = level
                    moved = True
            if moved:
                state = _host_state(host)
                if state != host.state:
                    if judged_at is None:
                        judged_at = time.time()
                    detail = self._detail(host)
                    detail['previous'] = host.state
                    detail['at'] = judged_at
                    host.state = state
                    changes.append((host.name, state, detail))
        return changes

    def _report(self, name, state, detail):
        missed = detail['missed']
        why = '; '.join(
            '%s missed %d pulse%s' % (network, count,
                                      '' if count == 1 else 's')
            if count else '%s answering' % network
            for network, count in sorted(missed.items()))
        log = LOG.info if state == OK else LOG.warning
        log('Heartbeat of host %s is %s (was %s): %s', name, state,
            detail['previous'], why)
        if self._on_change is not None:
            try:
                self._on_change(name, state, detail)
            except Exception:
                LOG.exception('Heartbeat on_change failed for %s', name)

    def _detail(self, host):
        names = packet.NETWORK_NAMES
        links = sorted(host.links.items())
        return {
            'networks': [names[n] for n, link in links
                         if link.level != _LEVEL_OK],
            'missed': {names[n]: link.missed for n, link in links},
            'last_answered': {names[n]: link.last_answered
                              for n, link in links},
        }

    def _read_all(self):
        for network, sock in self._sockets.items():
            self._read(network, sock)

    def _read(self, network, sock):
        """Take every reply waiting on one network's socket."""
        stats = self.stats
        by_header = self._by_reply_header
        head_size = packet.HEAD_SIZE
        started = self._round_started
        replies = 0
        recvfrom = sock.recvfrom
        try:
            for _ in range(_loop.READ_BATCH):
                try:
                    data, source = recvfrom(_loop.READ_SIZE)
                except (BlockingIOError, InterruptedError):
                    return
                except OSError as exc:
                    LOG.debug('Heartbeat socket error: %s', exc)
                    continue
                link = None
                if len(data) > head_size:
                    link = by_header.get(data[:head_size + data[7]])
                if link is None:
                    stats[self._why_unknown(network, data)] += 1
                    continue
                if link.network != network:
                    stats['wrong_network'] += 1
                    continue
                try:
                    sequence, _ = link.reply.open(data)
                except packet.BadPacket as exc:
                    stats[exc.reason] += 1
                    continue
                if source != link.address and source[:2] != link.address:
                    stats['wrong_address'] += 1
                elif sequence == link.sent != link.answered:
                    if link.checked == sequence:
                        stats['late'] += 1
                    else:
                        link.answered = sequence
                        link.last_answered = started
                        replies += 1
                elif sequence <= link.answered:
                    stats['replayed'] += 1
                elif sequence < link.sent:
                    stats['late'] += 1
                else:
                    stats['unknown_sequence'] += 1
        finally:
            stats['replies'] += replies

    @staticmethod
    def _why_unknown(network, data):
        try:
            kind, sender_network, _ = packet.read_header(data)
        except packet.BadPacket as exc:
            return exc.reason
        if kind != packet.REPLY:
            return 'unexpected'
        if sender_network != network:
            return 'wrong_network'
        return 'unknown_sender'


def _describe(link):
    text = '%s at %s port %d' % ((packet.NETWORK_NAMES[link.network],)
                                 + link.address)
    if link.group is not None:
        text += ' (pulses to group %s port %d)' % link.group
    return text


def _send_multicast_from(sock, address):
    """Send this socket's multicast pulses out of the interface holding
    ``address``, one hop only, and to local listeners too (an all-in-one
    runs its hosts on the controller)."""
    if sock.family != socket.AF_INET or address in ('', '0.0.0.0'):
        return
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF,
                    socket.inet_aton(address))
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_TTL, 1)
    sock.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_LOOP, 1)


def _check_int(label, value):
    if not isinstance(value, int) or isinstance(value, bool):
        raise HeartbeatConfigError('heartbeat %s must be an integer, not %r'
                                   % (label, value))


def _host_state(host):
    levels = [link.level for link in host.links.values()]
    if min(levels) == _LEVEL_FAILURE:
        return FAILED
    top = max(levels)
    if top >= _LEVEL_DEGRADE:
        return DEGRADED
    if top == _LEVEL_MINOR:
        return MINOR
    return OK
