"""Assemble sysinv-conductor: the RPC server over the inventory DB."""

import socket

from fm import client as fm_client
from mtce.agent import rpcapi as mtce_rpcapi
from stxcommon.db import engine
from stxcommon import messaging
from stxcommon import service
from sysinv.agent import rpcapi as agent_rpcapi
from sysinv.conductor import alarms
from sysinv.conductor import lifecycle
from sysinv.conductor import manager
from sysinv import credentials
from sysinv.db import api as db_api


def build(conf, rpc_transport=None, notification_transport=None):
    """The sysinv-conductor service (start/stop/wait), built on start.

    Pass transports to share them with other services in one process.
    """

    def factory():
        database = engine.Database(conf)
        connection = db_api.get_connection(database)
        connection.ensure_system()
        transport = rpc_transport or messaging.get_transport(conf)
        notifications = (notification_transport or
                         messaging.get_notification_transport(conf))
        fault_api = fm_client.FaultAPIs(
            notifications, transport, publisher_id='sysinv.conductor',
            fault_topic=conf.fm.fault_topic, rpc_topic=conf.fm.rpc_topic,
            hold_undelivered=True)
        options = dict(config_timeout=conf.conductor.config_timeout,
                       workers=conf.conductor.action_workers)
        agents = agent_rpcapi.AgentAPI(transport, conf.agent.topic)
        host_alarms = alarms.HostAlarms(fault_api)
        if conf.conductor.maintenance == 'mtce':
            life = lifecycle.MtceLifecycle(
                connection, host_alarms, agents,
                mtce_rpcapi.AgentAPI(transport, conf.conductor.mtce_topic),
                **options)
        else:
            life = lifecycle.LocalLifecycle(connection, host_alarms, agents,
                                            **options)
        rpc_server = messaging.get_rpc_server(
            transport, conf.conductor.topic, socket.gethostname(),
            [manager.ConductorManager(
                connection, life,
                credentials.Vault(conf.bmc.credential_key_file))])
        life.resume()

        def cleanup():
            life.stop()
            fault_api.close()
            if rpc_transport is None:
                transport.cleanup()
            if notification_transport is None:
                notifications.cleanup()
            database.dispose()

        return rpc_server, cleanup

    return service.MessagingService('sysinv-conductor', factory)
