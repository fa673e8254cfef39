"""Tables of the fault service: active alarms, event log, suppression."""

import datetime

from sqlalchemy import Boolean
from sqlalchemy import Index
from sqlalchemy import Integer
from sqlalchemy import orm
from sqlalchemy import String
from sqlalchemy import UniqueConstraint

from stxcommon.db import models


class Base(orm.DeclarativeBase):
    pass


class Alarm(models.TimestampMixin, Base):
    """One active alarm; (alarm_id, entity_instance_id) identifies it."""

    __tablename__ = 'alarm'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_alarm_uuid'),
        UniqueConstraint('alarm_id', 'entity_instance_id',
                         name='uq_alarm_alarm_id_entity'),
        Index('ix_alarm_timestamp_id', 'timestamp', 'id'),
        Index('ix_alarm_entity_instance_id', 'entity_instance_id'),
    )

    id: orm.Mapped[int] = orm.mapped_column(Integer, primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(String(36))
    alarm_id: orm.Mapped[str] = orm.mapped_column(String(255))
    alarm_state: orm.Mapped[str] = orm.mapped_column(String(255))
    entity_type_id: orm.Mapped[str] = orm.mapped_column(String(255))
    entity_instance_id: orm.Mapped[str] = orm.mapped_column(String(255))
    timestamp: orm.Mapped[datetime.datetime] = orm.mapped_column(
        models.PreciseDateTime)
    severity: orm.Mapped[str] = orm.mapped_column(String(255))
    reason_text: orm.Mapped[str] = orm.mapped_column(String(1024),
                                                     default='')
    alarm_type: orm.Mapped[str] = orm.mapped_column(String(255))
    probable_cause: orm.Mapped[str] = orm.mapped_column(String(255))
    proposed_repair_action: orm.Mapped[str] = orm.mapped_column(
        String(1024), default='')
    service_affecting: orm.Mapped[bool] = orm.mapped_column(
        Boolean, default=False)
    suppression: orm.Mapped[bool] = orm.mapped_column(Boolean, default=False)
    inhibit_alarms: orm.Mapped[bool] = orm.mapped_column(Boolean,
                                                         default=False)
    masked: orm.Mapped[bool] = orm.mapped_column(Boolean, default=False)
    mgmt_affecting: orm.Mapped[str] = orm.mapped_column(String(255),
                                                        default='warning')
    degrade_affecting: orm.Mapped[str] = orm.mapped_column(String(255),
                                                           default='none')


class EventLog(models.TimestampMixin, Base):
    """Every set, clear and log ever recorded, newest first when read."""

    __tablename__ = 'event_log'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_event_log_uuid'),
        Index('ix_event_log_timestamp', 'timestamp', 'id'),
        Index('ix_event_log_event_log_id_ts', 'event_log_id', 'timestamp'),
        Index('ix_event_log_entity_ts', 'entity_instance_id', 'timestamp'),
    )

    id: orm.Mapped[int] = orm.mapped_column(Integer, primary_key=True)
    # Unique: a redelivered message finds its own event and is skipped.
    uuid: orm.Mapped[str] = orm.mapped_column(String(36))
    event_log_id: orm.Mapped[str] = orm.mapped_column(String(255))
    state: orm.Mapped[str] = orm.mapped_column(String(255))
    entity_type_id: orm.Mapped[str] = orm.mapped_column(String(255))
    entity_instance_id: orm.Mapped[str] = orm.mapped_column(String(255))
    timestamp: orm.Mapped[datetime.datetime] = orm.mapped_column(
        models.PreciseDateTime)
    severity: orm.Mapped[str] = orm.mapped_column(String(255))
    reason_text: orm.Mapped[str] = orm.mapped_column(String(1024),
                                                     default='')
    event_log_type: orm.Mapped[str] = orm.mapped_column(String(255))
    probable_cause: orm.Mapped[str] = orm.mapped_column(String(255))
    proposed_repair_action: orm.Mapped[str] = orm.mapped_column(
        String(1024), default='')
    service_affecting: orm.Mapped[bool] = orm.mapped_column(
        Boolean, default=False)
    suppression: orm.Mapped[bool] = orm.mapped_column(Boolean, default=False)


class EventSuppression(models.TimestampMixin, Base):
    """Whether an alarm ID is suppressed; one row per suppressible ID."""

    __tablename__ = 'event_suppression'
    __table_args__ = (
        UniqueConstraint('uuid', name='uq_event_suppression_uuid'),
        UniqueConstraint('alarm_id', name='uq_event_suppression_alarm_id'),
    )

    id: orm.Mapped[int] = orm.mapped_column(Integer, primary_key=True)
    uuid: orm.Mapped[str] = orm.mapped_column(String(36))
    alarm_id: orm.Mapped[str] = orm.mapped_column(String(255))
    description: orm.Mapped[str] = orm.mapped_column(String(1024),
                                                     default='')
    suppression_status: orm.Mapped[str] = orm.mapped_column(
        String(255), default='unsuppressed')
    set_for_deletion: orm.Mapped[bool] = orm.mapped_column(Boolean,
                                                           default=False)
