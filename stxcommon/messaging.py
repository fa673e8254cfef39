"""oslo.messaging wiring on a private ConfigOpts.

oslo.messaging 18 registers its tracing and metrics option groups on the
global ``cfg.CONF`` only; a call made through a transport built on any other
conf then fails with NoSuchOptError. :func:`get_transport` registers them,
and makes RabbitMQ queues durable by default.
"""

import uuid

from amqp import exceptions as amqp_exceptions
from kombu import exceptions as kombu_exceptions
from oslo_context import context
import oslo_messaging as messaging
from oslo_messaging._drivers import amqp as _amqp
from oslo_messaging._drivers import impl_rabbit as _impl_rabbit
from oslo_messaging._metrics import client as _metrics_client
from oslo_messaging._tracing import client as _tracing_client
from oslo_utils import timeutils


def _register_missing_groups(conf):
    conf.register_opts(_tracing_client.oslo_messaging_tracing,
                       group='oslo_messaging_tracing')
    conf.register_opts(_metrics_client.oslo_messaging_metrics,
                       group='oslo_messaging_metrics')
    # Faults and other durable events must survive a broker restart.
    conf.register_opts(_impl_rabbit.rabbit_opts,
                       group='oslo_messaging_rabbit')
    conf.register_opts(_amqp.amqp_opts, group='oslo_messaging_rabbit')
    conf.set_default('amqp_durable_queues', True,
                     group='oslo_messaging_rabbit')


def get_transport(conf, url=None):
    """The RPC transport named by ``transport_url`` (or ``url``)."""
    _register_missing_groups(conf)
    return messaging.get_rpc_transport(conf, url=url)


def get_notification_transport(conf, url=None):
    """The notification transport (same broker unless configured apart)."""
    _register_missing_groups(conf)
    return messaging.get_notification_transport(conf, url=url)


def notification(publisher_id, event_type, payload, priority='INFO'):
    """The message a messagingv2 Notifier sends, before its envelope."""
    return {'message_id': str(uuid.uuid4()), 'publisher_id': publisher_id,
            'event_type': event_type, 'priority': priority,
            'payload': payload, 'timestamp': str(timeutils.utcnow())}


def send_notification(transport, topic, publisher_id, event_type, payload,
                      retry=None, priority='INFO'):
    """Publish one notification as a messagingv2 Notifier would.

    Raises MessageDeliveryFailure (or another MessagingException) when the
    broker does not take it, where a ``Notifier`` (and its drivers) log
    the failure and return as if the message had gone: a sender that must
    not lose a message keeps what failed and sends it again.
    """
    message = notification(publisher_id, event_type, payload, priority)
    target = messaging.Target(topic='%s.%s' % (topic, priority.lower()))
    try:
        transport._send_notification(target, {}, message, version=2.0,
                                     retry=retry)
    except (OSError, amqp_exceptions.AMQPError,
            kombu_exceptions.KombuError) as exc:
        # A connection that cannot be opened (refused, vhost gone) comes
        # out of kombu unwrapped.
        raise messaging.MessageDeliveryFailure(
            'the broker did not take the message: %s' % exc)


def get_notifier(transport, publisher_id, topics):
    """A notifier publishing on ``topics`` with the messaging driver."""
    return messaging.Notifier(transport, publisher_id=publisher_id,
                              driver='messagingv2', topics=list(topics))


class _ContextSerializer(messaging.NoOpSerializer):
    """RequestContexts cross RPC as dicts and arrive as RequestContexts."""

    def serialize_context(self, ctxt):
        return ctxt.to_dict()

    def deserialize_context(self, ctxt):
        return context.RequestContext.from_dict(ctxt)


def _context_serializer():
    return _ContextSerializer()


# Decorate an endpoint method with the exceptions it raises on purpose:
# they are re-raised at the caller without a server-side traceback log.
expected_exceptions = messaging.expected_exceptions


def get_rpc_server(transport, topic, server, endpoints):
    """A versioned RPC server (endpoints carry a ``target`` with version)."""
    target = messaging.Target(topic=topic, server=server)
    return messaging.get_rpc_server(transport, target, endpoints,
                                    serializer=_context_serializer())


def get_rpc_client(transport, topic, version):
    """An RPC client pinned to ``version``; pass RequestContexts to calls."""
    target = messaging.Target(topic=topic, version=version)
    return messaging.get_rpc_client(transport, target,
                                    serializer=_context_serializer())
