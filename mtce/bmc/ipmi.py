"""One BMC request carried out with pyghmi; runs inside a BMC worker.

pyghmi keeps process-wide state (one event loop, a table of sessions in
progress keyed by BMC and credentials) that is not safe to share with
other threads pumping the same loop, as an all-in-one process running
simulated BMCs does.  So pyghmi is only ever used here, in a worker
process of :mod:`mtce.bmc.pool` with a single thread, one request at a
time: log in, do the action, log out (as StarlingX's mtce runs one
ipmitool command per request).  Deadlines are the parent's job: it kills
a worker that overruns, so nothing here needs a timer.
"""

import pyghmi.exceptions as pyghmi_exceptions
import pyghmi.ipmi.command as ipmi_command
import pyghmi.ipmi.private.session as ipmi_session

from mtce.bmc import sensors as sensor_readings

# Kinds of failure a request can end with (the parent maps them onto the
# exceptions of mtce.bmc.exceptions).
AUTH = 'auth'
UNREACHABLE = 'unreachable'
ERROR = 'error'

ACTIONS = ('power_status', 'power_on', 'power_off', 'power_reset',
           'power_cycle', 'sensors')

# Chassis Control (netfn 00h, command 02h) data byte for a power cycle,
# which pyghmi's set_power() does not offer.
_NETFN_CHASSIS = 0x00
_CMD_CHASSIS_CONTROL = 0x02
_CHASSIS_POWER_CYCLE = 0x02

# Lower-case fragments of pyghmi's login refusals that mean bad credentials
# (pyghmi.ipmi.private.constants.rmcp_codes and session.py) ...
_AUTH_REFUSALS = ('password', 'unauthorized name', 'invalid username',
                  'unauthorized role', 'invalid role')
# ... and those that mean the BMC never completed the exchange.
_NO_ANSWER = ('timeout', 'failed to initialize')
# pyghmi hands a login the earlier failing session with the same
# credentials, which ends with this reasonless text: one retry gets a
# fresh session.
_REASONLESS = 'session failed to initialize'


# Longest single wait on pyghmi's I/O thread; see bound_io_waits().
IO_WAIT_SLICE = 0.01


def bound_io_waits():
    """Cap each of pyghmi's I/O waits at :data:`IO_WAIT_SLICE` seconds.

    pyghmi sends a request, then registers to be woken when its answer
    comes in.  An answer its I/O thread reads before that registration is
    queued but wakes nobody, and the caller sleeps until its retry timer
    (about a second, longer on each retry).  On a loaded machine the
    answer often wins the race: calls that take 3 ms took up to 2.7 s.
    Every pyghmi caller loops and checks its queue after each wait, so
    short waits only add a few idle wake-ups while a call is in flight.
    Only for a worker process, where pyghmi serves nothing else.
    """
    original = ipmi_session._io_wait
    if getattr(original, 'bounded', False):
        return

    def io_wait(timeout, myaddr=None, evq=None):
        return original(min(timeout, IO_WAIT_SLICE), myaddr, evq)
    io_wait.bounded = True
    ipmi_session._io_wait = io_wait


class Failure(Exception):
    """A request failed; ``kind`` is AUTH, UNREACHABLE or ERROR."""

    def __init__(self, kind, message):
        super(Failure, self).__init__(message)
        self.kind = kind


def run(action, address, port, username, password):
    """Do ``action`` against the BMC and return its JSON-able result."""
    if action not in ACTIONS:
        raise Failure(ERROR, 'unknown BMC action %r' % (action,))
    command = _login(address, port, username, password)
    try:
        return _ACTIONS[action](command)
    except pyghmi_exceptions.IpmiException as exc:
        raise Failure(ERROR, 'refused %s: %s'
                      % (action.replace('_', ' '), exc))
    finally:
        try:
            command.ipmi_session.logout()
        except Exception:   # the answer is already in hand
            pass


def _login(address, port, username, password):
    userid = username.encode('utf-8')
    secret = password.encode('utf-8')
    for attempt in (1, 2):
        try:
            return ipmi_command.Command(bmc=address, port=port,
                                        userid=userid, password=secret)
        except Exception as exc:
            reason = str(exc)
            if reason in ('', 'None'):
                # pyghmi gives no reason when nothing answers at all
                raise Failure(UNREACHABLE, 'did not answer the login')
            lowered = reason.lower()
            if attempt == 1 and lowered.strip() == _REASONLESS:
                continue
            if any(text in lowered for text in _AUTH_REFUSALS):
                raise Failure(AUTH, 'refused the login of user %r: wrong '
                              'user name or password (%s)'
                              % (username, reason))
            if any(text in lowered for text in _NO_ANSWER):
                raise Failure(UNREACHABLE, 'did not answer the login (%s)'
                              % reason)
            raise Failure(ERROR, 'login failed: %s' % reason)


def _set_power(state):
    def action(command):
        response = command.set_power(state)
        if isinstance(response, dict) and 'error' in response:
            raise pyghmi_exceptions.IpmiException(response['error'])
        return None
    return action


def _power_status(command):
    return command.get_power()['powerstate']


def _power_cycle(command):
    response = command.raw_command(netfn=_NETFN_CHASSIS,
                                   command=_CMD_CHASSIS_CONTROL,
                                   data=(_CHASSIS_POWER_CYCLE,))
    if 'error' in response:
        raise pyghmi_exceptions.IpmiException(response['error'],
                                              code=response.get('code'))
    return None


def _sensors(command):
    return sensor_readings.read_sensors(command, {})


_ACTIONS = {
    'power_status': _power_status,
    'power_on': _set_power('on'),
    'power_off': _set_power('off'),
    'power_reset': _set_power('reset'),
    'power_cycle': _power_cycle,
    'sensors': _sensors,
}
