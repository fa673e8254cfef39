"""Every WSME type of the fault API, in one place."""

from wsme import types as wtypes

from fm import constants


class Link(wtypes.Base):
    href = wtypes.text
    rel = wtypes.text


class Query(wtypes.Base):
    """One ``q`` filter: ``q.field``, ``q.op``, ``q.value`` (``q.type``)."""

    field = wtypes.text
    op = wtypes.text
    value = wtypes.text
    type = wtypes.text


class Alarm(wtypes.Base):
    uuid = wtypes.text
    alarm_id = wtypes.text
    alarm_state = wtypes.text
    entity_type_id = wtypes.text
    entity_instance_id = wtypes.text
    timestamp = wtypes.datetime.datetime
    severity = wtypes.text
    reason_text = wtypes.text
    alarm_type = wtypes.text
    probable_cause = wtypes.text
    proposed_repair_action = wtypes.text
    # StarlingX sends these flags as the strings "True" / "False".
    service_affecting = wtypes.text
    suppression = wtypes.text
    suppression_status = wtypes.text
    mgmt_affecting = wtypes.text
    degrade_affecting = wtypes.text
    created_at = wtypes.datetime.datetime
    updated_at = wtypes.datetime.datetime
    links = [Link]


class AlarmCollection(wtypes.Base):
    ialarms = [Alarm]
    next = wtypes.text


class AlarmBody(wtypes.Base):
    """What POST (raise) and PUT (update) accept; the catalogue fills gaps."""

    alarm_id = wtypes.text
    alarm_state = wtypes.Enum(str, 'set', 'msg')
    entity_type_id = wtypes.text
    entity_instance_id = wtypes.text
    severity = wtypes.Enum(str, *constants.SEVERITIES)
    reason_text = wtypes.text
    alarm_type = wtypes.Enum(str, *constants.ALARM_TYPES)
    probable_cause = wtypes.Enum(str, *constants.PROBABLE_CAUSES)
    proposed_repair_action = wtypes.text
    service_affecting = bool
    suppression = bool
    inhibit_alarms = bool


class AlarmSummary(wtypes.Base):
    critical = int
    major = int
    minor = int
    warnings = int
    status = wtypes.text


class EventLog(wtypes.Base):
    uuid = wtypes.text
    event_log_id = wtypes.text
    state = wtypes.text
    entity_type_id = wtypes.text
    entity_instance_id = wtypes.text
    timestamp = wtypes.datetime.datetime
    severity = wtypes.text
    reason_text = wtypes.text
    event_log_type = wtypes.text
    probable_cause = wtypes.text
    proposed_repair_action = wtypes.text
    service_affecting = wtypes.text
    suppression = wtypes.text
    suppression_status = wtypes.text
    created_at = wtypes.datetime.datetime
    updated_at = wtypes.datetime.datetime
    links = [Link]


class EventLogCollection(wtypes.Base):
    event_log = [EventLog]
    next = wtypes.text


class EventSuppression(wtypes.Base):
    uuid = wtypes.text
    alarm_id = wtypes.text
    description = wtypes.text
    suppression_status = wtypes.text
    created_at = wtypes.datetime.datetime
    updated_at = wtypes.datetime.datetime
    links = [Link]


class EventSuppressionCollection(wtypes.Base):
    event_suppression = [EventSuppression]


class PatchOperation(wtypes.Base):
    """One JSON-patch operation, as StarlingX's PATCH bodies carry."""

    op = wtypes.Enum(str, 'replace')
    path = wtypes.text
    value = wtypes.text
