"""How fast fm-manager turns a RabbitMQ backlog into PostgreSQL rows.

1. Several producer processes queue a backlog of set/clear messages through
   fm.client (the cost of one set_fault to its caller is recorded).
2. fm-manager starts and drains it into PostgreSQL: messages per second.
3. The raw limit on the same machine: the same backlog consumed with bare
   kombu, two batched INSERTs per batch, acknowledged after commit.
Prints both rates and their ratio. Targets: >= 5,000/s and >= 50 % of raw.
"""

import argparse
import datetime
import json
import multiprocessing
import statistics
import subprocess
import time
import uuid

import kombu
import sqlalchemy as sa

from fm import client
from fm import conf as fm_conf
from fm.db import migration
from fm.manager import service as manager_service
from stxcommon.db import engine

PG = 'postgresql+psycopg2://postgres@127.0.0.1:5432/'
RABBIT = 'rabbit://guest:guest@127.0.0.1:5672/'


def _conf(db_url, vhost):
    conf = fm_conf.new_conf()
    conf([], project='fm')
    conf.set_override('connection', db_url, group='database')
    conf.set_override('transport_url', RABBIT + vhost)
    return conf


def _produce(args):
    """One producer process: sets, then clears of the first ones."""
    db_url, vhost, topic, producer, sets, clears = args
    conf = _conf(db_url, vhost)
    api = client.FaultAPIs.from_conf(conf, fault_topic=topic)
    latencies = []
    for index in range(sets):
        fault = client.Fault('200.004', 'set', 'host',
                             'host=p%d-node-%06d' % (producer, index),
                             'critical', 'node failed', 'processing-error',
                             'unknown', 'reboot it')
        start = time.perf_counter()
        api.set_fault(fault)
        latencies.append(time.perf_counter() - start)
    for index in range(clears):
        api.clear_fault('200.004', 'host=p%d-node-%06d' % (producer, index))
    api.close()
    return latencies


def _queue_backlog(db_url, vhost, topic, producers, total):
    sets_each = int(total * 0.6) // producers
    clears_each = total // producers - sets_each
    with multiprocessing.get_context('spawn').Pool(producers) as pool:
        results = pool.map(_produce, [
            (db_url, vhost, topic, p, sets_each, clears_each)
            for p in range(producers)])
    return [lat for part in results for lat in part], (
        (sets_each + clears_each) * producers)


def _count(db, table):
    with db.connect() as connection:
        return connection.execute(sa.text(
            'SELECT count(*) FROM %s' % table)).scalar()


def _time_fm_manager(conf, db, expected):
    """Messages/s from fm-manager's first commit to its last.

    Start-up (connections, catalogue sync) is left out, as it is for the
    raw consumer, so both rates measure the same steady writing.
    """
    manager = manager_service.build(conf)
    started = time.perf_counter()
    manager.start()
    first = 0
    while first == 0:
        first = _count(db, 'event_log')
        first_at = time.perf_counter()
        time.sleep(0.005)
    while _count(db, 'event_log') < expected:
        time.sleep(0.02)
    done_at = time.perf_counter()
    manager.stop()
    return (expected - first) / (done_at - first_at), first_at - started


