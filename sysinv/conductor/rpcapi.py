"""The only way into sysinv-conductor over RPC (agents, the API)."""

import oslo_messaging

from stxcommon import messaging
from sysinv import exception

RPC_VERSION = '1.4'

# The conductor's declared errors, re-raised here as themselves: the
# transport only rebuilds exceptions of modules it was told to allow.
_EXPECTED = {cls.__name__: cls for cls in (exception.InvalidInventory,
                                           exception.HostNotFound)}


class ConductorAPI:
    """1.0: report_inventory. 1.1: report_host, host_action.
    1.2: get_bm_credentials. 1.3: mtce_hosts, mtce_host_update.
    1.4: mtce_sensors_report."""

    def __init__(self, transport, topic='sysinv.conductor', timeout=60):
        self._client = messaging.get_rpc_client(
            transport, topic, RPC_VERSION).prepare(timeout=timeout)

    def _call(self, context, method, version='1.0', **kwargs):
        try:
            return self._client.prepare(version=version).call(
                context, method, **kwargs)
        except oslo_messaging.RemoteError as error:
            cls = _EXPECTED.get(error.exc_type)
            if cls is None:
                raise
            raise cls(message=error.value) from None

    def report_inventory(self, context, report):
        """Send a host's inventory; returns the host's UUID.

        Raises :class:`sysinv.exception.InvalidInventory` for a malformed
        report.
        """
        return self._call(context, 'report_inventory', report=report)

    def report_host(self, context, report):
        """Send a host's inventory (and how its last plan went); returns
        ``{"uuid": host uuid, "config": plan to apply or None}``."""
        return self._call(context, 'report_host', version='1.1',
                          report=report)

    def host_action(self, context, host_uuid, action):
        """Start an action the caller recorded on the host; no wait."""
        self._client.prepare(version='1.1').cast(
            context, 'host_action', host_uuid=host_uuid, action=action)

    def get_bm_credentials(self, context, host_uuid):
        """{bm_type, bm_ip, bm_username, bm_password} of a host's BMC, the
        password decrypted: for maintenance only, never to be logged."""
        return self._call(context, 'get_bm_credentials', version='1.2',
                          host_uuid=host_uuid)


    def mtce_hosts(self, context):
        """Every provisioned host as maintenance needs it: uuid, hostname,
        personality, states, action, bm_type, bm_ip, bm_username."""
        return self._call(context, 'mtce_hosts', version='1.3')

    def mtce_host_update(self, context, host_uuid, values, action_done):
        """Maintenance's new administrative / operational / availability
        states of a host; ``action_done`` ends the action under way."""
        return self._call(context, 'mtce_host_update', version='1.3',
                          host_uuid=host_uuid, values=values,
                          action_done=action_done)

    def mtce_sensors_report(self, context, host_uuid, sensors,
                            audit_interval=None):
        """A host's BMC sensors as maintenance just read them; returns
        what a crossed threshold of each does (sensor groups' actions and
        suppression), None from a conductor older than that."""
        return self._call(context, 'mtce_sensors_report', version='1.4',
                          host_uuid=host_uuid, sensors=sensors,
                          audit_interval=audit_interval)
