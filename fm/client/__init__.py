"""The library every service uses to raise, clear and read alarms.

Method names and the Fault type follow StarlingX's ``fm_api`` so that code
written for it reads the same here. A set or clear is a message on fm's
durable queue: it returns once the broker has it (or raises APIException),
and fm-manager records it shortly after (at least once, never twice).
Services that raise alarms as a side effect hold what the broker did not
take and send it again in order (``hold_undelivered``, see
:mod:`fm.client.outbox`). Reads ask fm-manager over RPC.
"""

import logging

from oslo_config import cfg
from oslo_context import context as oslo_context
import oslo_messaging

from fm import catalogue
from fm.client import outbox
from fm.manager import rpcapi
from fm import messages
from stxcommon import messaging

LOG = logging.getLogger(__name__)

DEFAULT_FAULT_TOPIC = 'fm_faults'
DEFAULT_RPC_TOPIC = 'fm.manager'


class ClientException(ValueError):
    """The fault is not valid (unknown alarm ID, bad severity, ...)."""


class APIException(RuntimeError):
    """fm could not be reached (broker down, fm-manager not answering)."""


class Fault:
    """One alarm instance, with StarlingX's fm_api fields."""

    def __init__(self, alarm_id, alarm_state, entity_type_id,
                 entity_instance_id, severity, reason_text, alarm_type,
                 probable_cause, proposed_repair_action,
                 service_affecting=False, suppression=False, uuid=None,
                 timestamp=None, inhibit_alarms=False,
                 keep_existing_alarm=False):
        self.alarm_id = alarm_id
        self.alarm_state = alarm_state
        self.entity_type_id = entity_type_id
        self.entity_instance_id = entity_instance_id
        self.severity = severity
        self.reason_text = reason_text
        self.alarm_type = alarm_type
        self.probable_cause = probable_cause
        self.proposed_repair_action = proposed_repair_action
        self.service_affecting = service_affecting
        self.suppression = suppression
        self.uuid = uuid
        self.timestamp = timestamp
        self.inhibit_alarms = inhibit_alarms
        self.keep_existing_alarm = keep_existing_alarm

    def as_dict(self):
        return dict(vars(self))

    def __repr__(self):
        return '<Fault %s %s %s>' % (self.alarm_id, self.entity_instance_id,
                                     self.severity)


def catalogue_fault(alarm_id, entity_instance_id, reason_text,
                    severity=None):
    """A Fault whose type, cause, repair and severity come from the
    alarm catalogue, so callers name only what is theirs to say."""
    try:
        definition = catalogue.get(alarm_id)
    except catalogue.UnknownAlarmId as exc:
        raise ClientException(str(exc))
    return Fault(alarm_id=alarm_id, alarm_state='set',
                 entity_type_id=definition.entity_type_id,
                 entity_instance_id=entity_instance_id,
                 severity=severity or definition.severity,
                 reason_text=reason_text, alarm_type=definition.alarm_type,
                 probable_cause=definition.probable_cause,
                 proposed_repair_action=definition.proposed_repair_action,
                 service_affecting=definition.service_affecting,
                 suppression=definition.suppression,
                 inhibit_alarms=definition.inhibit_alarms)


