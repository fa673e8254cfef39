"""A real Keystone in a child process, with all of its state in one folder.

Keystone owns the global oslo.config object and its own ``[database]``, so it
runs in its own process: gunicorn from the current interpreter's environment
serving :mod:`stxcommon.keystone.wsgi`. The state folder holds the generated
keystone.conf, the sqlite database, the fernet and credential keys, the admin
password (0600), the logs and a marker with the URL the catalog was
bootstrapped with, so that a second start of the same folder reuses it all.
"""

import configparser
import grp
import io
import json
import logging
import os
import pwd
import secrets
import site
import signal
import socket
import subprocess
import sys
import time

import requests

from stxcommon.keystone import gunicorn_conf
from stxcommon.keystone import identity

LOG = logging.getLogger(__name__)

# The folder that holds the stxcommon package: gunicorn must import from it.
_PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# keystone.cmd.manage has no __main__ guard, and the console script may not
# sit next to sys.executable: call its main() with this interpreter.
_MANAGE = ('import sys; sys.argv[0] = "keystone-manage"; '
           'from stxcommon import backend; backend.init_threading(); '
           'from keystone.cmd.manage import main; sys.exit(main())')

CONF_NAME = 'keystone.conf'
MARKER_NAME = 'bootstrap.json'
PASSWORD_NAME = 'admin-password'
KEYSTONE_LOG = 'keystone.log'
SERVER_LOG = 'gunicorn.log'


class KeystoneServerError(RuntimeError):
    """Keystone could not be set up or did not come up."""


def free_port(host='127.0.0.1'):
    """Return a TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def _write_private(path, text):
    """Write ``text`` to ``path`` readable by the owner only (0600)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # the file may have existed with wider modes
    with os.fdopen(fd, 'w') as f:
        f.write(text)


def _tail(path, lines=40):
    try:
        with open(path, errors='replace') as f:
            return ''.join(f.readlines()[-lines:])
    except OSError:
        return ''


