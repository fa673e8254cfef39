"""How sysinv scales with the size of the fleet.

1. A private PostgreSQL database gets the sysinv schema.
2. Hosts are discovered the way agents discover them: each is a generated
   hostsim tree (the ``worker`` profile: 64 threads, 2 NUMA nodes, disks,
   SR-IOV NICs, a GPU and a QAT device), read by the real inventory code
   and recorded with the conductor's record_report.
3. The real sysinv-api app is served by cheroot on a real port and
   ``GET /v1/ihosts`` (the whole fleet in one answer) is timed over HTTP at
   100, 250, 500 and 1,000 hosts.
4. One report of a ``worker-large`` host (2 sockets, 256 threads, 24
   disks, 16 NICs) is timed: its first recording and a re-report.
Targets: host list p99 <= 100 ms at 1,000 hosts; one report <= 200 ms.
"""

import argparse
import os
import statistics
import tempfile
import time
import uuid

import requests
import sqlalchemy as sa

from hostsim import tree
from stxcommon.db import engine
from stxcommon import service
from sysinv.agent import inventory
from sysinv.agent import report
from sysinv.api import app as sysinv_app
from sysinv import conf as sysinv_conf
from sysinv.db import api as db_api
from sysinv.db import migration

PG = 'postgresql+psycopg2://postgres@127.0.0.1:5432/'
LIST_TARGET_MS = 100.0
REPORT_TARGET_MS = 200.0


def _conf(db_url):
    conf = sysinv_conf.new_conf()
    conf([], project='sysinv', default_config_files=[])
    conf.set_override('connection', db_url, group='database')
    conf.set_override('auth_strategy', 'noauth')
    return conf


def _report_for(workdir, profile, hostname):
    root = os.path.join(workdir, hostname)
    tree.generate(profile, root, hostname)
    return report.build(inventory.collect(root))


def _mac(index):
    return '02:aa:%02x:%02x:%02x:%02x' % (
        (index >> 24) & 255, (index >> 16) & 255, (index >> 8) & 255,
        index & 255)


def _percentile(values, pct):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(pct / 100.0 *
                                                 (len(values) - 1))))]


def _time_list(url, count, warmup=5):
    session = requests.Session()
    samples = []
    for index in range(warmup + count):
        started = time.perf_counter()
        response = session.get(url + '/v1/ihosts', timeout=30)
        elapsed = time.perf_counter() - started
        response.raise_for_status()
        if index >= warmup:
            samples.append(elapsed * 1000)
    return (len(response.json()['ihosts']), statistics.median(samples),
            _percentile(samples, 99))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--requests', type=int, default=100,
                        help='timed host-list requests per fleet size')
    parser.add_argument('--sizes', default='100,250,500,1000',
                        help='fleet sizes at which the list is timed')
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(',')]

    name = 'stx_bench_%s' % uuid.uuid4().hex[:10]
    admin = sa.create_engine(PG + 'postgres', isolation_level='AUTOCOMMIT')
    with admin.connect() as connection:
        connection.execute(sa.text('CREATE DATABASE %s' % name))
    server = None
    try:
        conf = _conf(PG + name)
        database = engine.Database(conf)
        migration.upgrade(database)
        dbapi = db_api.get_connection(database)
        dbapi.ensure_system()
        workdir = tempfile.mkdtemp(prefix='sysinv-bench-')
        template = _report_for(workdir, 'worker', 'worker-template')

        server = service.WSGIService('sysinv-api',
                                     lambda: sysinv_app.setup_app(conf),
                                     '127.0.0.1', 0, threads=8)
        server.start()
        url = 'http://127.0.0.1:%d' % server.port
        print('sysinv-api on %s/v1, PostgreSQL database %s' % (url, name))
        print('%8s %10s %10s %10s  %s' % ('hosts', 'p50 ms', 'p99 ms',
                                          'listed', 'host list'))
        recorded, report_ms = 0, []
        for size in sizes:
            while recorded < size:
                one = dict(template, mgmt_mac=_mac(recorded),
                           hostname='worker-%d' % recorded)
                one['ports'] = [dict(p, mac=_mac(recorded + (i + 1) << 20))
                                for i, p in enumerate(template['ports'])]
                started = time.perf_counter()
                dbapi.record_report(one)
                report_ms.append((time.perf_counter() - started) * 1000)
                recorded += 1
            listed, p50, p99 = _time_list(url, args.requests)
            verdict = ''
            if size == sizes[-1]:
                verdict = 'target <= %.0f ms: %s' % (
                    LIST_TARGET_MS, 'PASS' if p99 <= LIST_TARGET_MS
                    else 'MISS')
            print('%8d %10.1f %10.1f %10d  %s' % (size, p50, p99, listed,
                                                 verdict))
        print('recording a worker report (64 threads) while the fleet '
              'grew: median %.1f ms, p99 %.1f ms'
              % (statistics.median(report_ms), _percentile(report_ms, 99)))

        large = _report_for(workdir, 'worker-large', 'worker-large-0')
        large['mgmt_mac'] = _mac(10 ** 6)
        timings = []
        for attempt in range(6):
            started = time.perf_counter()
            dbapi.record_report(large)
            timings.append((time.perf_counter() - started) * 1000)
        counts = '%d cpus, %d disks, %d ports' % (
            len(large['cpus']), len(large['disks']), len(large['ports']))
        print('worker-large report (%s): first %.1f ms, re-report median '
              '%.1f ms  target <= %.0f ms: %s' % (
                  counts, timings[0], statistics.median(timings[1:]),
                  REPORT_TARGET_MS,
                  'PASS' if max(timings) <= REPORT_TARGET_MS else 'MISS'))
        database.dispose()
    finally:
        if server is not None:
            server.stop()
        with admin.connect() as connection:
            connection.execute(sa.text(
                'DROP DATABASE IF EXISTS %s WITH (FORCE)' % name))
        admin.dispose()


if __name__ == '__main__':
    main()
