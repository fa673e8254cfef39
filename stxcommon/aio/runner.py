"""Start Keystone and every plugged-in service; stop them all on demand.

Keystone runs as a child process (it owns the global oslo.config object);
each service's REST API runs in cheroot threads and its background services
as threads of this process, sharing one in-process transport unless a broker
URL is given. Everything lives in the state folder, so a second start reuses
the Keystone bootstrap, the admin password and the databases.
"""

import fcntl
import logging
import os
import socket
import threading
import time
from urllib import parse

from stxcommon import aio
from stxcommon.keystone import server as ks_server
from stxcommon import service

LOG = logging.getLogger(__name__)

DEFAULT_KEYSTONE_PORT = 5000
MEMORY_TRANSPORT = 'kombu+memory:////'
KEYSTONE_DIR = 'keystone'
OPENRC = 'openrc'
ADMIN_USER = 'admin'
LOCK_FILE = 'stx-aio.lock'


class StartupError(RuntimeError):
    """The all-in-one cannot start; the message says why and what to do."""


class StartCancelled(Exception):
    """A stop was requested while starting."""


def port_free(host, port):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def redact_url(url):
    """``url`` without its password, for logs and the console."""
    parts = parse.urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(':%s@' % parts.password, ':***@', 1)
    return parse.urlunsplit(parts._replace(netloc=netloc))


class _Running:
    """One plugin once built: its API server and background services."""

    def __init__(self, plugin, parts, api, port):
        self.plugin = plugin
        self.parts = parts
        self.api = api
        self.port = port  # as asked; api.port is the bound one
        self.url = None
        self.started = []


