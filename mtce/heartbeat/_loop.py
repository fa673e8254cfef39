"""One thread and one selector serving many UDP sockets and a deadline.

Heartbeat must keep time while RabbitMQ, the database or the rest of the
process is busy or down, so it owns a plain thread instead of sharing an
executor; one thread for any number of sockets keeps a 1,000-host fleet
cheap.
"""

import collections
import logging
import selectors
import socket
import threading
import time

LOG = logging.getLogger(__name__)

# Big enough for a whole round of replies from a large fleet to wait while
# the loop is busy sending; the kernel caps it at net.core.rmem_max.
RECEIVE_BUFFER = 4 * 1024 * 1024
# Larger than any heartbeat packet, so an oversized datagram is seen as
# oversized rather than cut down to a plausible size.
READ_SIZE = 1024
# Datagrams read from one socket at a time, so that a flood cannot keep
# the loop from its deadlines.
READ_BATCH = 4096


def udp_socket(address, receive_buffer=None):
    """A non-blocking UDP socket bound to (host, port); port 0 picks one."""
    family = socket.AF_INET6 if ':' in address[0] else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_DGRAM)
    try:
        if receive_buffer:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF,
                            receive_buffer)
        sock.bind(tuple(address))
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


def multicast_socket(group, port, interface):
    """A non-blocking UDP socket taking ``group``:``port`` (IPv4) on the
    interface holding address ``interface``; port 0 picks one.

    Several sockets, of one process or many (hosts simulated on one
    machine), may take the same group and port: each gets every datagram.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((group, port))
        local = interface if interface not in ('', None) else '0.0.0.0'
        sock.setsockopt(socket.IPPROTO_IP, socket.IP_ADD_MEMBERSHIP,
                        socket.inet_aton(group) + socket.inet_aton(local))
        sock.setblocking(False)
    except OSError:
        sock.close()
        raise
    return sock


class SelectorLoop:
    """Start/stop plumbing; subclasses say what to watch and when to wake.

    Subclasses implement ``_open`` (create sockets, ``_watch`` them),
    ``_close`` (close them), and may implement ``_timeout`` (seconds to
    the next deadline, or None) and ``_on_time`` (called after every wake).
    """

    def __init__(self, name):
        self.name = name
        self._state_lock = threading.Lock()
        self._thread = None
        self._selector = None
        self._stopping = threading.Event()
        self._calls = collections.deque()
        self._wake_read = self._wake_write = None

    @property
    def running(self):
        return self._thread is not None

    def start(self):
        with self._state_lock:
            if self._thread is not None:
                raise RuntimeError('%s is already running' % self.name)
            self._stopping.clear()
            self._selector = selectors.DefaultSelector()
            self._wake_read, self._wake_write = socket.socketpair()
            self._wake_read.setblocking(False)
            self._wake_write.setblocking(False)
            self._selector.register(self._wake_read, selectors.EVENT_READ,
                                    self._drain_wake)
            try:
                self._open()
            except Exception:
                self._release()
                raise
            self._thread = threading.Thread(target=self._run, name=self.name,
                                            daemon=True)
            self._thread.start()

    def stop(self, timeout=5.0):
        """Stop the thread and close every socket; safe to call twice."""
        with self._state_lock:
            thread = self._thread
            if thread is None:
                return
            self._stopping.set()
            self._wake()
            thread.join(timeout)
            if thread.is_alive():
                LOG.error('%s did not stop within %.1f s', self.name,
                          timeout)
            self._thread = None
            self._release()

    def _release(self):
        # Calls still queued may close sockets that were removed meanwhile.
        while self._calls:
            try:
                self._calls.popleft()()
            except Exception:
                LOG.exception('%s: error while stopping', self.name)
        self._close()
        self._selector.close()
        self._wake_read.close()
        self._wake_write.close()
        self._selector = self._wake_read = self._wake_write = None

    def _watch(self, sock, on_readable):
        self._selector.register(sock, selectors.EVENT_READ, on_readable)

    def _unwatch(self, sock):
        self._selector.unregister(sock)

    def _call_in_loop(self, function):
        """Run ``function`` on the loop thread, which owns the selector."""
        self._calls.append(function)
        self._wake()

    def _wake(self):
        try:
            self._wake_write.send(b'\0')
        except (BlockingIOError, AttributeError):
            pass  # Already awake, or stopped meanwhile.

    def _drain_wake(self, sock):
        try:
            while sock.recv(512):
                pass
        except BlockingIOError:
            pass

    def _run(self):
        LOG.debug('%s started', self.name)
        while not self._stopping.is_set():
            try:
                self._once()
            except Exception:
                LOG.exception('%s: unexpected error, carrying on', self.name)
                self._stopping.wait(0.05)
        LOG.debug('%s stopped', self.name)

    def _once(self):
        timeout = self._timeout()
        if timeout is not None and timeout < 0:
            timeout = 0
        for key, _ in self._selector.select(timeout):
            key.data(key.fileobj)
        while self._calls:
            self._calls.popleft()()
        self._on_time(time.monotonic())

    def _open(self):
        raise NotImplementedError

    def _close(self):
        raise NotImplementedError

    def _timeout(self):
        return None

    def _on_time(self, now):
        pass
