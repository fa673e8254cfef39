"""The only way into fm-manager over RPC (used by fm.client)."""

from stxcommon import messaging

RPC_VERSION = '1.0'


class ManagerAPI:
    def __init__(self, transport, topic='fm.manager', timeout=30):
        self._client = messaging.get_rpc_client(
            transport, topic, RPC_VERSION).prepare(timeout=timeout)

    def get_faults(self, context, entity_instance_id=None, alarm_id=None):
        return self._client.call(context, 'get_faults',
                                 entity_instance_id=entity_instance_id,
                                 alarm_id=alarm_id)