class KeystoneServer:
    """Bootstrap, start and stop one Keystone whose state is ``state_dir``.

    ``port=None`` reuses the port of an earlier bootstrap of ``state_dir`` (the
    catalog holds the URL) or picks a free one. ``admin_password=None`` reuses
    the stored password or generates one. ``config_overrides`` is
    ``{section: {option: value}}`` merged into the generated keystone.conf.
    With ``die_with_parent`` (the default) the server stops by itself once
    this process is gone, even if it was killed without running ``stop()``.
    """

    def __init__(self, state_dir, host='127.0.0.1', port=None,
                 region='RegionOne', admin_password=None,
                 config_overrides=None, workers=1, threads=2,
                 die_with_parent=True):
        self.state_dir = os.path.abspath(state_dir)
        self.host = host
        self.region = region
        self.workers = workers
        self.threads = threads
        self.die_with_parent = die_with_parent
        self.config_overrides = config_overrides or {}
        if port is None:
            port = self._read_marker().get('port') or free_port(host)
        self.port = int(port)
        self._admin_password = admin_password
        self._proc = None
        self._adapter = None

    # -- paths and properties -------------------------------------------

    def _path(self, name):
        return os.path.join(self.state_dir, name)

    @property
    def url(self):
        """The base URL, without the API version."""
        return 'http://%s:%d' % (self.host, self.port)

    @property
    def auth_url(self):
        return self.url + '/v3'

    @property
    def admin_password(self):
        """The admin password: given, stored in state_dir, or generated."""
        if self._admin_password is None:
            self._admin_password = (self._stored_password()
                                    or secrets.token_urlsafe(24))
        return self._admin_password

    @property
    def running(self):
        return self._proc is not None and self._proc.poll() is None

    # -- bootstrap ------------------------------------------------------

    def _read_marker(self):
        try:
            with open(self._path(MARKER_NAME)) as f:
                return json.load(f)
        except (OSError, ValueError):
            return {}

    def _stored_password(self):
        try:
            with open(self._path(PASSWORD_NAME)) as f:
                return f.read().strip()
        except OSError:
            return None

    def _write_config(self):
        conf = configparser.ConfigParser(interpolation=None)
        conf.read_dict({
            'DEFAULT': {'log_dir': self.state_dir,
                        'log_file': KEYSTONE_LOG,
                        'use_stderr': 'false'},
            'database': {'connection': 'sqlite:///' + self._path(
                'keystone.sqlite')},
            'token': {'provider': 'fernet'},
            'fernet_tokens': {'key_repository': self._path('fernet-keys')},
            'fernet_receipts': {'key_repository': self._path('fernet-keys')},
            'credential': {'key_repository': self._path('credential-keys')},
            # bcrypt reads 72 bytes at most; a larger limit warns on every
            # password check.
            'identity': {'max_password_length': '72'},
        })
        conf.read_dict({section: {k: str(v) for k, v in opts.items()}
                        for section, opts in self.config_overrides.items()})
        text = io.StringIO()
        conf.write(text)
        _write_private(self._path(CONF_NAME), text.getvalue())

    def _manage(self, *commands, env=None):
        """Run keystone-manage commands, concurrently, with this interpreter.

        Each command is a tuple of arguments. Most of keystone-manage's time
        is its import, so independent commands run side by side.
        """
        full_env = dict(self._child_env(), **(env or {}))
        running = []
        for args in commands:
            LOG.debug('Running keystone-manage %s', ' '.join(args))
            cmd = [sys.executable, '-c', _MANAGE,
                   '--config-file', self._path(CONF_NAME), *args]
            running.append((args, subprocess.Popen(
                cmd, env=full_env, cwd=self.state_dir,
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT, text=True)))
        failures = []
        for args, proc in running:
            output = proc.communicate()[0]
            if proc.returncode != 0:
                failures.append('keystone-manage %s failed (exit %d):\n%s' % (
                    args[0], proc.returncode, output[-4000:]))
        if failures:
            raise KeystoneServerError('\n'.join(failures) + '\n--- %s ---\n%s'
                                      % (KEYSTONE_LOG,
                                         _tail(self._path(KEYSTONE_LOG))))

    def _owner_args(self):
        # As root, fernet_setup and credential_setup insist on an owner.
        return ['--keystone-user', pwd.getpwuid(os.geteuid()).pw_name,
                '--keystone-group', grp.getgrgid(os.getegid()).gr_name]

    def _run_bootstrap(self, password):
        env = {'OS_BOOTSTRAP_PASSWORD': password}  # not on the command line
        self._manage(('bootstrap',
                      '--bootstrap-username', 'admin',
                      '--bootstrap-project-name', 'admin',
                      '--bootstrap-role-name', 'admin',
                      '--bootstrap-service-name', 'keystone',
                      '--bootstrap-region-id', self.region,
                      '--bootstrap-admin-url', self.auth_url,
                      '--bootstrap-internal-url', self.auth_url,
                      '--bootstrap-public-url', self.auth_url),
                     env=env)

    def bootstrap(self):
        """Set up state_dir on first use; later calls only reconcile.

        The full sequence (db_sync, fernet_setup, credential_setup, bootstrap)
        runs once, then a marker records it. Later calls rewrite keystone.conf
        and rerun ``keystone-manage bootstrap`` only when the URL, region or
        admin password differ from what was bootstrapped (it updates the
        identity endpoints and resets the admin password in place).
        """
        os.makedirs(self.state_dir, mode=0o700, exist_ok=True)
        self._write_config()
        password = self.admin_password
        wanted = {'host': self.host, 'port': self.port,
                  'region': self.region, 'auth_url': self.auth_url}
        marker = self._read_marker()
        started = time.monotonic()
        if not marker:
            LOG.info('Bootstrapping Keystone in %s', self.state_dir)
            # Independent of each other: the keys are files, not rows.
            self._manage(('db_sync',),
                         ('fernet_setup', *self._owner_args()),
                         ('credential_setup', *self._owner_args()))
        elif (all(marker.get(k) == v for k, v in wanted.items())
              and self._stored_password() == password):
            return False
        else:
            LOG.info('Re-bootstrapping Keystone in %s: URL, region or admin '
                     'password changed', self.state_dir)
        self._run_bootstrap(password)
        _write_private(self._path(PASSWORD_NAME), password + '\n')
        wanted['bootstrapped_at'] = time.strftime('%Y-%m-%dT%H:%M:%S%z')
        _write_private(self._path(MARKER_NAME), json.dumps(wanted, indent=1))
        self._adapter = None  # its token may predate a password change
        LOG.info('Keystone bootstrap done in %.1f s',
                 time.monotonic() - started)
        return True

    # -- process --------------------------------------------------------

    def _child_env(self):
        env = dict(os.environ,
                   OS_KEYSTONE_CONFIG_DIR=self.state_dir,
                   OS_KEYSTONE_CONFIG_FILES=CONF_NAME)
        path = env.get('PYTHONPATH', '')
        # A source checkout is not on the child's path; an install is.
        if (_PROJECT_ROOT not in site.getsitepackages()
                and _PROJECT_ROOT not in path.split(os.pathsep)):
            env['PYTHONPATH'] = os.pathsep.join(
                p for p in (_PROJECT_ROOT, path) if p)
        return env

    def start(self, timeout=60):
        """Bootstrap if needed, start gunicorn, wait until /v3 answers 200."""
        if self.running:
            return
        self._check_port_free()
        self.bootstrap()
        cmd = [sys.executable, '-m', 'gunicorn',
               '--bind', '%s:%d' % (self.host, self.port),
               '--workers', str(self.workers),
               '--threads', str(self.threads),
               '--timeout', '120', '--graceful-timeout', '5',
               '--pid', self._path('gunicorn.pid'),
               '--error-logfile', '-',
               '--config', 'python:' + gunicorn_conf.__name__,
               *self._control_socket_args(),
               'stxcommon.keystone.wsgi:application']
        env = self._child_env()
        env.pop(gunicorn_conf.PARENT_ENV, None)
        if self.die_with_parent:
            env[gunicorn_conf.PARENT_ENV] = str(os.getpid())
        started = time.monotonic()
        with open(self._path(SERVER_LOG), 'ab') as log:
            self._proc = subprocess.Popen(
                cmd, env=env, cwd=self.state_dir,
                stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                start_new_session=True)  # own process group, for stop()
        LOG.info('Started Keystone (pid %d) at %s', self._proc.pid,
                 self.auth_url)
        try:
            self._wait_ready(timeout)
        except Exception:
            self.stop()
            raise
        LOG.info('Keystone answered after %.1f s',
                 time.monotonic() - started)

    def _check_port_free(self):
        # Else the readiness probe could get its 200 from whoever holds the
        # port (say, a Keystone orphaned by a killed test run) while our
        # gunicorn retries the bind and gives up.
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                sock.bind((self.host, self.port))
            except OSError as exc:
                raise KeystoneServerError(
                    'Cannot start Keystone for %s: %s:%d is in use (%s). An '
                    'earlier server of this folder may still run: see %s.' % (
                        self.state_dir, self.host, self.port, exc.strerror,
                        self._path('gunicorn.pid'))) from exc

    def _control_socket_args(self):
        # gunicorn 27 otherwise puts its control socket under ~/.gunicorn,
        # shared by every server of the user. A unix socket path is limited
        # to about 107 bytes; beyond, gunicorn only logs an error: go without.
        path = self._path('gunicorn.ctl')
        if len(os.fsencode(path)) > 100:
            return ['--no-control-socket']
        return ['--control-socket', path]

    def _wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        last = 'no answer'
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                last = 'gunicorn exited with %d' % self._proc.returncode
                break
            try:
                resp = requests.get(self.auth_url, timeout=2)
                if resp.status_code == 200:
                    return
                last = 'HTTP %d' % resp.status_code
            except requests.RequestException as exc:
                last = exc.__class__.__name__
            time.sleep(0.2)
        raise KeystoneServerError(
            'Keystone at %s did not come up (%s).\n--- %s ---\n%s'
            '--- %s ---\n%s' % (
                self.auth_url, last, SERVER_LOG,
                _tail(self._path(SERVER_LOG)), KEYSTONE_LOG,
                _tail(self._path(KEYSTONE_LOG))))

    def stop(self, grace=10):
        """Stop the process group: SIGTERM, then SIGKILL after ``grace``."""
        proc, self._proc = self._proc, None
        if self._adapter is not None:
            # An idle keep-alive connection holds up gunicorn's graceful exit.
            self._adapter.session.session.close()
            self._adapter = None
        if proc is None:
            return
        if proc.poll() is None:
            self._signal_group(proc, signal.SIGTERM)
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                LOG.warning('Keystone (pid %d) ignored SIGTERM; killing',
                            proc.pid)
        # Workers may outlive the master; the group goes in any case.
        self._signal_group(proc, signal.SIGKILL)
        proc.wait()
        LOG.info('Stopped Keystone (pid %d)', proc.pid)

    @staticmethod
    def _signal_group(proc, sig):
        try:
            os.killpg(proc.pid, sig)  # start_new_session: pgid == pid
        except ProcessLookupError:
            pass

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()

    # -- provisioning ---------------------------------------------------

    def admin_adapter(self):
        """A keystoneauth1 Adapter on the identity API, as admin.

        Kept for the server's life: one admin token serves every call
        (keystoneauth1 gets a new one when it expires).
        """
        if self._adapter is None:
            self._adapter = identity.admin_adapter(
                self.auth_url, 'admin', self.admin_password)
        return self._adapter

    def ensure_user(self, name, password, project='admin',
                    roles=('reader',)):
        """Create the user if missing and grant ``roles``; return its id."""
        return identity.ensure_user(self.admin_adapter(), name, password,
                                    project=project, roles=roles)

    def ensure_service_endpoint(self, service_type, service_name, url,
                                region=None,
                                interfaces=('public', 'internal', 'admin'),
                                description=''):
        """Register a service and its endpoints in the catalog, once."""
        return identity.ensure_service_endpoint(
            self.admin_adapter(), service_type, service_name, url,
            region or self.region, interfaces=interfaces,
            description=description)

    def write_openrc(self, path, username='admin', password=None,
                     project='admin'):
        """Write a 0600 openrc for ``username`` (admin by default)."""
        if password is None:
            if username != 'admin':
                raise ValueError('password is required for %s' % username)
            password = self.admin_password
        values = {
            'OS_AUTH_URL': self.auth_url,
            'OS_USERNAME': username,
            'OS_PASSWORD': password,
            'OS_PROJECT_NAME': project,
            'OS_USER_DOMAIN_NAME': 'Default',
            'OS_PROJECT_DOMAIN_NAME': 'Default',
            'OS_REGION_NAME': self.region,
            'OS_IDENTITY_API_VERSION': '3',
            'OS_INTERFACE': 'public',
        }
        text = ''.join("export %s='%s'\n" % (k, v.replace("'", "'\\''"))
                       for k, v in values.items())
        _write_private(path, text)
