"""The host alarms and logs maintenance raises through fm.client."""

import logging
import threading
import time

from fm import client as fm_client

LOG = logging.getLogger(__name__)

HOST_FAILED = '200.004'
SENSOR = '200.007'
MGMT_HEARTBEAT = '200.005'
CLUSTER_HEARTBEAT = '200.009'
BMC_ACCESS = '200.010'
HOST_STATE_LOG = '200.022'

HEARTBEAT_ALARMS = {'management': MGMT_HEARTBEAT,
                    'cluster-host': CLUSTER_HEARTBEAT}
# The alarms reconcile() keeps in step with fm.
RECONCILED = (HOST_FAILED, SENSOR, MGMT_HEARTBEAT, CLUSTER_HEARTBEAT,
              BMC_ACCESS)
# Seconds a set or clear gets to reach fm before reconcile() judges it.
SETTLE = 10.0


class HostAlarms(fm_client.HostAlarmSender):
    """Maintenance's host alarms and its state-change log.

    It remembers what it raised and cleared: what the broker lost (a
    broker that lost its queues, messages held past the outbox's limit)
    or fm lost (a restored database), :meth:`reconcile` puts back.
    """

    def __init__(self, fault_api):
        super().__init__(fault_api)
        self._lock = threading.Lock()
        # (alarm id, entity) -> (set()'s arguments, when), and
        # (alarm id, entity) -> when, of those cleared since the start
        self._raised = {}
        self._cleared = {}

    def set(self, alarm_id, hostname, reason, severity=None,
            entity_suffix=''):
        if alarm_id in RECONCILED:
            key = (alarm_id, self.entity(hostname) + entity_suffix)
            with self._lock:
                self._raised[key] = ((hostname, reason, severity,
                                      entity_suffix), time.monotonic())
                self._cleared.pop(key, None)
        super().set(alarm_id, hostname, reason, severity, entity_suffix)

    def clear(self, alarm_id, hostname, entity_suffix=''):
        if alarm_id in RECONCILED:
            key = (alarm_id, self.entity(hostname) + entity_suffix)
            with self._lock:
                self._raised.pop(key, None)
                self._cleared[key] = time.monotonic()
        super().clear(alarm_id, hostname, entity_suffix)

    def reconcile(self, settle=SETTLE):
        """Raise again what fm lacks and clear again what it still holds
        of what this maintenance raised and cleared more than ``settle``
        seconds ago; alarms it knows nothing of (raised before a restart)
        are left alone. Returns the (raised, cleared) counts; raises
        fm_client.APIException when fm does not answer."""
        if not self.fault_api.flush(0):
            # Messages still held for fm: its list is behind on purpose.
            return 0, 0
        active = set()
        for alarm_id in RECONCILED:
            for fault in self.fault_api.get_faults_by_id(alarm_id) or ():
                active.add((alarm_id, fault.entity_instance_id))
        settled = time.monotonic() - settle
        with self._lock:
            missing = {key: args for key, (args, when) in
                       self._raised.items()
                       if key not in active and when <= settled}
            stale = [key for key, when in self._cleared.items()
                     if key in active and when <= settled]
        for (alarm_id, _entity), args in sorted(missing.items()):
            hostname, reason, severity, suffix = args
            LOG.warning('Alarm %s of %s missing in fm: raising it again',
                        alarm_id, hostname)
            super().set(alarm_id, hostname, reason, severity, suffix)
        for alarm_id, entity in sorted(stale):
            LOG.warning('Alarm %s of %s still in fm after its clear: '
                        'clearing it again', alarm_id, entity)
            self.fault_api.clear_fault(alarm_id, entity)
        return len(missing), len(stale)

    def host_failed(self, hostname, reason):
        self.set(HOST_FAILED, hostname, '%s is experiencing a persistent '
                 'critical failure (%s); auto recovery in progress'
                 % (hostname, reason))

    def host_recovered(self, hostname):
        self.clear(HOST_FAILED, hostname)

    def heartbeat_lost(self, hostname, network, severity):
        self.set(HEARTBEAT_ALARMS[network], hostname,
                 '%s experienced %s %s network heartbeat failure'
                 % (hostname, 'a persistent' if severity == 'critical'
                    else 'an intermittent', network), severity)

    def heartbeat_ok(self, hostname, network):
        self.clear(HEARTBEAT_ALARMS[network], hostname)

    def bmc_unreachable(self, hostname, reason):
        self.set(BMC_ACCESS, hostname, 'Access to board management module '
                 'of %s has failed: %s' % (hostname, reason))

    def bmc_ok(self, hostname):
        self.clear(BMC_ACCESS, hostname)

    def log(self, hostname, text):
        """A customer log (event 200.022) about the host's state."""
        self.set(HOST_STATE_LOG, hostname, text, entity_suffix='.event')

    def sensor_out_of_range(self, hostname, sensor, severity, value, unit):
        reading = '' if value is None else ' reads %g%s' % (
            value, (' ' + unit) if unit else '')
        self.set(SENSOR, hostname, "%s sensor '%s'%s, past its %s "
                 'threshold' % (hostname, sensor, reading, severity),
                 severity, entity_suffix='.sensor=%s' % sensor)

    def sensor_ok(self, hostname, sensor):
        self.clear(SENSOR, hostname, entity_suffix='.sensor=%s' % sensor)
