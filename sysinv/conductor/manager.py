"""sysinv-conductor's RPC endpoint: agent reports and host actions."""

import logging

import oslo_messaging as messaging

from stxcommon import messaging as stx_messaging
from sysinv import exception

LOG = logging.getLogger(__name__)


MTCE_FIELDS = ('uuid', 'hostname', 'personality', 'administrative',
               'operational', 'availability', 'action', 'bm_type', 'bm_ip',
               'bm_username')
MTCE_STATES = ('administrative', 'operational', 'availability')


class ConductorManager:
    """Version 1.4: mtce_sensors_report.

    1.3: mtce_hosts, mtce_host_update. 1.2: get_bm_credentials.
    1.1: report_host, host_action. 1.0: report_inventory.
    """

    target = messaging.Target(version='1.4')

    def __init__(self, connection, lifecycle, vault):
        self.connection = connection
        self.lifecycle = lifecycle
        self.vault = vault

    def _record(self, report):
        if not isinstance(report, dict) or not report.get('mgmt_mac'):
            raise exception.InvalidInventory(reason='mgmt_mac is required')
        uuid, discovered, changes = self.connection.record_report(report)
        if discovered:
            LOG.info('Discovered host %s with management MAC %s (reported '
                     'hostname %s)', uuid, report['mgmt_mac'],
                     report.get('hostname'))
        LOG.debug('Inventory of host %s: %s', uuid, changes)
        return uuid

    @stx_messaging.expected_exceptions(exception.InvalidInventory,
                                       exception.HostNotFound)
    def report_inventory(self, context, report):
        """Record a host's hardware; discover the host if it is new.

        The host is found by its management MAC. An unknown MAC adds an
        unprovisioned host (no hostname, no personality) for the operator
        to provision. Returns the host's UUID.
        """
        return self._record(report)

    @stx_messaging.expected_exceptions(exception.InvalidInventory,
                                       exception.HostNotFound)
    def report_host(self, context, report):
        """As report_inventory, and hand the agent its configuration.

        A report may say which plan the agent applied (``config_applied``)
        or failed to apply (``config_failed``: {target, reason}). Returns
        ``{"uuid": ..., "config": plan or None}``.
        """
        uuid = self._record(report)
        applied = report.get('config_applied')
        failed = report.get('config_failed')
        if isinstance(failed, dict) and failed.get('target'):
            LOG.warning('Host %s could not apply its configuration: %s',
                        uuid, failed.get('reason'))
            self.connection.host_config_reported(
                uuid, failed['target'], str(failed.get('reason') or
                                            'unknown error'))
        elif applied:
            self.connection.host_config_reported(uuid, str(applied))
        host = self.connection.host_get(uuid)
        self.lifecycle.host_reported(host)
        return {'uuid': uuid,
                'config': self.connection.host_config_for_agent(host)}

    def host_action(self, context, host_uuid, action):
        """Carry out an action the API checked and recorded (a cast)."""
        LOG.info('Host %s: %s requested by user %s', host_uuid, action,
                 context.get('user_id') if isinstance(context, dict)
                 else getattr(context, 'user_id', None))
        self.lifecycle.start(host_uuid, action)

    @stx_messaging.expected_exceptions(exception.HostNotFound)
    def get_bm_credentials(self, context, host_uuid):
        """What maintenance needs to log in to the host's BMC:
        {bm_type, bm_ip, bm_username, bm_password}. Only over RPC, never
        in the REST API."""
        host = self.connection.host_get(host_uuid)
        LOG.info('BMC credentials of host %s handed to user %s',
                 host.hostname or host.uuid, getattr(context, 'user_id',
                                                     None))
        return {'bm_type': host.bm_type, 'bm_ip': host.bm_ip,
                'bm_username': host.bm_username,
                'bm_password': (self.vault.decrypt(host.bm_password_enc)
                                if host.bm_password_enc else None)}


    def mtce_hosts(self, context):
        """Every provisioned host, as maintenance needs it."""
        return [{field: getattr(host, field) for field in MTCE_FIELDS}
                for host in self.connection.host_get_list()
                if host.hostname]

    @stx_messaging.expected_exceptions(exception.HostNotFound,
                                       exception.InvalidInventory)
    def mtce_host_update(self, context, host_uuid, values, action_done):
        """Record the states maintenance reports; see the life cycle."""
        if not isinstance(values, dict) or set(values) - set(MTCE_STATES):
            raise exception.InvalidInventory(
                reason='maintenance may only set %s' % ', '.join(
                    MTCE_STATES))
        self.lifecycle.mtce_update(host_uuid, values, bool(action_done))

    @stx_messaging.expected_exceptions(exception.HostNotFound,
                                       exception.InvalidInventory)
    def mtce_sensors_report(self, context, host_uuid, sensors,
                            audit_interval=None):
        """Record the host's BMC sensors as maintenance read them; tell it
        what a crossed threshold of each does ({name: {'minor': action,
        'major': ..., 'critical': ..., 'suppress': bool}})."""
        return self.connection.sensors_record(host_uuid, sensors,
                                              audit_interval)
