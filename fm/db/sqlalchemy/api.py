"""Queries of the fault service, each in its own transaction."""

import uuid as uuid_lib

import sqlalchemy as sa

from fm import constants
from fm.db.sqlalchemy import ingest
from fm.db.sqlalchemy import models
from fm import exception
from stxcommon.db import models as base_models

_OPERATORS = {
    'eq': lambda column, value: column == value,
    'ne': lambda column, value: column != value,
    'lt': lambda column, value: column < value,
    'le': lambda column, value: column <= value,
    'gt': lambda column, value: column > value,
    'ge': lambda column, value: column >= value,
}
OPERATORS = tuple(_OPERATORS)

_SUPPRESSED = sa.func.coalesce(models.EventSuppression.suppression_status,
                               'unsuppressed').label('suppression_status')


def _with_suppression(session, model, id_column, include_suppress):
    """Select ``model`` plus the suppression status of its alarm ID."""
    query = session.query(model, _SUPPRESSED).outerjoin(
        models.EventSuppression,
        models.EventSuppression.alarm_id == id_column)
    if not include_suppress:
        query = query.filter(sa.or_(
            models.EventSuppression.suppression_status.is_(None),
            models.EventSuppression.suppression_status != 'suppressed'))
    return query


def _apply_filters(query, model, filters):
    for field, op, value in filters:
        query = query.filter(_OPERATORS[op](getattr(model, field), value))
    return query


def _page(query, model, limit, marker, sort_key, sort_dir):
    """Keyset paging on (sort_key, id); 'id' breaks ties.

    A row-value comparison, unlike an OR of column comparisons, is matched
    against the (sort_key, id) index, so a page deep in the list costs the
    same as the first.
    """
    columns = [getattr(model, sort_key)]
    if sort_key != 'id':
        columns.append(model.id)
    descending = sort_dir == 'desc'
    if marker is not None:
        key = sa.tuple_(*columns)
        after = sa.tuple_(*[sa.literal(getattr(marker, c.key))
                            for c in columns])
        query = query.filter(key < after if descending else key > after)
    order = [c.desc() if descending else c.asc() for c in columns]
    return query.order_by(*order).limit(limit).all()


class Connection:
    def __init__(self, database):
        self.database = database

    # Alarms

    def _alarm(self, session, uuid):
        alarm = session.query(models.Alarm).filter_by(uuid=uuid).first()
        if alarm is None:
            raise exception.AlarmNotFound(uuid=uuid)
        return alarm

    def alarm_get(self, uuid):
        """(alarm, suppression_status) of one active alarm."""
        with self.database.reader() as session:
            row = _with_suppression(session, models.Alarm,
                                    models.Alarm.alarm_id, True).filter(
                models.Alarm.uuid == uuid).first()
        if row is None:
            raise exception.AlarmNotFound(uuid=uuid)
        return row

    def alarm_get_list(self, filters=(), limit=None, marker=None,
                       sort_key='timestamp', sort_dir='desc',
                       include_suppress=False):
        with self.database.reader() as session:
            marker_row = self._alarm(session, marker) if marker else None
            query = _with_suppression(session, models.Alarm,
                                      models.Alarm.alarm_id,
                                      include_suppress)
            query = _apply_filters(query, models.Alarm, filters)
            return _page(query, models.Alarm, limit, marker_row, sort_key,
                         sort_dir)

    def alarm_summary(self, include_suppress=False):
        """Counts of active alarms by severity."""
        with self.database.reader() as session:
            query = _with_suppression(session, models.Alarm,
                                      models.Alarm.alarm_id,
                                      include_suppress)
            rows = query.with_entities(
                models.Alarm.severity, sa.func.count(models.Alarm.id)
            ).group_by(models.Alarm.severity).all()
        counts = dict.fromkeys(constants.SEVERITIES, 0)
        counts.update(dict(rows))
        return counts

    def alarm_destroy(self, uuid):
        """Delete an alarm by hand and log its clear, in one transaction."""
        with self.database.writer() as session:
            alarm = self._alarm(session, uuid)
            row = {c: getattr(alarm, c) for c in ingest.ALARM_COLUMNS}
            now = base_models.utcnow()
            session.execute(sa.insert(models.EventLog), [ingest.event_row(
                str(uuid_lib.uuid4()), 'clear', row, now,
                severity=constants.SEVERITY_CLEAR)])
            session.delete(alarm)

    def alarms_by_entity(self, entity_instance_id=None, alarm_id=None):
        """Active alarms matching an entity and/or an alarm ID."""
        with self.database.reader() as session:
            query = session.query(models.Alarm)
            if entity_instance_id is not None:
                query = query.filter_by(entity_instance_id=entity_instance_id)
            if alarm_id is not None:
                query = query.filter_by(alarm_id=alarm_id)
            return query.order_by(models.Alarm.timestamp).all()

    # Event log

    def event_log_get(self, uuid):
        with self.database.reader() as session:
            row = _with_suppression(session, models.EventLog,
                                    models.EventLog.event_log_id,
                                    True).filter(
                models.EventLog.uuid == uuid).first()
        if row is None:
            raise exception.EventLogNotFound(uuid=uuid)
        return row

    def event_log_get_list(self, filters=(), limit=None, marker=None,
                           sort_key='timestamp', sort_dir='desc',
                           include_suppress=False, alarms_only=False,
                           logs_only=False):
        EventLog = models.EventLog
        with self.database.reader() as session:
            marker_row = None
            if marker:
                marker_row = session.query(EventLog).filter_by(
                    uuid=marker).first()
                if marker_row is None:
                    raise exception.InvalidQuery(
                        reason='marker %s is not an event' % marker)
            query = _with_suppression(session, EventLog,
                                      EventLog.event_log_id,
                                      include_suppress)
            if alarms_only:
                query = query.filter(EventLog.state.in_(('set', 'clear')))
            elif logs_only:
                query = query.filter(EventLog.state == 'log')
            query = _apply_filters(query, EventLog, filters)
            return _page(query, EventLog, limit, marker_row, sort_key,
                         sort_dir)

    # Event suppression

    def event_suppression_get_list(self):
        with self.database.reader() as session:
            return session.query(models.EventSuppression).order_by(
                models.EventSuppression.alarm_id).all()

    def event_suppression_update(self, uuid, suppression_status):
        with self.database.writer() as session:
            row = session.query(models.EventSuppression).filter_by(
                uuid=uuid).first()
            if row is None:
                raise exception.EventSuppressionNotFound(uuid=uuid)
            row.suppression_status = suppression_status
            session.flush()
            session.refresh(row)
            return row

    def sync_suppression(self, definitions):
        """Add a suppression row for every suppressible catalogue alarm."""
        with self.database.writer() as session:
            known = set(session.scalars(
                sa.select(models.EventSuppression.alarm_id)))
            for definition in definitions:
                if (definition.is_alarm and definition.suppression
                        and definition.alarm_id not in known):
                    session.add(models.EventSuppression(
                        uuid=str(uuid_lib.uuid4()),
                        alarm_id=definition.alarm_id,
                        description=definition.description,
                        suppression_status='unsuppressed',
                        set_for_deletion=False))

    # Fault messages (fm-manager)

    def apply_fault_messages(self, payloads):
        with self.database.writer() as session:
            return ingest.apply(session, payloads)
