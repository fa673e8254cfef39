"""Apply a batch of fault messages in one transaction, idempotently.

A message is applied at most once: its ``event_uuid`` becomes the uuid of
the event-log row it writes, so a redelivered message (a crash between
commit and acknowledge) finds its event and is skipped. The batch is played
in order against an in-memory copy of the alarms it touches, then written
with a handful of bulk statements, which is what makes ingestion fast.
"""

import logging
import uuid as uuid_lib

import sqlalchemy as sa

from fm import catalogue
from fm import constants
from fm.db.sqlalchemy import models
from fm import messages

LOG = logging.getLogger(__name__)

ALARM_COLUMNS = ('uuid', 'alarm_id', 'alarm_state', 'entity_type_id',
                  'entity_instance_id', 'timestamp', 'severity',
                  'reason_text', 'alarm_type', 'probable_cause',
                  'proposed_repair_action', 'service_affecting',
                  'suppression', 'inhibit_alarms', 'masked',
                  'mgmt_affecting', 'degrade_affecting')


def _key(fault):
    return fault['alarm_id'], fault['entity_instance_id']


def _alarm_row(fault, timestamp, existing):
    definition = catalogue.get(fault['alarm_id'])
    row = {name: fault[name] for name in messages.FAULT_FIELDS
           if name in ALARM_COLUMNS}
    row.update(alarm_state='set', timestamp=timestamp, masked=False,
               mgmt_affecting=definition.mgmt_affecting,
               degrade_affecting=definition.degrade_affecting)
    if existing is not None:
        # An update keeps the identity callers already know.
        row['uuid'] = existing['uuid']
        row['id'] = existing.get('id')
        row['created_at'] = existing.get('created_at')
    return row


def event_row(event_uuid, state, source, timestamp, severity=None):
    return {
        'uuid': event_uuid,
        'event_log_id': source['alarm_id'],
        'state': state,
        'entity_type_id': source['entity_type_id'],
        'entity_instance_id': source['entity_instance_id'],
        'timestamp': timestamp,
        'severity': severity or source['severity'],
        'reason_text': source['reason_text'],
        'event_log_type': source['alarm_type'],
        'probable_cause': source['probable_cause'],
        'proposed_repair_action': source['proposed_repair_action'],
        'service_affecting': source['service_affecting'],
        'suppression': source['suppression'],
        'created_at': timestamp,
    }


def _load_alarms(session, keys, entity_prefixes):
    """The current rows of every alarm the batch may touch, by key."""
    Alarm = models.Alarm
    conditions = []
    if keys:
        # One indexed column is far cheaper to match than a tuple IN of
        # (alarm_id, entity); rows of other alarm IDs are dropped below.
        conditions.append(Alarm.entity_instance_id.in_(
            sorted({eid for _alarm_id, eid in keys})))
    for eid in entity_prefixes:
        conditions.append(Alarm.entity_instance_id == eid)
        conditions.append(Alarm.entity_instance_id.startswith(
            eid + '.', autoescape=True))
    if not conditions:
        return {}
    columns = [Alarm.id, Alarm.created_at] + [
        getattr(Alarm, name) for name in ALARM_COLUMNS]
    rows = session.execute(sa.select(*columns).where(sa.or_(*conditions)))
    wanted = set(keys)
    return {(r.alarm_id, r.entity_instance_id): dict(r._mapping)
            for r in rows
            if (r.alarm_id, r.entity_instance_id) in wanted or any(
                _matches_entity((r.alarm_id, r.entity_instance_id), eid)
                for eid in entity_prefixes)}


def _matches_entity(key, eid):
    return key[1] == eid or key[1].startswith(eid + '.')


def apply(session, payloads):
    """Apply validated payloads in order; return the changes committed.

    Each change is ``(action, row)`` with action 'set', 'clear' or 'log'.
    """
    by_uuid = {}
    for payload in payloads:
        by_uuid.setdefault(payload['event_uuid'], payload)
    seen = set(session.scalars(sa.select(models.EventLog.uuid).where(
        models.EventLog.uuid.in_(list(by_uuid)))))
    fresh = [p for u, p in by_uuid.items() if u not in seen]
    if len(fresh) < len(payloads):
        LOG.info('Skipping %d fault messages already recorded',
                 len(payloads) - len(fresh))

    keys = {_key(p['fault']) for p in fresh
            if p['action'] in (messages.SET, messages.CLEAR)}
    prefixes = {p['fault']['entity_instance_id'] for p in fresh
                if p['action'] == messages.CLEAR_ALL}
    original = _load_alarms(session, list(keys), prefixes)
    current = dict(original)
    events, changes = [], []

    for payload in fresh:
        action, fault, ts = (payload['action'], payload['fault'],
                             payload['timestamp'])
        event_uuid = payload['event_uuid']
        if action == messages.SET:
            existing = current.get(_key(fault))
            if existing is not None and fault['keep_existing_alarm']:
                continue
            row = _alarm_row(fault, ts, existing)
            current[_key(fault)] = row
            events.append(event_row(event_uuid, 'set', row, ts))
            changes.append(('set', row))
        elif action == messages.LOG:
            events.append(event_row(event_uuid, 'log', fault, ts))
            changes.append(('log', fault))
        else:
            if action == messages.CLEAR:
                cleared = [_key(fault)] if _key(fault) in current else []
            else:
                cleared = [k for k in current
                           if _matches_entity(k, fault['entity_instance_id'])]
            for key in cleared:
                row = current.pop(key)
                uuid = event_uuid if action == messages.CLEAR else str(
                    uuid_lib.uuid5(uuid_lib.UUID(event_uuid), row['uuid']))
                events.append(event_row(uuid, 'clear', row, ts,
                                         severity=constants.SEVERITY_CLEAR))
                changes.append(('clear', row))

    _write(session, original, current, events)
    return changes


def _write(session, original, current, events):
    Alarm = models.Alarm.__table__
    gone = [original[k]['id'] for k in original
            if k not in current or current[k].get('id') != original[k]['id']]
    if gone:
        session.execute(sa.delete(Alarm).where(Alarm.c.id.in_(gone)))
    new, changed = [], []
    for key, row in current.items():
        if key in original and row is original[key]:
            continue
        if row.get('id') is not None and row['id'] not in gone:
            changed.append(row)
        else:
            new.append(dict(row, id=None, created_at=row['timestamp']))
    if new:
        for row in new:
            row.pop('id')
        session.execute(sa.insert(Alarm), new)
    if changed:
        session.execute(
            sa.update(Alarm).where(Alarm.c.id == sa.bindparam('_id')),
            [dict({k: v for k, v in row.items() if k != 'id'},
                  _id=row['id'], updated_at=row['timestamp'])
             for row in changed])
    if events:
        session.execute(sa.insert(models.EventLog.__table__), events)
