"""Fixtures every service's unit tests build on.

A service's conf set up for tests (noauth, in-process broker), a sqlite
database migrated to head, and the two in-process transports. Compose them
into a fixture for the whole service, as fm/tests/unit/base.py does.
"""

import os
import socket
import time

import fixtures

from stxcommon.db import engine
from stxcommon import messaging

MEMORY_URL = 'kombu+memory:////'


class ServiceConf(fixtures.Fixture):
    """``new_conf()`` parsed with no files, for tests: noauth, memory broker.

    ``overrides`` is ``{(group_or_None, option): value}``.
    """

    def __init__(self, new_conf, project, overrides=None):
        self.new_conf = new_conf
        self.project = project
        self.overrides = overrides or {}

    def _setUp(self):
        self.conf = self.new_conf()
        self.conf([], project=self.project, default_config_files=[])
        self.conf.set_override('auth_strategy', 'noauth')
        self.conf.set_override('transport_url', MEMORY_URL)
        for (group, name), value in self.overrides.items():
            self.conf.set_override(name, value, group)
        self.addCleanup(self.conf.reset)


class SqliteDatabase(fixtures.Fixture):
    """A sqlite file in a temp dir, set in ``conf``, run through
    ``upgrade(database)`` (the service's migrations)."""

    def __init__(self, conf, upgrade):
        self.conf = conf
        self.upgrade = upgrade

    def _setUp(self):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'test.sqlite')
        self.conf.set_override('connection', 'sqlite:///' + path,
                               group='database')
        self.database = engine.Database(self.conf)
        self.addCleanup(self.database.dispose)
        self.upgrade(self.database)


class MemoryTransports(fixtures.Fixture):
    """RPC and notification transports on the in-process broker."""

    def __init__(self, conf):
        self.conf = conf

    def _setUp(self):
        self.notification = messaging.get_notification_transport(
            self.conf, url=MEMORY_URL)
        self.addCleanup(self.notification.cleanup)
        self.rpc = messaging.get_transport(self.conf, url=MEMORY_URL)
        self.addCleanup(self.rpc.cleanup)


def wait_for(predicate, timeout=10.0, interval=0.02):
    """Poll until ``predicate()`` is truthy; return its value."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError('condition not met within %.1fs' % timeout)
        time.sleep(interval)


def free_udp_port(address='127.0.0.1'):
    """A UDP port nothing listens on at ``address`` right now."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        sock.bind((address, 0))
        return sock.getsockname()[1]
    finally:
        sock.close()
