"""mtce-agent's RPC endpoint."""

import logging

import oslo_messaging as messaging

LOG = logging.getLogger(__name__)


class AgentManager:
    """Version 1.0: host_action, host_upsert, host_delete, host_alive,
    hosts."""

    target = messaging.Target(version='1.0')

    def __init__(self, maintenance):
        self.maintenance = maintenance

    def host_action(self, context, host, action):
        self.maintenance.host_action(host, action)

    def host_upsert(self, context, host):
        self.maintenance.host_upsert(host)

    def host_delete(self, context, host_uuid):
        self.maintenance.host_delete(host_uuid)

    def host_alive(self, context, report):
        if not isinstance(report, dict) or not report.get('hostname'):
            LOG.warning('Alive message without a hostname ignored')
            return
        self.maintenance.host_alive(report)

    def hosts(self, context):
        return self.maintenance.snapshot()
