"""How fast the fault API reads pages of alarms and of the event log.

1. A private PostgreSQL database gets the fm schema, the suppression rows of
   the catalogue, 10,000 active alarms and 1,000,000 event-log rows (loaded
   server-side with INSERT ... SELECT generate_series, then VACUUM ANALYZE).
2. The real fm-api WSGI app is served in-process by cheroot on a real port.
3. requests.Session times, over HTTP, after a warm-up:
   - GET /v1/alarms?limit=100 (first page, and pages deep into the list
     reached through the ``next`` links);
   - GET /v1/event_log?limit=100 filtered by entity, by severity and by a
     time window.
Prints p50 / p99 per query kind. Targets: alarms page p99 <= 30 ms,
filtered event-log page p99 <= 50 ms (PASS/MISS; exit status 0 either way).
"""

import argparse
import datetime
import math
import statistics
import sys
import time
import uuid

import requests
import sqlalchemy as sa

from fm.api import app as fm_app
from fm import catalogue
from fm import conf as fm_conf
from fm.db import api as db_api
from fm.db import migration
from stxcommon.db import engine
from stxcommon import messaging
from stxcommon import service

PG = 'postgresql+psycopg2://postgres@127.0.0.1:5432/'
ALARM_TARGET_MS = 30.0
EVENT_TARGET_MS = 50.0
TIMEOUT = 30


def _conf(db_url):
    conf = fm_conf.new_conf()
    conf([], project='fm')
    conf.set_override('connection', db_url, group='database')
    conf.set_override('auth_strategy', 'noauth')
    return conf


def _pg_array(values):
    return 'ARRAY[%s]::text[]' % ', '.join(
        "'%s'" % v.replace("'", "''") for v in values)


