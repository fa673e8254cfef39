"""The only way into mtce-agent over RPC (sysinv-conductor, mtce-client)."""

from stxcommon import messaging

RPC_VERSION = '1.0'


class AgentAPI:
    """1.0: host_action, host_upsert, host_delete, host_alive, hosts."""

    def __init__(self, transport, topic='mtce.agent', timeout=30):
        self._client = messaging.get_rpc_client(
            transport, topic, RPC_VERSION).prepare(timeout=timeout)

    def host_action(self, context, host, action):
        """Carry out ``action`` (lock, unlock, reboot, ...) on ``host``, a
        dict of its sysinv record; the outcome comes back to sysinv."""
        self._client.cast(context, 'host_action', host=host, action=action)

    def host_upsert(self, context, host):
        """A provisioned host was added or changed."""
        self._client.cast(context, 'host_upsert', host=host)

    def host_delete(self, context, host_uuid):
        self._client.cast(context, 'host_delete', host_uuid=host_uuid)

    def host_alive(self, context, report):
        """mtce-client's alive message: hostname, boot_id, heartbeat
        addresses and the go-enabled result."""
        self._client.cast(context, 'host_alive', report=report)

    def hosts(self, context):
        """[{uuid, hostname, administrative, operational, availability,
        stage, monitored, attempts, boot_id}] as mtce-agent sees them."""
        return self._client.call(context, 'hosts')