class Runner:
    """The all-in-one; ``start()``, then ``wait()``, then ``stop()``."""

    def __init__(self, state_dir, plugins, host='127.0.0.1',
                 keystone_port=DEFAULT_KEYSTONE_PORT, transport_url=None,
                 ports=None, region='RegionOne', options=None):
        self.state_dir = os.path.abspath(state_dir)
        self.plugins = dict(sorted(plugins.items(),
                                   key=lambda item: (item[1].order, item[0])))
        self.options = dict(options or {})
        self.host = host
        self.keystone_port = keystone_port
        self.transport_url = transport_url or MEMORY_TRANSPORT
        self.ports = dict(ports or {})
        self.region = region
        self.keystone = None
        self.running = []
        self.failure = None
        self._build_error = None
        self._lock_fd = None
        self._done = threading.Event()
        self._watcher = None

    # -- start ----------------------------------------------------------

    def start(self):
        os.makedirs(self.state_dir, mode=0o700, exist_ok=True)
        self._lock()
        self._check_service_ports()
        self.keystone = self._keystone_server()
        # The password is generated (first start) or read here; Keystone's
        # bootstrap stores this same value.
        creds = aio.Keystone(auth_url=self.keystone.auth_url,
                             region=self.region, username=ADMIN_USER,
                             password=self.keystone.admin_password)
        # Configuring and migrating the services needs no running Keystone:
        # do it while Keystone bootstraps and starts.
        builder = threading.Thread(target=self._build_all, args=(creds,),
                                   name='aio-build', daemon=True)
        builder.start()
        try:
            self._start_keystone()
        finally:
            builder.join()
        if self._build_error is not None:
            raise self._build_error
        self._check_cancelled()
        self.keystone.write_openrc(os.path.join(self.state_dir, OPENRC))
        for running in self.running:
            self._serve(running)
        for running in self.running:
            self._check_cancelled()
            for svc in running.parts.services:
                svc.start()
                running.started.append(svc)
        self._check_cancelled()
        self._watcher = threading.Thread(target=self._watch_keystone,
                                         name='keystone-watch', daemon=True)
        self._watcher.start()

    def _check_cancelled(self):
        # A stop requested while starting is honoured between steps, not
        # inside one: interrupting keystone-manage would orphan it and
        # leave a half-bootstrapped Keystone.
        if self._done.is_set():
            raise StartCancelled()

    def _check_service_ports(self):
        """Fail before the slow Keystone start if a service port is taken."""
        for name, plugin in self.plugins.items():
            port = self.ports.get(name, plugin.default_port)
            if port and not port_free(self.host, port):
                raise StartupError(
                    '%s cannot listen on %s:%d: the port is in use. Pick '
                    'another port with --port %s=PORT (0 picks a free one).'
                    % (name, self.host, port, name))

    def _lock(self):
        """One stx-aio per state folder: a second would re-bootstrap the
        first one's Keystone on another port. The lock goes with the
        process, however it ends."""
        path = os.path.join(self.state_dir, LOCK_FILE)
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            with os.fdopen(fd) as f:
                holder = f.read().strip() or 'another process'
            raise StartupError(
                'Another stx-aio (pid %s) already runs with %s: stop it '
                'first, or use another --state-dir.' % (holder,
                                                        self.state_dir))
        os.ftruncate(fd, 0)
        os.write(fd, b'%d\n' % os.getpid())
        self._lock_fd = fd

    def _keystone_server(self):
        ks_dir = os.path.join(self.state_dir, KEYSTONE_DIR)
        port = self.keystone_port
        if port == 0:
            # Reuse the port of the last start (no re-bootstrap) if free.
            earlier = ks_server.KeystoneServer(ks_dir, self.host,
                                               region=self.region)
            port = earlier.port
            if not port_free(self.host, port):
                port = ks_server.free_port(self.host)
        elif not port_free(self.host, port):
            raise StartupError(
                'Keystone cannot listen on %s:%d: the port is in use. Stop '
                'whatever holds it, or pick another port with --keystone-port '
                'PORT (0 picks a free one).' % (self.host, port))
        return ks_server.KeystoneServer(ks_dir, self.host, port,
                                        region=self.region)

    def _start_keystone(self):
        started = time.monotonic()
        try:
            self.keystone.start(timeout=90)
        except ks_server.KeystoneServerError as exc:
            raise StartupError('Keystone did not start: %s' % exc) from exc
        LOG.info('Keystone up at %s after %.1f s', self.keystone.auth_url,
                 time.monotonic() - started)

    def _build_all(self, creds):
        try:
            for name, plugin in self.plugins.items():
                self._build(name, plugin, creds)
        except Exception as exc:
            LOG.exception('Building the services failed')
            self._build_error = exc

    def _build(self, name, plugin, creds):
        port = self.ports.get(name, plugin.default_port)
        context = aio.Context(name=name, state_dir=self.state_dir,
                              host=self.host, port=port,
                              transport_url=self.transport_url,
                              keystone=creds, options=self.options)
        started = time.monotonic()
        parts = plugin.build(context)
        LOG.info('%s built (config, database) in %.1f s', name,
                 time.monotonic() - started)
        api = None
        if plugin.service_type is not None:
            api = service.WSGIService('%s-api' % name, parts.app_factory,
                                      self.host, port, parts.threads)
        self.running.append(_Running(plugin, parts, api, port))

    def _serve(self, running):
        name = running.plugin.name
        if running.api is None:
            return
        try:
            running.api.start()
        except OSError as exc:
            running.api = None
            raise StartupError(
                '%s cannot listen on %s:%s (%s). Pick another port with '
                '--port %s=PORT (0 picks a free one).' % (
                    name, self.host, running.port, exc.strerror or exc,
                    name)) from exc
        running.url = running.plugin.endpoint_url(self.host, running.api.port)
        self.keystone.ensure_service_endpoint(
            running.plugin.service_type, name, running.url,
            description=running.plugin.description)
        LOG.info('%s (%s) registered at %s', name,
                 running.plugin.service_type, running.url)

    # -- watch, wait, stop ----------------------------------------------

    def _watch_keystone(self):
        while not self._done.wait(1.0):
            keystone = self.keystone
            if keystone is not None and not keystone.running:
                self.failure = (
                    'Keystone (the child process serving %s) died; see %s. '
                    'Shutting down.' % (
                        keystone.auth_url,
                        os.path.join(keystone.state_dir, 'gunicorn.log')))
                LOG.critical(self.failure)
                self._done.set()

    def request_stop(self):
        self._done.set()

    def wait(self):
        """Block until :meth:`request_stop` or Keystone's death."""
        while not self._done.wait(1.0):
            pass

    def stop(self):
        """Stop services, then APIs, then Keystone; never raises."""
        self._done.set()
        for running in reversed(self.running):
            for svc in reversed(running.started):
                self._quietly('stop %s' % svc.__class__.__name__, svc.stop)
            running.started = []
            if running.api is not None:
                self._quietly('stop %s API' % running.plugin.name,
                              running.api.stop)
                running.api = None
            for cleanup in reversed(running.parts.cleanups):
                self._quietly('clean up %s' % running.plugin.name, cleanup)
            running.parts.cleanups = []
        if self.keystone is not None:
            self._quietly('stop Keystone', self.keystone.stop)
        if self._lock_fd is not None:
            os.close(self._lock_fd)  # releases the lock
            self._lock_fd = None

    @staticmethod
    def _quietly(what, func):
        started = time.monotonic()
        try:
            func()
        except Exception:
            LOG.exception('Failed to %s', what)
        LOG.debug('%s took %.2f s', what, time.monotonic() - started)

    # -- reporting ------------------------------------------------------

    def summary(self):
        """Lines for the console: where everything is (no secrets)."""
        lines = ['identity: %s' % self.keystone.auth_url]
        for running in self.running:
            if running.api is None and running.url is None:
                lines.append('%s: %s' % (running.plugin.name,
                                         running.parts.summary))
                continue
            lines.append('%s (%s): %s' % (running.plugin.name,
                                          running.plugin.service_type,
                                          running.url))
        lines += [
            'transport: %s' % redact_url(self.transport_url),
            'state: %s' % self.state_dir,
            'logs: %s, Keystone: %s' % (
                os.path.join(self.state_dir, 'logs'),
                os.path.join(self.state_dir, KEYSTONE_DIR)),
            'credentials: source %s' % os.path.join(self.state_dir, OPENRC),
        ]
        return lines
