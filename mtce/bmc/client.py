"""IPMI-over-LAN control of one host's BMC, built on pyghmi.

pyghmi is written for callers that can wait: a BMC that stops answering
holds a call for 5 s (login) to 30 s (a command), a refused login can
surface as an AttributeError when another thread in the process runs
pyghmi's event loop (as hostsim's simulated BMCs do in the all-in-one),
and its errors are bare strings.  mtce needs bounded calls and errors it
can act on, so every pyghmi call runs here on a worker thread the caller
waits for at most ``timeout`` seconds, the login is asynchronous (its
callback gets the refusal reason before pyghmi can lose it), and whatever
pyghmi raises becomes a :class:`BmcError`.
"""

import logging
import threading
import time

import pyghmi.exceptions as pyghmi_exceptions
import pyghmi.ipmi.command as ipmi_command
import pyghmi.ipmi.private.session as ipmi_session

from mtce.bmc import exceptions
from mtce.bmc import sensors as sensor_readings

LOG = logging.getLogger(__name__)

DEFAULT_PORT = 623
DEFAULT_TIMEOUT = 10.0
# BMCs close a session after about 60 s without traffic, and pyghmi only
# sends keep-alives while some thread runs its event loop: a session idle
# for longer than this is replaced by a fresh login instead of trusted.
IDLE_RELOGIN_SECONDS = 25.0

POWER_ON = 'on'
POWER_OFF = 'off'

# How long one pass of pyghmi's event loop may block while logging in:
# when another thread (hostsim's pump) handles the answer, this one only
# notices at the end of its pass.
_EVENT_LOOP_SLICE = 0.02
# Logins that end without a reason are tried this often in all.
_LOGIN_ATTEMPTS = 3
_LOGIN_RETRY_PAUSE = 0.05
# Chassis Control (netfn 00h, command 02h) data byte for a power cycle,
# which pyghmi's set_power() does not offer.
_NETFN_CHASSIS = 0x00
_CMD_CHASSIS_CONTROL = 0x02
_CHASSIS_POWER_CYCLE = 0x02

# Lower-case fragments of pyghmi's login refusals that mean bad credentials
# (pyghmi.ipmi.private.constants.rmcp_codes and session.py).
_AUTH_REFUSALS = ('password', 'unauthorized name', 'invalid username',
                  'unauthorized role', 'invalid role')
# ... and those that mean the BMC never completed the exchange.
_NO_ANSWER = ('timeout', 'failed to initialize')
_SESSION_LOST = 'session no longer connected'


class _LoginRefused(Exception):
    """pyghmi's reason for a failed login (internal)."""


class _SessionLost(Exception):
    """The session broke under a command; a fresh login may help."""


def _to_bytes(value):
    # pyghmi keys its table of logins in progress by the credentials as
    # given but removes entries by their utf-8 encoding: str credentials
    # leave a stale entry that makes the next login to that BMC hang.
    if isinstance(value, bytes):
        return value
    return str(value).encode('utf-8')


