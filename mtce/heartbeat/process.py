"""The heartbeat monitor in a process of its own.

mtce-agent's other threads (RPC, the state machines, BMC and sysinv
calls) share one interpreter lock; every ``sendto`` of a 1,000-host round
gives it up, and a busy thread can keep it for milliseconds each time, so
heartbeat rounds stretched and failures were seen late exactly when
hosts failed and the agent got busy.  :class:`MonitorProcess` keeps the
:class:`~mtce.heartbeat.monitor.Monitor` interface but runs the monitor
in a child (``python -m mtce.heartbeat.process``) that does nothing
else.  JSON lines go both ways: commands in; state changes, statistics
and log records out.  A child that dies is started again and given every
host; one whose parent dies exits at the end of its input.
"""

import collections
import json
import logging
import os
import queue
import subprocess
import sys
import threading
import time

import mtce
from mtce.heartbeat import monitor as monitor_mod
from mtce.heartbeat import packet

LOG = logging.getLogger(__name__)

STATS_INTERVAL = 5.0
# Drops worth a warning; a late reply or one from a host no longer
# monitored is ordinary.
_SUSPICIOUS = tuple(reason for reason in monitor_mod.DROP_REASONS
                    if reason not in ('late', 'unknown_sender'))
_PYTHONPATH = os.path.dirname(os.path.dirname(os.path.abspath(
    mtce.__file__)))