def _load(db, definitions, alarms, events, hosts, now):
    """Bulk-load active alarms and event-log rows, server-side."""
    alarm_defs = [d for d in definitions if d.is_alarm]
    log_defs = [d for d in definitions if not d.is_alarm]
    a_ids = _pg_array([d.alarm_id for d in alarm_defs])
    a_types = _pg_array([d.alarm_type for d in alarm_defs])
    a_causes = _pg_array([d.probable_cause for d in alarm_defs])
    a_etypes = _pg_array([d.entity_type_id for d in alarm_defs])
    a_mgmt = _pg_array([d.mgmt_affecting for d in alarm_defs])
    a_degrade = _pg_array([d.degrade_affecting for d in alarm_defs])
    a_supp = _pg_array([str(d.suppression).lower() for d in alarm_defs])
    sev = _pg_array(['critical', 'major', 'minor', 'warning'])
    n_a = len(alarm_defs)
    # Pairs (alarm_id, host) are unique: alarm i -> def i % n, host i / n.
    alarm_sql = f"""
        INSERT INTO alarm (uuid, alarm_id, alarm_state, entity_type_id,
            entity_instance_id, timestamp, severity, reason_text,
            alarm_type, probable_cause, proposed_repair_action,
            service_affecting, suppression, inhibit_alarms, masked,
            mgmt_affecting, degrade_affecting, created_at)
        SELECT gen_random_uuid()::text,
               ({a_ids})[i % {n_a} + 1], 'set',
               ({a_etypes})[i % {n_a} + 1],
               'host=compute-' || (i / {n_a}),
               ts,
               ({sev})[1 + (hashint4(i) & 2147483647) % 4],
               'bench alarm ' || i,
               ({a_types})[i % {n_a} + 1],
               ({a_causes})[i % {n_a} + 1],
               'bench repair action',
               (i % 5 = 0), ({a_supp})[i % {n_a} + 1]::boolean,
               false, false,
               ({a_mgmt})[i % {n_a} + 1],
               ({a_degrade})[i % {n_a} + 1],
               ts
        FROM (SELECT i, :now - random() * interval '30 days' AS ts
              FROM generate_series(0, :n - 1) AS i) AS s
    """
    # Events: ~85 % alarm sets/clears (clears carry severity 'clear'),
    # ~15 % logs. Hosts are spread uniformly over ``hosts`` computes.
    e_ids = _pg_array([d.alarm_id for d in alarm_defs])
    l_ids = _pg_array([d.alarm_id for d in log_defs] or ['000.000'])
    l_types = _pg_array([d.alarm_type for d in log_defs] or ['other'])
    l_causes = _pg_array([d.probable_cause for d in log_defs] or
                         ['unknown'])
    n_l = max(len(log_defs), 1)
    event_sql = f"""
        INSERT INTO event_log (uuid, event_log_id, state, entity_type_id,
            entity_instance_id, timestamp, severity, reason_text,
            event_log_type, probable_cause, proposed_repair_action,
            service_affecting, suppression, created_at)
        SELECT gen_random_uuid()::text,
               CASE WHEN kind = 2 THEN ({l_ids})[r % {n_l} + 1]
                    ELSE ({e_ids})[r % {n_a} + 1] END,
               (ARRAY['set', 'clear', 'log'])[kind + 1],
               'host',
               'host=compute-' || (i % :hosts),
               ts,
               CASE WHEN kind = 1 THEN 'clear'
                    ELSE ({sev})[1 + (r / 7) % 4] END,
               'bench event ' || i,
               CASE WHEN kind = 2 THEN ({l_types})[r % {n_l} + 1]
                    ELSE ({a_types})[r % {n_a} + 1] END,
               CASE WHEN kind = 2 THEN ({l_causes})[r % {n_l} + 1]
                    ELSE ({a_causes})[r % {n_a} + 1] END,
               'bench repair action',
               (r % 5 = 0), false, ts
        FROM (SELECT i, r,
                     CASE WHEN r % 100 < 45 THEN 0
                          WHEN r % 100 < 85 THEN 1 ELSE 2 END AS kind,
                     :now - random() * interval '30 days' AS ts
              FROM (SELECT i, hashint4(i) & 2147483647 AS r
                    FROM generate_series(:lo, :hi - 1) AS i) AS g) AS s
    """
    with db.begin() as connection:
        connection.execute(sa.text(alarm_sql), {'now': now, 'n': alarms})
    # Like pg_restore: load event_log without its secondary indexes, then
    # rebuild exactly the ones the migration made (same names and columns).
    with db.begin() as connection:
        constraints = connection.execute(sa.text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'event_log'::regclass AND contype = 'u'"
        )).all()
        for conname, _ in constraints:
            connection.execute(sa.text(
                'ALTER TABLE event_log DROP CONSTRAINT %s' % conname))
        indexes = connection.execute(sa.text(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "JOIN pg_index x ON x.indexrelid = (quote_ident(i.indexname))"
            "::regclass WHERE i.tablename = 'event_log' "
            "AND NOT x.indisprimary")).all()
        for indexname, _ in indexes:
            connection.execute(sa.text('DROP INDEX %s' % indexname))
    chunk = 250000
    for lo in range(0, events, chunk):
        with db.begin() as connection:
            connection.execute(sa.text(event_sql), {
                'now': now, 'hosts': hosts, 'lo': lo,
                'hi': min(lo + chunk, events)})
    with db.begin() as connection:
        connection.execute(sa.text("SET LOCAL maintenance_work_mem = "
                                   "'256MB'"))
        for _, indexdef in indexes:
            connection.execute(sa.text(indexdef))
        for conname, definition in constraints:
            connection.execute(sa.text(
                'ALTER TABLE event_log ADD CONSTRAINT %s %s'
                % (conname, definition)))
    with db.connect().execution_options(
            isolation_level='AUTOCOMMIT') as connection:
        # VACUUM too, so insert-triggered autovacuum does not run mid-timing.
        connection.execute(sa.text('VACUUM ANALYZE'))
        counts = {t: connection.execute(sa.text(
            'SELECT count(*) FROM %s' % t)).scalar()
            for t in ('alarm', 'event_log', 'event_suppression')}
    return counts


def _percentile(sorted_values, pct):
    """Nearest-rank percentile of an already sorted list."""
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