class BmcClient(object):
    """Power control and sensor readings of one BMC over IPMI 2.0 (lanplus).

    :param address: the BMC's IP address (or name).
    :param port: its UDP port.
    :param username: / :param password: an IPMI account (str or bytes).
    :param timeout: seconds any one call may take, login included; past it
        the call raises :class:`BmcUnreachable`.

    The session is opened by the first call, kept for the next ones and
    opened again (once per call) when it breaks.  One lock serialises the
    calls on a client; clients of different BMCs work in parallel.  pyghmi
    shares one session between clients with the same BMC and credentials,
    so :meth:`close` on one makes the other log in again.
    """

    idle_relogin_seconds = IDLE_RELOGIN_SECONDS

    def __init__(self, address, port=DEFAULT_PORT, *, username, password,
                 timeout=DEFAULT_TIMEOUT):
        if not address:
            raise ValueError('a BMC address is required')
        if timeout is None or timeout <= 0:
            raise ValueError('timeout must be a positive number of seconds')
        self.address = address
        self.port = int(port)
        self.username = (username.decode('utf-8', 'replace')
                         if isinstance(username, bytes) else str(username))
        self.timeout = float(timeout)
        self._userid = _to_bytes(username)
        self._password = _to_bytes(password)
        self._lock = threading.Lock()
        self._command = None
        self._last_used = 0.0
        self._thresholds = {}

    def __repr__(self):
        return '<BmcClient %s user=%s>' % (self.endpoint, self.username)

    @property
    def endpoint(self):
        """'address:port', as every message of this client names the BMC."""
        return '%s:%d' % (self.address, self.port)

    # -- public API ----------------------------------------------------

    def power_status(self):
        """'on' or 'off'."""
        return self._call('power status',
                          lambda command: command.get_power()['powerstate'])

    def power_on(self):
        """Power the host on (nothing happens when it is on)."""
        self._call('power on', lambda command: _set_power(command, 'on'))

    def power_off(self):
        """Hard power off (nothing happens when it is off)."""
        self._call('power off', lambda command: _set_power(command, 'off'))

    def power_reset(self):
        """Hard reset; a BMC refuses it while the host is off."""
        self._call('power reset',
                   lambda command: _set_power(command, 'reset'))

    def power_cycle(self):
        """Power off then on; a BMC refuses it while the host is off."""
        self._call('power cycle', _power_cycle)

    def sensors(self):
        """The BMC's sensors as a list of dicts in SDR order.

        Each: ``name``, ``type`` ('temperature', 'fan', 'voltage', ...),
        ``value`` (None when unavailable), ``unit``, ``state`` ('ok',
        'minor', 'major' or 'critical', from the BMC's threshold health),
        ``thresholds`` ({'upper_critical': 95.0, ...}, the readable ones),
        ``available`` and ``conditions`` (pyghmi's state texts, e.g.
        'lower critical threshold').
        """
        return self._call('sensor read', lambda command: (
            sensor_readings.read_sensors(command, self._thresholds)))

    def close(self):
        """Log out of the BMC; a later call logs in again."""
        with self._lock:
            command, self._command = self._command, None
            if command is not None:
                self._logout(command)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    # -- calls, sessions and deadlines -----------------------------------

    def _call(self, action, operation):
        started = time.monotonic()
        deadline = started + self.timeout
        with self._lock:
            relogged = False
            while True:
                command = self._session(action, started, deadline)
                try:
                    result = self._bounded(action, operation, (command,),
                                           started, deadline)
                except _SessionLost:
                    self._command = None
                    if relogged or time.monotonic() >= deadline:
                        raise exceptions.BmcError(
                            'BMC %s: %s failed: the session broke and a '
                            'new login did not keep it'
                            % (self.endpoint, action),
                            self.address, self.port)
                    LOG.info('BMC %s: session lost during %s, logging in '
                             'again', self.endpoint, action)
                    relogged = True
                    continue
                self._last_used = time.monotonic()
                return result

    def _session(self, action, started, deadline):
        """A logged-in pyghmi Command, reused while it is healthy."""
        command = self._command
        if command is not None:
            session = command.ipmi_session
            idle = time.monotonic() - self._last_used
            if session.broken or not session.logged:
                LOG.debug('BMC %s: session broken, logging in again',
                          self.endpoint)
                self._command = command = None
            elif idle > self.idle_relogin_seconds:
                LOG.debug('BMC %s: session idle for %.0f s, logging in '
                          'again', self.endpoint, idle)
                self._command = command = None
                self._logout_quietly(session)
        if command is None:
            login_started = time.monotonic()
            command = self._bounded(action, self._login, (deadline,),
                                    started, deadline)
            if command is None:     # the login ran out of time
                raise self._unreachable(action, started)
            LOG.debug('BMC %s: logged in as %s in %.1f ms', self.endpoint,
                      self.username,
                      (time.monotonic() - login_started) * 1000)
            self._command = command
            self._last_used = time.monotonic()
            self._thresholds.clear()
        return command

    def _bounded(self, action, function, args, started, deadline):
        """Run ``function(*args)`` on a worker thread until ``deadline``.

        A command that outlives the deadline has its session abandoned
        (see :func:`_abandon`); the next call logs in afresh.
        """
        outcome = {}
        finished = threading.Event()

        def work():
            try:
                outcome['result'] = function(*args)
            except BaseException as exc:    # handed to the caller
                outcome['error'] = exc
            finally:
                finished.set()

        worker = threading.Thread(
            target=work, daemon=True,
            name='bmc-%s-%s' % (self.endpoint, action.replace(' ', '-')))
        worker.start()
        if not finished.wait(max(0.0, deadline - time.monotonic())):
            if args and hasattr(args[0], 'ipmi_session'):
                _abandon(args[0].ipmi_session)
            self._command = None
            raise self._unreachable(action, started)
        if 'error' in outcome:
            raise self._translate(action, outcome['error'], started)
        return outcome['result']

    def _login(self, deadline):
        """Open a session, asking again when pyghmi gave no reason.

        pyghmi hands a new login the session of an earlier one with the
        same credentials while that one is still failing, and its waiters
        then hear only 'Session failed to initialize'; a fresh attempt
        gets the BMC's own answer (a refusal, or silence until the
        deadline).
        """
        for _attempt in range(_LOGIN_ATTEMPTS - 1):
            try:
                return self._login_once(deadline)
            except _LoginRefused as exc:
                if 'failed to initialize' not in str(exc).lower() or \
                        time.monotonic() + _LOGIN_RETRY_PAUSE >= deadline:
                    raise
                time.sleep(_LOGIN_RETRY_PAUSE)
        return self._login_once(deadline)

    def _login_once(self, deadline):
        """Open a session; runs on a worker thread.

        The login is started asynchronously: pyghmi calls ``logged_in``
        with the refusal reason before it marks the session broken, while
        its synchronous constructor reads the reason afterwards and, with
        another thread running pyghmi's event loop, can find none yet
        (AttributeError 'errormsg').
        """
        response = {}
        answered = threading.Event()

        def logged_in(result, command):
            response.update(result)
            answered.set()

        command = None
        try:
            command = ipmi_command.Command(
                bmc=self.address, port=self.port, userid=self._userid,
                password=self._password, onlogon=logged_in)
        except Exception as exc:
            # Raised after pyghmi already called logged_in(), or for a
            # failure before any packet went out (e.g. an unknown name).
            if not answered.is_set():
                raise _LoginRefused(str(exc) or type(exc).__name__)
        while not answered.is_set():
            if time.monotonic() >= deadline:
                # the caller has given up: stop pyghmi's retries
                if command is not None:
                    self._logout_quietly(command.ipmi_session)
                return None
            ipmi_session.Session.wait_for_rsp(timeout=_EVENT_LOOP_SLICE)
        if 'error' in response:
            raise _LoginRefused(str(response['error']))
        return command

    def _logout(self, command):
        started = time.monotonic()
        try:
            self._bounded('logout', self._logout_quietly,
                          (command.ipmi_session,), started,
                          started + self.timeout)
        except exceptions.BmcError as exc:
            LOG.debug('BMC %s: logout failed: %s', self.endpoint, exc)

    def _logout_quietly(self, session):
        # logout() sends Close Session without waiting for the answer
        try:
            session.logout()
        except Exception:
            LOG.debug('BMC %s: logout failed', self.endpoint, exc_info=True)

    # -- errors ------------------------------------------------------------

    def _unreachable(self, action, started):
        waited = time.monotonic() - started
        return exceptions.BmcUnreachable(
            'BMC %s did not answer (%s) within %.1f s'
            % (self.endpoint, action, waited),
            self.address, self.port, waited)

    def _translate(self, action, error, started):
        """The BmcError for whatever a pyghmi call raised."""
        if isinstance(error, (exceptions.BmcError, _SessionLost)):
            return error
        if isinstance(error, _LoginRefused):
            reason = str(error)
            lowered = reason.lower()
            if any(text in lowered for text in _AUTH_REFUSALS):
                return exceptions.BmcAuthError(
                    'BMC %s refused the login of user %r: wrong user name '
                    'or password (%s)' % (self.endpoint, self.username,
                                         reason),
                    self.address, self.port)
            if any(text in lowered for text in _NO_ANSWER):
                waited = time.monotonic() - started
                return exceptions.BmcUnreachable(
                    'BMC %s did not answer the login (%s); gave up after '
                    '%.1f s' % (self.endpoint, reason, waited),
                    self.address, self.port, waited)
            return exceptions.BmcError(
                'BMC %s: login failed: %s' % (self.endpoint, reason),
                self.address, self.port)
        if isinstance(error, pyghmi_exceptions.IpmiException):
            if _SESSION_LOST in str(error).lower():
                return _SessionLost(str(error))
            return exceptions.BmcError(
                'BMC %s refused %s: %s' % (self.endpoint, action, error),
                self.address, self.port)
        if not isinstance(error, Exception):
            return error            # KeyboardInterrupt, SystemExit
        # pyghmi's own bugs (AttributeError, struct.error, ...) must not
        # reach mtce's state machines as anything but a BMC failure.
        LOG.debug('BMC %s: %s failed inside pyghmi', self.endpoint, action,
                  exc_info=error)
        return exceptions.BmcError(
            'BMC %s: %s failed: %s: %s' % (self.endpoint, action,
                                           type(error).__name__, error),
            self.address, self.port)