class MonitorProcess:
    """A :class:`Monitor` whose work happens in a child process.

    Arguments as for :class:`Monitor`; they are checked here, so a bad
    period or threshold fails in the caller as it would in-process.
    """

    def __init__(self, key, networks, sender='controller-0', period_ms=100,
                 minor=4, degrade=6, failure=10, reply_timeout_ms=None,
                 on_change=None, name='heartbeat-monitor', python=None):
        # the same checks as in-process, and the same errors
        self._check = monitor_mod.Monitor(
            key, networks, sender, period_ms, minor, degrade, failure,
            reply_timeout_ms)
        self._settings = {
            'key': key.hex(), 'sender': sender, 'period_ms': period_ms,
            'minor': minor, 'degrade': degrade, 'failure': failure,
            'reply_timeout_ms': reply_timeout_ms,
            'networks': {packet.NETWORK_NAMES[packet.network_id(n)]:
                         list(address) for n, address in networks.items()}}
        self.sender = sender
        self.period_ms = period_ms
        self.name = name
        self._on_change = on_change
        self._python = python or sys.executable
        self._lock = threading.Lock()
        self._hosts = {}            # name -> {network: (ip, port)}
        self._states = {}
        self._details = {}
        self._proc = None
        self._outbox = None         # lines for the current child's stdin
        self._reader = None
        self._stopping = False
        self._ready = threading.Event()
        self.stats = dict.fromkeys(self._check.stats, 0)
        self._addresses = {}

    # -- the Monitor interface ---------------------------------------------

    @property
    def running(self):
        return self._proc is not None

    @property
    def addresses(self):
        return dict(self._addresses)

    def start(self, timeout=30.0):
        with self._lock:
            if self._proc is not None:
                raise RuntimeError('%s is already running' % self.name)
            self._stopping = False
            self._spawn()
        if not self._ready.wait(timeout):
            self.stop()
            raise RuntimeError('%s did not start within %.0f s'
                               % (self.name, timeout))

    def stop(self, timeout=5.0):
        with self._lock:
            self._stopping = True
            proc, self._proc = self._proc, None
            if proc is None:
                return
            self._send({'op': 'stop'})
            self._outbox.put(None)
            self._outbox = None
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout)
        if self._reader is not None:
            self._reader.join(timeout)

    def add_host(self, name, networks):
        networks = {packet.NETWORK_NAMES[packet.network_id(n)]: tuple(a)
                    for n, a in networks.items()}
        with self._lock:
            if name in self._hosts:
                raise monitor_mod.HeartbeatConfigError(
                    '%s is already monitored' % name)
            # the same checks as in-process (networks, addresses, name)
            self._check.check_host(name, networks)
            self._hosts[name] = networks
            self._states[name] = monitor_mod.OK
            self._send({'op': 'add', 'host': name,
                        'networks': {n: list(a) for n, a in
                                     networks.items()}})

    def remove_host(self, name):
        with self._lock:
            if self._hosts.pop(name, None) is None:
                return False
            self._states.pop(name, None)
            self._details.pop(name, None)
            self._send({'op': 'remove', 'host': name})
        return True

    def hosts(self):
        with self._lock:
            return sorted(self._hosts)

    def state(self, name):
        with self._lock:
            return self._states[name]

    def status(self, name):
        with self._lock:
            return dict(self._details.get(name, {}),
                        state=self._states[name])

    # -- the child ---------------------------------------------------------

    def _spawn(self):
        env = dict(os.environ)
        env['PYTHONPATH'] = os.pathsep.join(
            filter(None, [_PYTHONPATH, env.get('PYTHONPATH')]))
        self._ready.clear()
        proc = subprocess.Popen(
            [self._python, '-m', 'mtce.heartbeat.process'],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            close_fds=True, text=True, bufsize=1)
        self._proc = proc
        # Commands go out through a thread of their own: a caller holding
        # the lock must never wait on a full pipe (the reader needs the
        # lock to drain the other one).
        if self._outbox is not None:
            self._outbox.put(None)      # the dead child's writer ends
        self._outbox = queue.SimpleQueue()
        threading.Thread(target=self._write, args=(proc, self._outbox),
                         daemon=True, name='%s-writer' % self.name).start()
        self._send({'op': 'configure', 'settings': self._settings})
        for name, networks in self._hosts.items():
            self._send({'op': 'add', 'host': name,
                        'networks': {n: list(a) for n, a in
                                     networks.items()}})
        self._reader = threading.Thread(
            target=self._read, args=(proc,), daemon=True,
            name='%s-reader' % self.name)
        self._reader.start()

    def _send(self, message):
        if self._outbox is not None:
            self._outbox.put(json.dumps(message) + '\n')

    def _write(self, proc, outbox):
        while True:
            line = outbox.get()
            if line is None:
                break
            try:
                proc.stdin.write(line)
                if outbox.empty():
                    proc.stdin.flush()
            except (OSError, ValueError) as exc:
                LOG.warning('%s: cannot reach the monitor process: %s',
                            self.name, exc)
                break
        try:
            proc.stdin.close()
        except (OSError, ValueError):
            pass

    def _read(self, proc):
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            kind = event.get('event')
            if kind == 'change':
                self._changed(event['host'], event['state'],
                              event['detail'])
            elif kind == 'stats':
                self._note_drops(event['stats'])
            elif kind == 'log':
                LOG.log(event.get('level', logging.INFO), '%s',
                        event.get('message'))
            elif kind == 'ready':
                self._addresses = {n: tuple(a) for n, a in
                                   event['addresses'].items()}
                self._ready.set()
        proc.wait()
        with self._lock:
            if self._stopping or self._proc is not proc:
                return
            LOG.error('%s: the monitor process exited (status %s); '
                      'starting it again with %d hosts', self.name,
                      proc.returncode, len(self._hosts))
            for name in self._states:
                self._states[name] = monitor_mod.OK
            time.sleep(0.5)
            self._spawn()

    def _note_drops(self, stats):
        """Log suspicious datagrams dropped since the last statistics, by
        reason: spoofed, replayed or damaged packets are worth a look."""
        grown = {reason: stats.get(reason, 0) - self.stats.get(reason, 0)
                 for reason in _SUSPICIOUS}
        grown = {reason: count for reason, count in grown.items()
                 if count > 0}
        if grown:
            LOG.warning('Heartbeat dropped %d datagrams in %.0f s (%s)',
                        sum(grown.values()), STATS_INTERVAL, ', '.join(
                            '%s %d' % item for item in sorted(grown.items())))
        self.stats.update(stats)

    def _changed(self, name, state, detail):
        with self._lock:
            if name not in self._hosts:
                return              # removed meanwhile
            self._states[name] = state
            self._details[name] = detail
        if self._on_change is not None:
            try:
                self._on_change(name, state, detail)
            except Exception:
                LOG.exception('Heartbeat on_change failed for %s', name)


class _PipeLog(logging.Handler):
    """Log records of the child, handed to the parent to log."""

    def __init__(self, write):
        super().__init__()
        self._write = write

    def emit(self, record):
        try:
            self._write({'event': 'log', 'level': record.levelno,
                         'message': record.getMessage()})
        except Exception:
            pass


