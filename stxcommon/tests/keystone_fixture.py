"""A real Keystone for functional tests, shared by default across a run.

Keystone needs several seconds to bootstrap and start, so by default one
server per test process (an stestr worker) serves every test: it starts on the
first use and stops when the interpreter exits. Tests that need a pristine
server pass ``shared=False`` and pay the start-up themselves.
"""

import atexit
import os
import shutil
import tempfile
import threading

import fixtures
from keystoneauth1 import session as ks_session
from keystoneauth1.identity import v3

from stxcommon.keystone import server as ks_server

READER_USER = 'reader'
READER_PASSWORD = 'reader-password'

# bcrypt's cheapest cost: a password token in ~0.07 s instead of ~0.3 s.
# Only the hashing work changes; keystone behaves the same otherwise.
TEST_CONFIG = {'identity': {'password_hash_rounds': 4}}

_lock = threading.Lock()
_shared = None
_shared_error = None


def _provision(server):
    server.ensure_user(READER_USER, READER_PASSWORD, project='admin',
                       roles=('reader',))


def _stop_shared(server, owner_pid):
    # A forked child inherits this atexit hook: only the starter stops it.
    if os.getpid() != owner_pid:
        return
    server.stop()
    shutil.rmtree(server.state_dir, ignore_errors=True)


def shared_keystone():
    """Return this process's shared KeystoneServer, starting it if needed.

    A failed start is remembered and raised again at once, so that a broken
    Keystone costs one timeout per run rather than one per test.
    """
    global _shared, _shared_error
    with _lock:
        if _shared_error is not None:
            raise _shared_error
        if _shared is None:
            state_dir = tempfile.mkdtemp(prefix='stx-keystone-')
            server = ks_server.KeystoneServer(state_dir,
                                              config_overrides=TEST_CONFIG)
            try:
                server.start()
                _provision(server)
            except Exception as exc:
                server.stop()
                shutil.rmtree(state_dir, ignore_errors=True)
                _shared_error = exc
                raise
            atexit.register(_stop_shared, server, os.getpid())
            _shared = server
        return _shared


def credentials(auth_url, username, password, project='admin'):
    """Keyword arguments for keystoneauth1's v3.Password."""
    return {'auth_url': auth_url, 'username': username, 'password': password,
            'project_name': project, 'user_domain_name': 'Default',
            'project_domain_name': 'Default'}


class KeystoneFixture(fixtures.Fixture):
    """Exposes a running Keystone with an admin and a reader user.

    Attributes: ``server``, ``auth_url``, ``admin_credentials``,
    ``reader_credentials`` (dicts for ``v3.Password(**creds)``).
    """

    def __init__(self, shared=True):
        super().__init__()
        self.shared = shared

    def _setUp(self):
        if self.shared:
            self.server = shared_keystone()
        else:
            state_dir = self.useFixture(fixtures.TempDir()).path
            self.server = ks_server.KeystoneServer(
                state_dir, config_overrides=TEST_CONFIG)
            self.addCleanup(self.server.stop)
            self.server.start()
            _provision(self.server)
        self.auth_url = self.server.auth_url
        self.admin_credentials = credentials(
            self.auth_url, 'admin', self.server.admin_password)
        self.reader_credentials = credentials(
            self.auth_url, READER_USER, READER_PASSWORD)
        self._tokens = {}

    def credentials_for(self, user):
        return {'admin': self.admin_credentials,
                READER_USER: self.reader_credentials}[user]

    def session(self, user='admin', timeout=30):
        """A keystoneauth1 Session authenticated as ``user``."""
        auth = v3.Password(**self.credentials_for(user))
        return ks_session.Session(auth=auth, timeout=timeout)

    def token(self, user='admin'):
        """A project-scoped token for ``user``, issued once per fixture."""
        if user not in self._tokens:
            self._tokens[user] = self.session(user).get_token()
        return self._tokens[user]
