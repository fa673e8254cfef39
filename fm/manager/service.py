"""Assemble fm-manager: the fault consumer and the query RPC server."""

import socket

from fm import catalogue
from fm.db import api as db_api
from fm.manager import announcer
from fm.manager import faults
from fm.manager import manager
from stxcommon import amqp_batch
from stxcommon.db import engine
from stxcommon import messaging
from stxcommon import service


def build(conf, transport=None, notification_transport=None):
    """The fm-manager service (start/stop/wait), built lazily on start."""

    def factory():
        database = engine.Database(conf)
        connection = db_api.get_connection(database)
        connection.sync_suppression(catalogue.load().values())
        own_transports = []
        rpc_transport = transport
        if rpc_transport is None:
            rpc_transport = messaging.get_transport(conf)
            own_transports.append(rpc_transport)
        note_transport = notification_transport
        if note_transport is None:
            note_transport = messaging.get_notification_transport(conf)
            own_transports.append(note_transport)
        notifier = messaging.get_notifier(note_transport, 'fm.manager',
                                          [conf.manager.event_topic])
        writer = faults.FaultWriter(connection,
                                    announcer.Announcer(notifier),
                                    conf.manager.retry_delay)
        consumer = amqp_batch.BatchConsumer(
            amqp_batch.kombu_url(conf, _notification_url(conf)),
            amqp_batch.notification_queue(conf, conf.manager.fault_topic),
            writer.handle, batch_size=conf.manager.batch_size,
            batch_timeout=conf.manager.batch_timeout, name='fm-faults')
        rpc_server = messaging.get_rpc_server(
            rpc_transport, conf.manager.rpc_topic, socket.gethostname(),
            [manager.ManagerEndpoint(connection)])
        servers = _Servers(consumer, rpc_server)

        def cleanup():
            for owned in own_transports:
                owned.cleanup()
            database.dispose()

        return servers, cleanup

    return service.MessagingService('fm-manager', factory)


def _notification_url(conf):
    return (conf.oslo_messaging_notifications.transport_url
            or conf.transport_url)


class _Servers:
    """Start and stop several oslo.messaging servers as one."""

    def __init__(self, *servers):
        self.servers = servers

    def start(self):
        for server in self.servers:
            server.start()

    def stop(self):
        for server in self.servers:
            server.stop()

    def wait(self):
        for server in self.servers:
            if hasattr(server, 'wait'):
                server.wait()