# A busy controller must not make heartbeat late: the monitor asks the
# kernel for precedence over ordinary processes (it may, as root does).
NICENESS = -10


def _raise_priority():
    try:
        os.setpriority(os.PRIO_PROCESS, 0, NICENESS)
    except OSError as exc:
        logging.getLogger(__name__).info(
            'Heartbeat runs at normal priority (%s)', exc)


class _ChildMonitor(monitor_mod.Monitor):
    """The monitor, taking its commands on its own thread.

    A second thread reading commands would share the interpreter lock
    with the rounds: while thousands of hosts were added at once, each
    pulse's ``sendto`` gave the lock away for up to 5 ms, rounds ran
    hundreds of milliseconds late and replies overflowed the socket. Here
    the loop reads the command pipe like its sockets and handles a few
    commands at a time between its deadlines.
    """

    COMMANDS_PER_WAKE = 32

    def __init__(self, commands_fd, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._commands_fd = commands_fd
        self._partial = b''
        self._pending = collections.deque()
        self.finished = threading.Event()

    def _open(self):
        super()._open()
        os.set_blocking(self._commands_fd, False)
        self._watch(self._commands_fd, self._commands_readable)

    def _commands_readable(self, fd):
        try:
            data = os.read(fd, 1 << 16)
        except BlockingIOError:
            return
        if not data:                 # the parent is gone or done
            self._unwatch(fd)
            self.finished.set()
            return
        lines = (self._partial + data).split(b'\n')
        self._partial = lines.pop()
        for line in lines:
            try:
                self._pending.append(json.loads(line))
            except ValueError:
                continue

    def _timeout(self):
        return 0 if self._pending else super()._timeout()

    def _on_time(self, now):
        super()._on_time(now)
        for _ in range(min(self.COMMANDS_PER_WAKE, len(self._pending))):
            self._command(self._pending.popleft())

    def _command(self, command):
        op = command.get('op')
        if op == 'add':
            try:
                self.add_host(command['host'], command['networks'])
            except monitor_mod.HeartbeatConfigError as exc:
                LOG.error('%s', exc)
        elif op == 'remove':
            self.remove_host(command['host'])
        elif op == 'stop':
            self.finished.set()


def main():
    out = os.fdopen(os.dup(sys.stdout.fileno()), 'w')
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # Events go out through a thread of their own: heartbeat never waits
    # on a parent slow to read.
    outbox = queue.SimpleQueue()

    def write(message):
        outbox.put(json.dumps(message) + '\n')

    def writer():
        while True:
            line = outbox.get()
            if line is None:
                try:
                    out.flush()
                except (OSError, ValueError):
                    pass
                return
            try:
                out.write(line)
                if outbox.empty():
                    out.flush()
            except (OSError, ValueError):
                return
    writing = threading.Thread(target=writer, daemon=True, name='events')
    writing.start()

    root = logging.getLogger()
    root.addHandler(_PipeLog(write))
    root.setLevel(logging.INFO)
    _raise_priority()
    # The first line configures the monitor; the monitor's loop reads the
    # rest (the file object would buffer past it, so read it by hand).
    commands = sys.stdin.fileno()
    first = b''
    while not first.endswith(b'\n'):
        byte = os.read(commands, 1)
        if not byte:
            return
        first += byte
    command = json.loads(first)
    if command.get('op') != 'configure':
        LOG.error('The monitor process was not configured first')
        return
    settings = command['settings']
    monitor = _ChildMonitor(
        commands, bytes.fromhex(settings['key']),
        {n: tuple(a) for n, a in settings['networks'].items()},
        settings['sender'], settings['period_ms'],
        settings['minor'], settings['degrade'],
        settings['failure'], settings['reply_timeout_ms'],
        on_change=lambda host, state, detail: write(
            {'event': 'change', 'host': host, 'state': state,
             'detail': detail}))
    monitor.start()
    write({'event': 'ready', 'addresses': {
        n: list(a) for n, a in monitor.addresses.items()}})
    while not monitor.finished.wait(STATS_INTERVAL):
        write({'event': 'stats', 'stats': dict(monitor.stats)})
    monitor.stop()
    outbox.put(None)
    writing.join(5)


if __name__ == '__main__':
    main()
