"""sysinv-conductor's RPC endpoint: inventory reports from the agents."""

import logging

import oslo_messaging as messaging

from stxcommon import messaging as stx_messaging
from sysinv import exception

LOG = logging.getLogger(__name__)


class ConductorManager:
    """Version 1.0: report_inventory."""

    target = messaging.Target(version='1.0')

    def __init__(self, connection):
        self.connection = connection

    @stx_messaging.expected_exceptions(exception.InvalidInventory,
                                       exception.HostNotFound)
    def report_inventory(self, context, report):
        """Record a host's hardware; discover the host if it is new.

        The host is found by its management MAC. An unknown MAC adds an
        unprovisioned host (no hostname, no personality) for the operator
        to provision. Returns the host's UUID.
        """
        if not isinstance(report, dict) or not report.get('mgmt_mac'):
            raise exception.InvalidInventory(reason='mgmt_mac is required')
        uuid, discovered, changes = self.connection.record_report(report)
        if discovered:
            LOG.info('Discovered host %s with management MAC %s (reported '
                     'hostname %s)', uuid, report['mgmt_mac'],
                     report.get('hostname'))
        LOG.debug('Inventory of host %s: %s', uuid, changes)
        return uuid