def _get(session, url, params=None):
    response = session.get(url, params=params, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def _time(session, requests_list, n, warmup, expect_key):
    """Time ``n`` GETs cycling through ``requests_list`` (url, params)."""
    for k in range(warmup):
        url, params = requests_list[k % len(requests_list)]
        _get(session, url, params)
    latencies, sizes = [], []
    for k in range(n):
        url, params = requests_list[k % len(requests_list)]
        start = time.perf_counter()
        response = session.get(url, params=params, timeout=TIMEOUT)
        elapsed = time.perf_counter() - start
        response.raise_for_status()
        sizes.append(len(response.json()[expect_key]))
        latencies.append(elapsed * 1000.0)
    latencies.sort()
    return latencies, sizes


def _walk(session, url, params, key):
    """Follow ``next`` links to the end; (next urls, rows, seconds)."""
    nexts, rows = [], 0
    start = time.perf_counter()
    body = _get(session, url, params)
    while True:
        rows += len(body[key])
        if not body.get('next'):
            break
        nexts.append(body['next'])
        body = _get(session, body['next'])
    return nexts, rows, time.perf_counter() - start


def _explain(database, db, nexts, window_start, window_end):
    """EXPLAIN ANALYZE the statements the API's queries send."""
    from urllib import parse

    captured = []

    def capture(conn, cursor, statement, parameters, context, many):
        captured.append((statement, parameters))

    sa.event.listen(database.engine, 'before_cursor_execute', capture)
    dbapi = db_api.get_connection(database)
    deep = parse.parse_qs(parse.urlparse(nexts[69]).query)['marker'][0]
    cases = [
        ('alarms page 1', lambda: dbapi.alarm_get_list(limit=100)),
        ('alarms deep page', lambda: dbapi.alarm_get_list(
            limit=100, marker=deep)),
        ('event_log entity', lambda: dbapi.event_log_get_list(
            [('entity_instance_id', 'eq', 'host=compute-7')], 100)),
        ('event_log severity', lambda: dbapi.event_log_get_list(
            [('severity', 'eq', 'critical')], 100)),
        ('event_log window', lambda: dbapi.event_log_get_list(
            [('timestamp', 'ge', window_start),
             ('timestamp', 'le', window_end)], 100)),
    ]
    for label, call in cases:
        captured.clear()
        call()
        statement, parameters = captured[-1]
        raw = db.raw_connection()
        try:
            cursor = raw.cursor()
            cursor.execute('EXPLAIN (ANALYZE, BUFFERS) ' + statement,
                           parameters)
            plan = [row[0] for row in cursor.fetchall()]
        finally:
            raw.close()
        print()
        print('-- %s' % label)
        print('\n'.join(plan))
    sa.event.remove(database.engine, 'before_cursor_execute', capture)


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog='\n'.join(__doc__.splitlines()[2:]))
    parser.add_argument('--alarms', type=int, default=10000,
                        help='active alarms to load (default 10000)')
    parser.add_argument('--events', type=int, default=1000000,
                        help='event-log rows to load (default 1000000)')
    parser.add_argument('--hosts', type=int, default=200,
                        help='distinct host=compute-N in the event log '
                             '(default 200)')
    parser.add_argument('--requests', type=int, default=300,
                        help='timed requests per query kind (default 300)')
    parser.add_argument('--warmup', type=int, default=20,
                        help='untimed requests per kind first (default 20)')
    parser.add_argument('--explain', action='store_true',
                        help='also print EXPLAIN ANALYZE of the SQL each '
                             'query kind runs')
    parser.add_argument('--threads', type=int, default=8,
                        help='cheroot worker threads (default 8)')
    args = parser.parse_args()

    name = 'stx_bench_%s' % uuid.uuid4().hex[:10]
    admin = sa.create_engine(PG + 'postgres', isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.execute(sa.text('CREATE DATABASE %s' % name))
    server = None
    db = database = None
    try:
        db_url = PG + name
        conf = _conf(db_url)
        database = engine.Database(conf)
        migration.upgrade(database)
        definitions = list(catalogue.load().values())
        db_api.get_connection(database).sync_suppression(definitions)

        db = sa.create_engine(db_url)
        now = datetime.datetime.now(datetime.UTC).replace(tzinfo=None)
        start = time.perf_counter()
        counts = _load(db, definitions, args.alarms, args.events,
                       args.hosts, now)
        load_seconds = time.perf_counter() - start
        print('database %s: %d alarms, %d event-log rows, %d suppression '
              'rows loaded + VACUUM ANALYZE in %.1f s'
              % (name, counts['alarm'], counts['event_log'],
                 counts['event_suppression'], load_seconds))

        notification_transport = messaging.get_notification_transport(
            conf, url='kombu+memory:////')
        rpc_transport = messaging.get_transport(conf,
                                                url='kombu+memory:////')
        app = fm_app.setup_app(conf, notification_transport, rpc_transport)
        server = service.WSGIService('fm-api', lambda: app, '127.0.0.1', 0,
                                     threads=args.threads)
        server.start()
        base = 'http://127.0.0.1:%d/v1' % server.port
        print('fm-api on %s (%d threads), %d timed requests per kind after '
              '%d warm-up' % (base, args.threads, args.requests,
                              args.warmup))

        session = requests.Session()
        results = []  # (label, latencies, sizes, target)

        # (a) Alarms: first page, then walk the whole list by next links.
        alarms_url = base + '/alarms'
        first = [(alarms_url, {'limit': 100})]
        results.append(('alarms page 1 (limit=100)',) + _time(
            session, first, args.requests, args.warmup, 'ialarms') +
            (ALARM_TARGET_MS,))
        nexts, walked, walk_s = _walk(session, alarms_url, {'limit': 100},
                                      'ialarms')
        print('alarms walk by next links: %d rows in %d pages, %.2f s '
              '(%.1f ms/page)' % (walked, len(nexts) + 1, walk_s,
                                  walk_s * 1000 / (len(nexts) + 1)))
        # Pages starting 5,000..9,000 rows into the list.
        deep = [(url, None) for url in nexts[49:90]] or [(nexts[-1], None)]
        results.append(('alarms deep page (marker 5000-9000)',) + _time(
            session, deep, args.requests, args.warmup, 'ialarms') +
            (ALARM_TARGET_MS,))

        # (b) Event log, filtered pages from the 1,000,000 rows.
        events_url = base + '/event_log'

        def q(*triples):
            params = [('limit', 100)]
            for field, op, value in triples:
                params += [('q.field', field), ('q.op', op),
                           ('q.value', value)]
            return [(events_url, params)]

        window_end = now - datetime.timedelta(days=10)
        window_start = window_end - datetime.timedelta(days=1)
        kinds = [
            ('event_log entity_instance_id=host=compute-7',
             q(('entity_instance_id', 'eq', 'host=compute-7'))),
            ('event_log severity=critical',
             q(('severity', 'eq', 'critical'))),
            ('event_log time window (1 day, 10 days ago)',
             q(('start', 'ge', window_start.isoformat()),
               ('end', 'le', window_end.isoformat()))),
        ]
        for label, request in kinds:
            results.append((label,) + _time(
                session, request, args.requests, args.warmup, 'event_log') +
                (EVENT_TARGET_MS,))

        print()
        print('%-46s %5s %9s %9s %9s  %s' % ('query (GET, over HTTP)', 'rows',
                                             'p50 ms', 'p99 ms', 'target',
                                             'result'))
        for label, latencies, sizes, target in results:
            p99 = _percentile(latencies, 99)
            print('%-46s %5d %9.2f %9.2f %9s  %s' % (
                label, statistics.median(sizes),
                statistics.median(latencies), p99,
                '<= %g' % target, 'PASS' if p99 <= target else 'MISS'))
        session.close()
        if args.explain:
            _explain(database, db, nexts, window_start, window_end)
    finally:
        if server is not None:
            server.stop()
        if db is not None:
            db.dispose()
        if database is not None:
            database.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(
                'DROP DATABASE IF EXISTS %s WITH (FORCE)' % name))
        admin.dispose()
    return 0


if __name__ == '__main__':
    sys.exit(main())
