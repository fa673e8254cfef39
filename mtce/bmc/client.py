"""IPMI-over-LAN control of one host's BMC, with bounded calls.

Every call is carried out by a worker process of a :class:`WorkerPool`
(pyghmi never runs in the caller's process, see :mod:`mtce.bmc.ipmi`)
and returns or fails within ``timeout`` seconds: a BMC that does not
answer costs its caller the timeout, then the worker is killed.
"""

import logging
import threading
import time

from mtce.bmc import exceptions
from mtce.bmc import ipmi
from mtce.bmc import pool as worker_pool

LOG = logging.getLogger(__name__)

DEFAULT_PORT = 623
DEFAULT_TIMEOUT = 10.0

POWER_ON = 'on'
POWER_OFF = 'off'

_shared_pool = None
_shared_lock = threading.Lock()


def shared_pool():
    """The process's default pool (created on first use)."""
    global _shared_pool
    with _shared_lock:
        if _shared_pool is None:
            _shared_pool = worker_pool.WorkerPool()
        return _shared_pool


class BmcClient(object):
    """Power control and sensor readings of one BMC over IPMI 2.0 (lanplus).

    :param address: the BMC's IP address (or name).
    :param port: its UDP port.
    :param username: / :param password: an IPMI account (keyword only).
    :param timeout: seconds any one call may take, login included; past it
        the call raises :class:`BmcUnreachable`.
    :param pool: the :class:`WorkerPool` to use (the shared one if None).

    Thread-safe: calls from several threads run in parallel workers.
    """

    def __init__(self, address, port=DEFAULT_PORT, *, username, password,
                 timeout=DEFAULT_TIMEOUT, pool=None):
        if not address:
            raise ValueError('a BMC address is required')
        if timeout is None or timeout <= 0:
            raise ValueError('timeout must be a positive number of seconds')
        self.address = str(address)
        self.port = int(port)
        self.username = (username.decode('utf-8', 'replace')
                         if isinstance(username, bytes) else str(username))
        self._password = (password.decode('utf-8', 'replace')
                          if isinstance(password, bytes) else str(password))
        self.timeout = float(timeout)
        self._pool = pool

    def __repr__(self):
        return '<BmcClient %s user=%s>' % (self.endpoint, self.username)

    @property
    def endpoint(self):
        """'address:port', as every message of this client names the BMC."""
        return '%s:%d' % (self.address, self.port)

    def power_status(self):
        """'on' or 'off'."""
        return self._call('power_status')

    def power_on(self):
        """Power the host on (nothing happens when it is on)."""
        self._call('power_on')

    def power_off(self):
        """Hard power off (nothing happens when it is off)."""
        self._call('power_off')

    def power_reset(self):
        """Hard reset; a BMC refuses it while the host is off."""
        self._call('power_reset')

    def power_cycle(self):
        """Power off then on; a BMC refuses it while the host is off."""
        self._call('power_cycle')

    def sensors(self):
        """The BMC's sensors as a list of dicts in SDR order.

        Each: ``name``, ``type`` ('temperature', 'fan', 'voltage', ...),
        ``value`` (None when unavailable), ``unit``, ``state`` ('ok',
        'minor', 'major' or 'critical', from the BMC's threshold health),
        ``thresholds`` ({'upper_critical': 95.0, ...}, the readable ones),
        ``available`` and ``conditions`` (the BMC's state texts, e.g.
        'lower critical threshold').
        """
        return self._call('sensors')

    def _call(self, action):
        pool = self._pool or shared_pool()
        request = {'action': action, 'address': self.address,
                   'port': self.port, 'username': self.username,
                   'password': self._password}
        what = action.replace('_', ' ')
        started = time.monotonic()
        try:
            answer = pool.call(request, self.timeout)
        except worker_pool.Timeout:
            waited = time.monotonic() - started
            raise exceptions.BmcUnreachable(
                'BMC %s did not answer (%s) within %.1f s'
                % (self.endpoint, what, self.timeout),
                self.address, self.port, waited)
        except worker_pool.PoolBusy:
            raise exceptions.BmcError(
                'BMC %s: %s not tried: all %d BMC workers stayed busy for '
                '%.1f s' % (self.endpoint, what, pool.size, self.timeout),
                self.address, self.port)
        except worker_pool.WorkerLost:
            raise exceptions.BmcError(
                'BMC %s: %s failed: the BMC worker process exited'
                % (self.endpoint, what), self.address, self.port)
        LOG.debug('BMC %s: %s answered in %.1f ms', self.endpoint, what,
                  (time.monotonic() - started) * 1000)
        if 'error' not in answer:
            return answer.get('result')
        message = 'BMC %s %s' % (self.endpoint, answer.get('message'))
        kind = answer['error']
        if kind == ipmi.AUTH:
            raise exceptions.BmcAuthError(message, self.address, self.port)
        if kind == ipmi.UNREACHABLE:
            raise exceptions.BmcUnreachable(
                message, self.address, self.port,
                time.monotonic() - started)
        raise exceptions.BmcError(message, self.address, self.port)
