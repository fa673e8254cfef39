"""A simulated baseboard management controller speaking IPMI 2.0 on UDP."""

import collections
import itertools
import logging
import threading
import time
import uuid

from hostsim.bmc import ipmi
from hostsim.bmc import sensors as sensormod

LOG = logging.getLogger(__name__)

POWER_ON = 'on'
POWER_OFF = 'off'

BOOT_DEVICES = ('default', 'network', 'hd', 'safe', 'optical', 'setup',
                'floppy')
_BOOT_ALIASES = {'pxe': 'network', 'net': 'network', 'disk': 'hd',
                 'cd': 'optical', 'cdrom': 'optical', 'dvd': 'optical',
                 'bios': 'setup', 'usb': 'floppy'}

_GUID_NAMESPACE = uuid.UUID('5f1a6f33-8b9e-4d6e-9a57-7b0c2a3d4e51')
# Distinct SDR time stamps per BMC: pyghmi's client caches SDRs per
# (firmware, manufacturer, product, device, time stamp) for the process.
_sdr_stamp = itertools.count(int(time.time()) & 0x7fffffff)


class SimulatedBmc(object):
    """A BMC for one simulated host, reachable with any IPMI 2.0 client.

    :param host_name: the host this BMC manages (log messages, GUID).
    :param address: IP address to bind, loopback by default.
    :param port: UDP port; 0 picks a free port (see :attr:`port`).
    :param username: / :param password: the one IPMI administrator account.
    :param sensors: list of dicts ``{'name', 'type': 'temperature'|'fan'|
        'voltage', 'value', 'thresholds': {'lower_critical': ..., ...}}``
        (optional keys: 'number', 'entity', 'm', 'b', 'b_exp', 'r_exp');
        None gives :data:`sensors.DEFAULT_SENSORS`, [] gives no sensors.
    :param on_power_change: ``callable(new_state)`` invoked with 'on' or
        'off' for every power transition (a reset or power cycle reports
        'off' then 'on').  Calls are made in order from a notifier thread
        of this BMC, so a slow callback never delays an IPMI answer.
    :param power_state: initial power state ('off' by default); setting
        it does not invoke the callback.
    """

    device_id = 0x20
    device_revision = 0x01
    firmware_version = (1, 0)
    manufacturer_id = 0           # none registered with IANA
    product_id = 0x5358           # 'SX'

    def __init__(self, host_name, address='127.0.0.1', port=0,
                 username='admin', password='password', sensors=None,
                 on_power_change=None, power_state=POWER_OFF, guid=None):
        if power_state not in (POWER_ON, POWER_OFF):
            raise ValueError('power_state must be on or off')
        self.host_name = host_name
        self.address = address
        self.username = username
        self.password = password
        self.on_power_change = on_power_change
        self.guid = guid or uuid.uuid5(_GUID_NAMESPACE, host_name)
        self._requested_port = port
        self._lock = threading.RLock()
        self._power = power_state
        self._boot = {'bootdev': 'default', 'persistent': False,
                      'uefimode': False}
        if sensors is None:
            sensors = sensormod.DEFAULT_SENSORS
        self._sensors = sensormod.SensorSet(sensors)
        self._sdr_stamp = next(_sdr_stamp)
        self._reservation = 0
        self._endpoint = None
        self._events = collections.deque()
        self._events_cond = threading.Condition(self._lock)
        self._pending_events = 0
        self._notifier = None
        self.power_transitions = 0

    def __repr__(self):
        return '<SimulatedBmc %s %s:%s %s>' % (
            self.host_name, self.address, self.port, self._power)

    # -- lifecycle -----------------------------------------------------

    def start(self):
        """Bind the UDP socket and serve IPMI from a daemon thread."""
        with self._lock:
            if self._endpoint is not None:
                return self
            self._endpoint = ipmi.IpmiEndpoint(
                self, {self.username: self.password}, self.address,
                self._requested_port, self.guid)
            ipmi.PUMP.acquire()
        LOG.info('BMC of %s serving IPMI on %s:%d', self.host_name,
                 self.address, self.port)
        return self

    def stop(self):
        """Close the socket and forget all sessions (idempotent)."""
        with self._lock:
            endpoint, self._endpoint = self._endpoint, None
            notifier = self._notifier
            if notifier is not None:
                self._events.append(None)
                self._events_cond.notify_all()
                self._notifier = None
        if endpoint is not None:
            endpoint.close()
            ipmi.PUMP.release()
        if notifier is not None and notifier is not threading.current_thread():
            notifier.join(5.0)

    @property
    def running(self):
        return self._endpoint is not None

    @property
    def port(self):
        """The UDP port served (after start); None when stopped."""
        endpoint = self._endpoint
        return endpoint.port if endpoint is not None else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    # -- power ---------------------------------------------------------

    def get_power_state(self):
        with self._lock:
            return self._power

    def power_on(self):
        """Power on; no effect when already on."""
        self._ipmi_power('on')

    def power_off(self):
        """Hard power off; no effect when already off."""
        self._ipmi_power('off')

    def power_shutdown(self):
        """Soft (graceful) shutdown; no effect when already off."""
        self._ipmi_power('shutdown')

    def power_reset(self):
        """Hard reset: reports 'off' then 'on'.  Fails when off."""
        self._raise_on_error(self._ipmi_power('reset'), 'reset')

    def power_cycle(self):
        """Power cycle: reports 'off' then 'on'.  Fails when off."""
        self._raise_on_error(self._ipmi_power('cycle'), 'cycle')

    @staticmethod
    def _raise_on_error(code, action):
        if code:
            raise RuntimeError('power %s is not possible while powered off'
                               % action)

    def _ipmi_power(self, action):
        """Apply a chassis control action; returns an IPMI completion code.

        Transitions and their notifications are queued under the lock so
        that concurrent requests are seen in one consistent order.
        """
        with self._lock:
            if action == 'on':
                if self._power == POWER_OFF:
                    self._boot_happened()
                    self._set_power(POWER_ON)
            elif action in ('off', 'shutdown'):
                if self._power == POWER_ON:
                    self._set_power(POWER_OFF)
            elif action in ('reset', 'cycle'):
                if self._power == POWER_OFF:
                    return ipmi.CC_NOT_SUPPORTED_IN_PRESENT_STATE
                self._set_power(POWER_OFF)
                self._boot_happened()
                self._set_power(POWER_ON)
            elif action == 'diag':
                return ipmi.CC_OK
            else:
                raise ValueError('unknown power action %r' % action)
            return ipmi.CC_OK

    def _set_power(self, state):
        self._power = state
        self.power_transitions += 1
        LOG.info('BMC of %s: power %s', self.host_name, state)
        if self.on_power_change is not None:
            self._queue_event(state)

    def _boot_happened(self):
        # a one-time boot device override is consumed by the next boot
        if not self._boot['persistent']:
            self._boot = {'bootdev': 'default', 'persistent': False,
                          'uefimode': False}

    # -- power-change notifications ----------------------------------------

    def _queue_event(self, state):
        self._events.append(state)
        self._pending_events += 1
        if self._notifier is None:
            self._notifier = threading.Thread(
                target=self._notify_loop,
                name='hostsim-bmc-%s-power' % self.host_name, daemon=True)
            self._notifier.start()
        self._events_cond.notify_all()

    def _notify_loop(self):
        while True:
            with self._lock:
                while not self._events:
                    self._events_cond.wait()
                state = self._events.popleft()
            if state is None:
                return
            try:
                callback = self.on_power_change
                if callback is not None:
                    callback(state)
            except Exception:
                LOG.exception('BMC of %s: power-change callback failed',
                              self.host_name)
            finally:
                with self._lock:
                    self._pending_events -= 1
                    self._events_cond.notify_all()

    def wait_for_notifications(self, timeout=10.0):
        """Wait until every queued power-change callback has returned.

        Returns True when none is pending, False on timeout.
        """
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._pending_events > 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._events_cond.wait(remaining)
            return True

    # -- boot device ---------------------------------------------------

    def get_boot_device(self):
        """{'bootdev': name, 'persistent': bool, 'uefimode': bool}"""
        with self._lock:
            return dict(self._boot)

    def set_boot_device(self, device, persistent=False, uefi=False):
        device = _BOOT_ALIASES.get(device, device)
        if device not in BOOT_DEVICES:
            raise ValueError('unknown boot device %r' % (device,))
        with self._lock:
            if device == 'default':
                self._boot = {'bootdev': 'default', 'persistent': False,
                              'uefimode': False}
            else:
                self._boot = {'bootdev': device,
                              'persistent': bool(persistent),
                              'uefimode': bool(uefi)}
        LOG.info('BMC of %s: boot device %s', self.host_name, self._boot)

    # -- sensors -------------------------------------------------------

    def get_sensors(self):
        """List of sensor dicts (copies) in SDR order."""
        with self._lock:
            return [sensor.as_dict() for sensor in self._sensors.order]

    def get_sensor(self, name):
        with self._lock:
            return self._sensor(name).value

    def set_sensor(self, name, value):
        """Change a sensor's value; None makes the reading unavailable."""
        with self._lock:
            sensor = self._sensor(name)
            sensor.value = None if value is None else float(value)

    def sensor_resolution(self, name):
        """Engineering-unit step of a sensor's one-byte raw reading."""
        with self._lock:
            return self._sensor(name).resolution

    def _sensor(self, name):
        try:
            return self._sensors.by_name[name]
        except KeyError:
            raise KeyError('BMC of %s has no sensor %r'
                           % (self.host_name, name))

    # -- SDR repository and sensor device (IPMI side) ----------------------

    def _sdr_repository_info(self):
        with self._lock:
            count = len(self._sensors.records)
            stamp = self._sdr_stamp
        return ([0x51, count & 0xff, count >> 8, 0x00, 0x00]
                + list(stamp.to_bytes(4, 'little'))     # last addition
                + list(stamp.to_bytes(4, 'little'))     # last erase
                + [0x02])                               # reserve supported

    def _reserve_sdr(self):
        with self._lock:
            self._reservation = self._reservation % 0xffff + 1
            return [self._reservation & 0xff, self._reservation >> 8]

    def _get_sdr(self, reservation, record_id, offset, count):
        with self._lock:
            if offset and (reservation == 0
                           or reservation != self._reservation):
                return ipmi.CC_INVALID_RESERVATION, []
            found = self._sensors.get_record(record_id)
            if found is None:
                return ipmi.CC_NOT_PRESENT, []
            record, next_id = found
            if offset > len(record):
                return ipmi.CC_PARAMETER_OUT_OF_RANGE, []
            if count == 0xff:
                chunk = record[offset:]
            else:
                chunk = record[offset:offset + count]
            return ipmi.CC_OK, [next_id & 0xff, next_id >> 8] + list(chunk)

    def _sensor_query(self, number, what):
        with self._lock:
            sensor = self._sensors.by_number.get(number)
            if sensor is None:
                return ipmi.CC_NOT_PRESENT, []
            if what == 'reading':
                return ipmi.CC_OK, sensor.reading_response()
            if what == 'thresholds':
                return ipmi.CC_OK, sensor.thresholds_response()
            if what == 'hysteresis':
                return ipmi.CC_OK, [0, 0]
            if what == 'event_enable':
                return ipmi.CC_OK, sensor.event_enable_response()
            if what == 'type':
                return ipmi.CC_OK, [
                    sensormod.SENSOR_TYPE_CODES[sensor.type], 0x01]
            return ipmi.CC_INVALID_COMMAND, []
