"""The host alarms sysinv raises and clears through fm.client.

An alarm that cannot be sent is logged, never allowed to fail the action
that raised it: fm's queue is durable, and the next change sends again.
"""

import logging

from fm import client as fm_client
from sysinv import constants

LOG = logging.getLogger(__name__)


def _entity(hostname):
    return 'host=%s' % hostname


class HostAlarms:
    def __init__(self, fault_api):
        self.fault_api = fault_api

    def _set(self, alarm_id, hostname, reason):
        try:
            self.fault_api.set_fault(fm_client.catalogue_fault(
                alarm_id, _entity(hostname), reason))
        except (fm_client.APIException, fm_client.ClientException) as exc:
            LOG.error('Could not raise alarm %s for host %s: %s', alarm_id,
                      hostname, exc)

    def _clear(self, alarm_id, hostname):
        try:
            self.fault_api.clear_fault(alarm_id, _entity(hostname))
        except (fm_client.APIException, fm_client.ClientException) as exc:
            LOG.error('Could not clear alarm %s of host %s: %s', alarm_id,
                      hostname, exc)

    def host_locked(self, hostname):
        self._set(constants.ALARM_HOST_LOCKED, hostname,
                  '%s was administratively locked to take it out-of-service.'
                  % hostname)

    def host_unlocked(self, hostname):
        self._clear(constants.ALARM_HOST_LOCKED, hostname)

    def config_failed(self, hostname, reason):
        self._set(constants.ALARM_HOST_CONFIG, hostname,
                  '%s experienced a configuration failure during unlock: %s'
                  % (hostname, reason))

    def config_ok(self, hostname):
        self._clear(constants.ALARM_HOST_CONFIG, hostname)
