"""Assemble sysinv-conductor: the RPC server over the inventory DB."""

import socket

from stxcommon.db import engine
from stxcommon import messaging
from stxcommon import service
from sysinv.conductor import manager
from sysinv.db import api as db_api


def build(conf, rpc_transport=None):
    """The sysinv-conductor service (start/stop/wait), built on start."""

    def factory():
        database = engine.Database(conf)
        connection = db_api.get_connection(database)
        connection.ensure_system()
        transport = rpc_transport or messaging.get_transport(conf)
        rpc_server = messaging.get_rpc_server(
            transport, conf.conductor.topic, socket.gethostname(),
            [manager.ConductorManager(connection)])

        def cleanup():
            if rpc_transport is None:
                transport.cleanup()
            database.dispose()

        return rpc_server, cleanup

    return service.MessagingService('sysinv-conductor', factory)
