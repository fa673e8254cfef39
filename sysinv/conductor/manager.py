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
        # Refuse a malformed report before a host is created for it.
        self.connection.check_inventory(report)
        host = self.connection.host_for_mac(report['mgmt_mac'])
        if host is None:
            host = self.connection.create_unprovisioned_host(
                report['mgmt_mac'], report)
            LOG.info('Discovered host %s with management MAC %s (reported '
                     'hostname %s)', host.uuid, host.mgmt_mac,
                     report.get('hostname'))
        changes = self.connection.apply_inventory(host.uuid, report)
        LOG.debug('Inventory of host %s: %s', host.uuid, changes)
        return host.uuid