def _time_raw(db, vhost, topic, expected, batch_size=1000):
    """Bare kombu consume + two batched INSERTs, one ack after commit.

    The rows are the ones fm-manager writes, into tables with the same
    columns, constraints and indexes, so the difference between the two
    rates is what fm-manager's own work costs.
    """
    with db.begin() as connection:
        for table in ('event_log', 'alarm'):
            connection.execute(sa.text(
                'CREATE TABLE raw_%s (LIKE %s INCLUDING ALL)'
                % (table, table)))
    meta = sa.MetaData()
    events = sa.Table('raw_event_log', meta, autoload_with=db)
    alarms = sa.Table('raw_alarm', meta, autoload_with=db)
    done = 0
    first = first_at = None
    batch = []

    def flush():
        nonlocal done, first, first_at
        rows, alarm_rows = [], []
        for message in batch:
            payload = json.loads(json.loads(message.body)['oslo.message'])[
                'payload']
            fault = payload['fault']
            ts = datetime.datetime.fromisoformat(payload['timestamp'])
            row = {
                'uuid': payload['event_uuid'],
                'event_log_id': fault['alarm_id'],
                'state': payload['action'],
                'entity_type_id': fault.get('entity_type_id', ''),
                'entity_instance_id': fault['entity_instance_id'],
                'timestamp': ts,
                'severity': fault.get('severity', 'clear'),
                'reason_text': fault.get('reason_text', ''),
                'event_log_type': fault.get('alarm_type', ''),
                'probable_cause': fault.get('probable_cause', ''),
                'proposed_repair_action':
                    fault.get('proposed_repair_action', ''),
                'service_affecting': False, 'suppression': False,
                'created_at': ts}
            rows.append(row)
            if payload['action'] == 'set':
                alarm_rows.append({
                    'uuid': fault['uuid'], 'alarm_id': fault['alarm_id'],
                    'alarm_state': 'set',
                    'entity_type_id': fault['entity_type_id'],
                    'entity_instance_id': fault['entity_instance_id'],
                    'timestamp': ts, 'severity': fault['severity'],
                    'reason_text': fault['reason_text'],
                    'alarm_type': fault['alarm_type'],
                    'probable_cause': fault['probable_cause'],
                    'proposed_repair_action':
                        fault['proposed_repair_action'],
                    'service_affecting': False, 'suppression': False,
                    'inhibit_alarms': False, 'masked': False,
                    'mgmt_affecting': 'warning', 'degrade_affecting': 'none',
                    'created_at': ts})
        with db.begin() as connection:
            connection.execute(sa.insert(events), rows)
            if alarm_rows:
                connection.execute(sa.insert(alarms), alarm_rows)
        batch[-1].channel.basic_ack(batch[-1].delivery_tag, multiple=True)
        done += len(batch)
        batch.clear()
        if first is None:
            first, first_at = done, time.perf_counter()

    with kombu.Connection(RABBIT.replace('rabbit', 'amqp') + vhost) as conn:
        queue = kombu.Queue('%s.info' % topic, durable=True,
                            no_declare=True)
        with conn.Consumer(queue, on_message=batch.append,
                           prefetch_count=batch_size * 2):
            while done < expected:
                try:
                    conn.drain_events(timeout=0.02)
                except TimeoutError:
                    if batch:
                        flush()
                    continue
                if len(batch) >= batch_size:
                    flush()
    return (expected - first) / (time.perf_counter() - first_at)


def _rabbitmqctl(*args):
    subprocess.run(['rabbitmqctl', '-q'] + list(args), check=True,
                   stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--messages', type=int, default=20000,
                        help='size of the backlog (default 20000)')
    parser.add_argument('--producers', type=int, default=4,
                        help='producer processes (default 4)')
    args = parser.parse_args()

    name = 'stx_bench_%s' % uuid.uuid4().hex[:10]
    admin = sa.create_engine(PG + 'postgres', isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.execute(sa.text('CREATE DATABASE %s' % name))
    vhost = name.replace('_', '-')
    _rabbitmqctl('add_vhost', vhost)
    _rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*')
    try:
        db_url = PG + name
        conf = _conf(db_url, vhost)
        database = engine.Database(conf)
        migration.upgrade(database)
        db = sa.create_engine(db_url)

        latencies, total = _queue_backlog(db_url, vhost, 'fm_faults',
                                          args.producers, args.messages)
        latencies.sort()
        fm_rate, startup = _time_fm_manager(conf, db, total)

        _queue_backlog(db_url, vhost, 'raw_faults', args.producers,
                       args.messages)
        raw_rate = _time_raw(db, vhost, 'raw_faults', total)
        ratio = fm_rate / raw_rate
        print('backlog: %d messages from %d producer processes'
              % (total, args.producers))
        print('set_fault cost to its caller: median %.2f ms, p99 %.2f ms'
              % (statistics.median(latencies) * 1000,
                 latencies[int(len(latencies) * 0.99)] * 1000))
        print('fm-manager into PostgreSQL: %.0f messages/s (start-up to '
              'first commit %.2f s, not counted)  target >= 5000/s: %s'
              % (fm_rate, startup, 'PASS' if fm_rate >= 5000 else 'MISS'))
        print('raw limit (kombu + 2 batched INSERTs, ack after commit): '
              '%.0f messages/s' % raw_rate)
        print('ratio fm-manager / raw: %.0f %%  target >= 50 %%: %s'
              % (ratio * 100, 'PASS' if ratio >= 0.5 else 'MISS'))
        db.dispose()
        database.dispose()
    finally:
        _rabbitmqctl('delete_vhost', vhost)
        with admin.connect() as connection:
            connection.execute(sa.text(
                'DROP DATABASE IF EXISTS %s WITH (FORCE)' % name))
        admin.dispose()


if __name__ == '__main__':
    main()
