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


def build(conf, rpc_transport=None):
    """The fm-manager service (start/stop/wait), built lazily on start.

    Faults are read and changes announced straight through kombu on the
    notification broker; only the query RPC server uses oslo.messaging.
    """

    def factory():
        database = engine.Database(conf)
        connection = db_api.get_connection(database)
        connection.sync_suppression(catalogue.load().values())
        transport = rpc_transport or messaging.get_transport(conf)
        broker = amqp_batch.kombu_url(conf, _notification_url(conf))
        publisher = amqp_batch.Publisher(
            broker, amqp_batch.notification_queue(
                conf, conf.manager.event_topic), 'fm.manager')
        writer = faults.FaultWriter(connection,
                                    announcer.Announcer(publisher),
                                    conf.manager.retry_delay)
        consumer = amqp_batch.BatchConsumer(
            broker,
            amqp_batch.notification_queue(conf, conf.manager.fault_topic),
            writer.handle, batch_size=conf.manager.batch_size,
            batch_timeout=conf.manager.batch_timeout, name='fm-faults')
        rpc_server = messaging.get_rpc_server(
            transport, conf.manager.rpc_topic, socket.gethostname(),
            [manager.ManagerEndpoint(connection)])

        def cleanup():
            publisher.close()
            if rpc_transport is None:
                transport.cleanup()
            database.dispose()

        return _Servers(consumer, rpc_server), cleanup

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
