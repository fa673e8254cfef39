"""The host alarms sysinv raises and clears through fm.client."""

from fm import client as fm_client
from sysinv import constants


class HostAlarms(fm_client.HostAlarmSender):
    """sysinv's host alarms: locked (200.001) and configuration (200.011).
    """

    def host_locked(self, hostname):
        self.set(constants.ALARM_HOST_LOCKED, hostname,
                  '%s was administratively locked to take it out-of-service.'
                  % hostname)

    def host_unlocked(self, hostname):
        self.clear(constants.ALARM_HOST_LOCKED, hostname)

    def config_failed(self, hostname, reason):
        self.set(constants.ALARM_HOST_CONFIG, hostname,
                  '%s experienced a configuration failure during unlock: %s'
                  % (hostname, reason))

    def config_ok(self, hostname):
        self.clear(constants.ALARM_HOST_CONFIG, hostname)
