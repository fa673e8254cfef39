"""The host alarms and logs maintenance raises through fm.client."""

from fm import client as fm_client

HOST_FAILED = '200.004'
SENSOR = '200.007'
MGMT_HEARTBEAT = '200.005'
CLUSTER_HEARTBEAT = '200.009'
BMC_ACCESS = '200.010'
HOST_STATE_LOG = '200.022'

HEARTBEAT_ALARMS = {'management': MGMT_HEARTBEAT,
                    'cluster-host': CLUSTER_HEARTBEAT}


class HostAlarms(fm_client.HostAlarmSender):
    """Maintenance's host alarms and its state-change log."""

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