def _abandon(session):
    """Stop a session whose command the caller gave up on.

    pyghmi retries a silent BMC for up to 30 s (after a BMC restart it
    then logs in again by itself, 20 s more) and meanwhile hands the same
    session to every new login with the same credentials, so the next call
    would queue behind the stuck command.  pyghmi has no public call for
    this: logout() first waits for the command in flight, and a later
    logout() of an old session removes whichever session now holds its
    (BMC, local port) slot in pyghmi's routing table, the new one included.
    Marked like this the stuck wait ends at its next retry ('Session no
    longer connected'), pyghmi's session lookup discards it, its retries
    stop, and pyghmi's own clean-up leaves the routing table alone.
    """
    session.lastpayload = None
    session.logging = False
    session.logged = 0
    session.broken = True


def _set_power(command, state):
    response = command.set_power(state)
    if isinstance(response, dict) and 'error' in response:
        raise pyghmi_exceptions.IpmiException(response['error'])


def _power_cycle(command):
    response = command.raw_command(netfn=_NETFN_CHASSIS,
                                   command=_CMD_CHASSIS_CONTROL,
                                   data=(_CHASSIS_POWER_CYCLE,))
    if 'error' in response:
        raise pyghmi_exceptions.IpmiException(response['error'],
                                              code=response.get('code'))