class FaultAPIs:
    """Raise, clear and read alarms through fm.

    Sets and clears go over ``notification_transport``, reads over
    ``rpc_transport``; :meth:`from_conf` builds both from a service's conf.
    With ``hold_undelivered``, sets and clears return at once and go out
    from an :class:`~fm.client.outbox.Outbox` that keeps them across a
    broker outage; call :meth:`close` on the way out.
    """

    def __init__(self, notification_transport, rpc_transport,
                 publisher_id='fm.client', fault_topic=DEFAULT_FAULT_TOPIC,
                 rpc_topic=DEFAULT_RPC_TOPIC, send_retries=3,
                 hold_undelivered=False, retry_interval=2.0):
        self._transport = notification_transport
        self._publisher_id = publisher_id
        self._fault_topic = fault_topic
        self._send_retries = send_retries
        self._manager = rpcapi.ManagerAPI(rpc_transport, rpc_topic)
        self._owned_transports = []
        self._outbox = None
        if hold_undelivered:
            self._outbox = outbox.Outbox(self._send_now, APIException,
                                         retry_interval=retry_interval)

    @classmethod
    def from_conf(cls, conf, **kwargs):
        """A client over transports of its own; call :meth:`close` after."""
        transports = (messaging.get_notification_transport(conf),
                      messaging.get_transport(conf))
        api = cls(*transports, **kwargs)
        api._owned_transports.extend(transports)
        return api

    def close(self, timeout=5.0):
        """Deliver held messages (for up to ``timeout`` s), then release
        the transports :meth:`from_conf` opened."""
        if self._outbox is not None:
            self._outbox.close(timeout)
        while self._owned_transports:
            self._owned_transports.pop().cleanup()

    def flush(self, timeout):
        """Wait for held messages to go out; True when none is left."""
        return self._outbox is None or self._outbox.flush(timeout)

    def _send_now(self, payload):
        try:
            messaging.send_notification(
                self._transport, self._fault_topic, self._publisher_id,
                messages.EVENT_TYPE % payload['action'], payload,
                retry=self._send_retries)
        except oslo_messaging.MessagingException as exc:
            raise APIException('fm is unreachable: %s' % exc)

    def _send(self, payload):
        if self._outbox is not None:
            self._outbox.submit(payload)
        else:
            self._send_now(payload)

    def set_fault(self, fault):
        """Raise (or update) an alarm; returns its uuid when it is new.

        An alarm already active under the same alarm_id and
        entity_instance_id keeps its uuid.
        """
        data = {k: v for k, v in fault.as_dict().items()
                if k != 'timestamp'}
        try:
            payload = messages.make_set(data)
        except messages.InvalidFault as exc:
            raise ClientException(str(exc))
        self._send(payload)
        return payload['fault']['uuid']

    def clear_fault(self, alarm_id, entity_instance_id):
        """Clear one alarm; True once the request is queued."""
        try:
            payload = messages.make_clear(alarm_id, entity_instance_id)
        except messages.InvalidFault as exc:
            raise ClientException(str(exc))
        self._send(payload)
        return True

    def clear_all(self, entity_instance_id):
        """Clear every alarm of an entity and of its sub-entities."""
        try:
            payload = messages.make_clear_all(entity_instance_id)
        except messages.InvalidFault as exc:
            raise ClientException(str(exc))
        self._send(payload)
        return True

    def _query(self, **filters):
        try:
            found = self._manager.get_faults(
                oslo_context.RequestContext(), **filters)
        except oslo_messaging.MessagingException as exc:
            raise APIException('fm-manager did not answer: %s' % exc)
        return [Fault(**fault) for fault in found] or None

    def get_fault(self, alarm_id, entity_instance_id):
        found = self._query(alarm_id=alarm_id,
                            entity_instance_id=entity_instance_id)
        return found[0] if found else None

    def get_faults(self, entity_instance_id):
        return self._query(entity_instance_id=entity_instance_id)

    def get_faults_by_id(self, alarm_id):
        return self._query(alarm_id=alarm_id)


def conf_opts():
    """The ``[fm]`` options of a service that raises alarms."""
    return [
        cfg.StrOpt('fault_topic', default=DEFAULT_FAULT_TOPIC,
                   help='Notification topic fm-manager takes alarms from.'),
        cfg.StrOpt('rpc_topic', default=DEFAULT_RPC_TOPIC,
                   help='RPC topic of fm-manager, for reading alarms.'),
    ]


class HostAlarmSender:
    """Raise and clear a service's alarms on hosts (``host=<name>``).

    An alarm that cannot be sent is logged, never allowed to fail what
    raised it (give it a FaultAPIs that holds undelivered messages).
    """

    def __init__(self, fault_api):
        self.fault_api = fault_api

    @staticmethod
    def entity(hostname):
        return 'host=%s' % hostname

    def set(self, alarm_id, hostname, reason, severity=None,
            entity_suffix=''):
        """Raise ``alarm_id`` from the catalogue; a log ID records an
        event instead (entity ``host=<name><entity_suffix>``)."""
        try:
            fault = catalogue_fault(alarm_id, self.entity(hostname)
                                    + entity_suffix, reason, severity)
            if not catalogue.get(alarm_id).is_alarm:
                fault.alarm_state = 'msg'
            self.fault_api.set_fault(fault)
        except (APIException, ClientException) as exc:
            LOG.error('Could not raise %s for host %s: %s', alarm_id,
                      hostname, exc)

    def clear(self, alarm_id, hostname, entity_suffix=''):
        try:
            self.fault_api.clear_fault(alarm_id, self.entity(hostname)
                                       + entity_suffix)
        except (APIException, ClientException) as exc:
            LOG.error('Could not clear alarm %s of host %s: %s', alarm_id,
                      hostname, exc)
