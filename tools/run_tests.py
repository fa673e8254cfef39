"""Run the whole test suite the way CI does.

Starts PostgreSQL, MariaDB and RabbitMQ when they are installed but
stopped, tells the functional tests which are reachable, runs stestr and
ends with ``N passed, N failed`` from stestr's own results. Tests that
need a missing service are skipped, and every skipped test is named at
the end; with CI=true a missing service fails the run instead.
"""

import io
import os
import shutil
import socket
import subprocess
import sys
import time

import subunit
import testtools

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IN_CI = os.environ.get('CI', '').lower() == 'true'

# name, port, binary that shows it is installed, command that starts it,
# env var the tests read, URL they get.
SERVICES = [
    ('PostgreSQL', 5432, 'pg_ctlcluster',
     'pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main '
     'start',
     'STX_TEST_POSTGRESQL', 'postgresql+psycopg2://postgres@127.0.0.1:5432/'),
    ('MariaDB', 3306, 'mariadbd',
     'start-stop-daemon --start --oknodo --background --exec '
     '/usr/sbin/mariadbd',
     'STX_TEST_MYSQL', 'mysql+pymysql://root@127.0.0.1:3306/'),
    ('RabbitMQ', 5672, 'rabbitmq-server', 'rabbitmq-server -detached',
     'STX_TEST_RABBIT', 'rabbit://guest:guest@127.0.0.1:5672/'),
]


def _listening(port):
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=1):
            return True
    except OSError:
        return False


def _installed(binary):
    return bool(shutil.which(binary) or os.path.exists('/usr/sbin/' + binary)
                or os.path.exists('/usr/lib/rabbitmq/bin/' + binary))


def ensure_services(env):
    missing = []
    for name, port, binary, start, var, url in SERVICES:
        if not _listening(port) and _installed(binary):
            print('starting %s' % name, flush=True)
            subprocess.run(start, shell=True, check=False,
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while not _listening(port) and time.monotonic() < deadline:
                time.sleep(0.5)
        if _listening(port):
            env[var] = url
        else:
            missing.append(name)
    return missing


class _Tally(testtools.StreamResult):
    """Collect final statuses per test id from the subunit stream."""

    def __init__(self):
        super().__init__()
        self.outcomes = {}
        self.reasons = {}

    def status(self, test_id=None, test_status=None, file_name=None,
               file_bytes=None, **kwargs):
        if test_id and test_status in ('success', 'fail', 'skip', 'xfail',
                                       'uxsuccess'):
            self.outcomes[test_id] = test_status
        if test_id and file_name == 'reason' and file_bytes:
            self.reasons[test_id] = bytes(file_bytes).decode('utf-8',
                                                             'replace')


def summarize(stestr):
    last = subprocess.run([stestr, 'last', '--subunit'], cwd=ROOT,
                          capture_output=True, check=False)
    tally = _Tally()
    try:
        subunit.ByteStreamToStreamResult(
            io.BytesIO(last.stdout)).run(tally)
    except Exception as exc:  # no run recorded, e.g. discovery failed
        print('could not read stestr results: %s' % exc)
    counts = {}
    for outcome in tally.outcomes.values():
        counts[outcome] = counts.get(outcome, 0) + 1
    skipped = sorted(t for t, s in tally.outcomes.items() if s == 'skip')
    return counts, skipped, tally.reasons


def main(argv):
    env = dict(os.environ)
    missing = ensure_services(env)
    if missing:
        print('not available: %s' % ', '.join(missing), flush=True)
    stestr = os.path.join(os.path.dirname(sys.executable), 'stestr')
    run = subprocess.run([stestr, 'run', '--concurrency', '2'] + argv,
                         cwd=ROOT, env=env, check=False)
    counts, skipped, reasons = summarize(stestr)
    passed = counts.get('success', 0) + counts.get('xfail', 0)
    failed = counts.get('fail', 0) + counts.get('uxsuccess', 0)
    for test_id in skipped:
        print('skipped: %s (%s)' % (test_id, reasons.get(test_id, '')))
    if skipped:
        print('%d tests skipped%s' % (len(skipped), (
            ' because %s is not available' % ', '.join(missing))
            if missing else ''))
    ok = run.returncode == 0 and failed == 0 and passed > 0
    if IN_CI and missing:
        # The tests that need them fail by themselves under CI=true too.
        print('CI=true: %s missing, which fails the run'
              % ', '.join(missing))
        ok = False
    print('%d passed, %d failed' % (passed, failed), flush=True)
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
