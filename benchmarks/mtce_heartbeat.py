"""How mtce-agent detects dead hosts, and what heartbeat costs it.

For each fleet size (100, 1,000 and 5,000 hosts by default), on a private
RabbitMQ vhost:

1. A real ``mtce-agent`` process (heartbeat every 100 ms on two networks,
   default thresholds 4 / 6 / 10 missed pulses).
2. A stand-in for sysinv-conductor in this process answers maintenance's
   calls over RPC: the host list (every host unlocked and enabled, no
   BMC) and the state updates, which it time-stamps.
3. Processes (one per 2,500 hosts unless ``--responder-processes`` says
   otherwise) answer heartbeat for the hosts on management (127.11.x.y)
   and cluster-host (127.12.x.y), one UDP socket per host and network,
   noting when they last answered each host they will kill. Pulses come on
   a multicast group per network (239.1.1.2, 239.1.2.2, one port each),
   as StarlingX sends them, which a process takes on one socket per group
   for all its hosts (``--unicast``: one pulse per host instead); another
   sends each host's alive message over UDP as the hosts' mtce-clients do:
   every 5 s, each host at its own moment (with ``--unicast``, every 60 s
   once pulses arrive; group pulses do not tell a host it is monitored).
4. Once every host is enabled: a soak with every host healthy, counting
   hosts mtce reports degraded or failed (a failed one is a false
   failure) and the CPU time of mtce-agent (its whole process) and of the
   simulated hosts. A size where not every host gets enabled in time is
   reported as such, with the CPU use meanwhile.
5. A sample of hosts stops answering at random moments within a second;
   for each, the time from its last answered pulse to its ``failed`` state
   in mtce-agent (as mtce-agent's RPC API reports it), and to the moment
   sysinv hears of it (RPC delivery included); also the part of it spent
   up to the heartbeat monitor's verdict.

Columns: p50/p99 last pulse -> failed in mtce-agent; sysv50/sysv99 the
same to sysinv. Targets at 1,000 hosts x 2 networks at 100 ms: p99 last
pulse -> failed <= 1.1 s, 0 false failures over a soak of at least 5
minutes, mtce-agent CPU <= 25 % of one core.
"""

import argparse
import multiprocessing
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time

# stxcommon first: it picks oslo.service's threading backend, which must
# happen before oslo.messaging is imported.
from stxcommon import messaging  # noqa: I001

from oslo_config import cfg
from oslo_context import context
import oslo_messaging
import psutil

from mtce.agent import rpcapi as mtce_rpcapi
from mtce.client import host as host_client
from mtce.heartbeat import alive as alive_mod
from mtce.heartbeat import packet
from mtce.heartbeat import process as hb_process
from mtce.heartbeat import responder as responder_mod
from stxcommon.tests import fixtures as stx_fixtures
from stxcommon.tests import services

RABBIT = 'rabbit://guest:guest@127.0.0.1:5672/'
ALIVE_INTERVAL = 5.0
# Simulated hosts a responder process answers for, by default.
HOSTS_PER_SHARD = 2500
_MGMT_NET, _CLUSTER_NET = 11, 12
_MGMT_GROUP, _CLUSTER_GROUP = '239.1.1.2', '239.1.2.2'


def _address(network, index):
    high, low = divmod(index, 250)
    return '127.%d.%d.%d' % (network, high, low + 1)


def _host(index):
    return 'worker-%04d' % index


def _hosts(count):
    return [_host(index) for index in range(count)]


def _raise_file_limit(needed):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))
    if resource.getrlimit(resource.RLIMIT_NOFILE)[0] < needed:
        raise SystemExit('%d open files needed' % needed)


def _transport_conf(url):
    conf = cfg.ConfigOpts()
    conf.register_opts([])
    conf([], project='bench')
    return messaging.get_transport(conf, url=url)


class _TimedGroup(responder_mod.ResponderGroup):
    """A ResponderGroup that notes when it last answered the hosts it will
    kill (only those: at 5,000 hosts every answer counts)."""

    def __init__(self, key, watched):
        super().__init__(key)
        self.watched = frozenset(watched)
        self.last_answer = {}
        self.last_answer_wall = {}

    def _reply(self, entry, sender, sequence, source):
        answered = super()._reply(entry, sender, sequence, source)
        if answered and entry.host in self.watched:
            self.last_answer[entry.host] = time.monotonic()
            self.last_answer_wall[entry.host] = time.time()
        return answered


def _responders(conn, key, indexes, victims, multicast):
    """The heartbeat answers (each host's mtce-client responder) of the
    hosts at ``indexes``; ``multicast`` {network: (group, port)} or None.

    They run at the heartbeat monitor's priority where allowed: real hosts
    answer on CPUs of their own, not ones mtce-agent's monitor takes first.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, 0, hb_process.NICENESS)
    except OSError:
        pass
    _raise_file_limit(len(indexes) * 2 + 256)
    group = _TimedGroup(key, victims)
    names = [_host(index) for index in indexes]
    for index, host in zip(indexes, names):
        for network, net in (('management', _MGMT_NET),
                             ('cluster-host', _CLUSTER_NET)):
            group.add(host, network, (_address(net, index), 0),
                      multicast=multicast and multicast[network])
    group.start()
    conn.send({host: {network: list(group.heartbeat_address(host, network))
                      for network in ('management', 'cluster-host')}
               for host in names})
    while True:
        command, argument = conn.recv()
        if command == 'kill':
            for delay, host in argument:
                time.sleep(delay)
                group.remove(host)
            # remove() takes effect on the group's thread: an answer may
            # still go out just after it returns
            time.sleep(0.3)
            conn.send({host: (group.last_answer.get(host),
                              group.last_answer_wall.get(host))
                       for _, host in argument})
        else:
            group.stop()
            conn.send(dict(group.stats))
            return


def _alive_sender(conn, addresses, key, agent_address, every_time):
    """Every host's alive messages, as mtce-client sends them: over UDP to
    mtce-agent, each host at its own moment of every ALIVE_INTERVAL, as
    unsynchronised hosts would. Once monitored (after the first two
    intervals) only every MONITORED_FACTOR-th one, unless ``every_time``:
    a host that takes its pulses on multicast groups only cannot tell it
    is monitored and sends them all. A process of its own, so that the
    messages never hold up the heartbeat answers."""
    senders = {host: alive_mod.Sender(key, host, agent_address)
               for host in addresses}
    hosts = sorted(addresses)
    dead = set()
    rounds = 0
    conn.send('running')
    while True:
        started = time.monotonic()
        if rounds < 2 or every_time or \
                not rounds % host_client.MONITORED_FACTOR:
            for index, host in enumerate(hosts):
                due = started + ALIVE_INTERVAL * index / len(hosts)
                if conn.poll(max(0.0, due - time.monotonic())):
                    break
                if host not in dead:
                    senders[host].send({
                        'hostname': host, 'boot_id': 'boot-%s' % host,
                        'heartbeat': addresses[host],
                        'go_enabled': {'passed': True, 'reason': ''}})
        rounds += 1
        while conn.poll(max(0.0, ALIVE_INTERVAL
                            - (time.monotonic() - started))):
            command, argument = conn.recv()
            if command == 'kill':
                dead.update(argument)
                conn.send('ok')
            else:
                for sender in senders.values():
                    sender.close()
                conn.send('stopped')
                return


class SysinvStandIn:
    """Answers mtce-agent's calls to sysinv-conductor; notes the states."""

    target = oslo_messaging.Target(version='1.3')

    def __init__(self, count):
        self.records = [{
            'uuid': 'uuid-%s' % host, 'hostname': host,
            'personality': 'worker', 'administrative': 'unlocked',
            'operational': 'enabled', 'availability': 'available',
            'action': 'none', 'bm_type': None, 'bm_ip': None,
            'bm_username': None} for host in _hosts(count)]
        self.lock = threading.Lock()
        self.updates = []      # (time, hostname, availability)
        self.state = {}

    def mtce_hosts(self, context):
        return self.records

    def mtce_host_update(self, context, host_uuid, values, action_done):
        host = host_uuid[len('uuid-'):]
        with self.lock:
            self.updates.append((time.monotonic(), host,
                                 values.get('availability')))
            self.state[host] = values.get('availability')

    def get_bm_credentials(self, context, host_uuid):
        return {'bm_type': None, 'bm_ip': None, 'bm_username': None,
                'bm_password': None}

    def count(self, availability):
        with self.lock:
            return sum(1 for a in self.state.values() if a == availability)


def _cpu_seconds(pid):
    """CPU time of mtce-agent: its launcher, the service process
    oslo.service's threading backend runs the service in, and the
    heartbeat monitor's process; and of that last one alone."""
    procs = [psutil.Process(pid)] + psutil.Process(pid).children(
        recursive=True)
    return _cpu_of(procs), _cpu_of(
        [proc for proc in procs
         if 'mtce.heartbeat.process' in ' '.join(proc.cmdline())])


def _fleet_cpu_seconds(processes):
    """CPU time of the processes standing in for the hosts."""
    return _cpu_of([psutil.Process(process.pid) for process in processes])


def _cpu_of(procs):
    """User and system CPU seconds of psutil processes, summed."""
    return sum(times.user + times.system
               for times in (proc.cpu_times() for proc in procs))


def _p50_p99(values):
    if not values:
        return float('nan'), float('nan')
    return statistics.median(values), _percentile(values, 0.99)


def _percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1,
                       int(round(fraction * (len(ordered) - 1))))]


def _write_conf(path, url, suffix, key_file, period_ms, alive_port):
    with open(path, 'w') as f:
        f.write('[DEFAULT]\ntransport_url = %s\n'
                '[agent]\ntopic = mtce.agent.%s\nsync_interval = 3600\n'
                'alive_port = %d\n'
                '[sysinv]\ntopic = sysinv.conductor.%s\n'
                '[fm]\nfault_topic = fm_faults_%s\nrpc_topic = fm.%s\n'
                '[heartbeat]\nkey_file = %s\nperiod_ms = %d\n'
                '[recovery]\nheartbeat_soak = 1\n'
                % (url, suffix, alive_port, suffix, suffix, suffix, key_file,
                   period_ms))


def _shards(count, processes):
    """Host indexes split over ``processes`` responder processes."""
    processes = max(1, min(processes, count))
    return [range(shard, count, processes) for shard in range(processes)]


def run(count, period_ms, soak, kills, workdir, multicast=True,
        responder_processes=1):
    """One fleet size; a dict of figures, with 'enabled' < count when not
    every host could be enabled (nothing else is measured then)."""
    os.environ.setdefault('STX_TEST_RABBIT', RABBIT)
    vhost = services.RabbitVhost()
    vhost.setUp()
    suffix = 'bench'
    key_file = os.path.join(workdir, 'heartbeat-%d.key' % count)
    key = packet.load_install_key(key_file)
    conf_path = os.path.join(workdir, 'mtce-%d.conf' % count)
    alive_port = stx_fixtures.free_udp_port()
    _write_conf(conf_path, vhost.url, suffix, key_file, period_ms,
                alive_port)
    transport = _transport_conf(vhost.url)
    sysinv = SysinvStandIn(count)
    server = messaging.get_rpc_server(transport, 'sysinv.conductor.' + suffix,
                                      'bench', [sysinv])
    server.start()
    log_path = os.path.join(workdir, 'mtce-agent-%d.log' % count)
    agent = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), 'mtce-agent'),
         '--config-file', conf_path, '--log-file', log_path],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    spawn = multiprocessing.get_context('spawn')
    alive_conn, alive_child = spawn.Pipe()
    victims = random.sample(_hosts(count), min(kills, count))
    # Every responder process joins the same group and port per network,
    # as the hosts of one network do.
    groups = None
    if multicast:
        groups = {'management': (_MGMT_GROUP, stx_fixtures.free_udp_port()),
                  'cluster-host': (_CLUSTER_GROUP,
                                   stx_fixtures.free_udp_port())}
    fleet = []          # (pipe, process, its victims)
    for indexes in _shards(count, responder_processes):
        conn, child = spawn.Pipe()
        names = set(_host(index) for index in indexes)
        mine = [host for host in victims if host in names]
        fleet.append((conn, spawn.Process(
            target=_responders, daemon=True,
            args=(child, key, indexes, mine, groups)), mine))
    alive = None
    try:
        addresses = {}
        for conn, process, _ in fleet:
            process.start()
        for conn, process, _ in fleet:
            addresses.update(conn.recv())
        alive = spawn.Process(target=_alive_sender, daemon=True, args=(
            alive_child, addresses, key, ('127.0.0.1', alive_port),
            multicast))
        alive.start()
        alive_conn.recv()
        processes = [process for _, process, _ in fleet]
        started = time.monotonic()
        cpu_started = _cpu_seconds(agent.pid)[0]
        fleet_started = _fleet_cpu_seconds(processes)
        while sysinv.count('available') < count:
            waited = time.monotonic() - started
            if waited > 120 + count / 20:
                return {'enabled': sysinv.count('available'),
                        'enabled_after': waited,
                        'cpu': (_cpu_seconds(agent.pid)[0] - cpu_started)
                        / waited * 100,
                        'fleet_cpu': (_fleet_cpu_seconds(processes)
                                      - fleet_started) / waited * 100}
            time.sleep(0.5)
        enabled_after = time.monotonic() - started
        time.sleep(2)

        with sysinv.lock:
            seen = len(sysinv.updates)
        wall0, (cpu0, hb0) = time.monotonic(), _cpu_seconds(agent.pid)
        fleet0 = _fleet_cpu_seconds(processes)
        time.sleep(soak)
        wall1, (cpu1, hb1) = time.monotonic(), _cpu_seconds(agent.pid)
        fleet1 = _fleet_cpu_seconds(processes)
        with sysinv.lock:
            soak_updates = sysinv.updates[seen:]
            seen = len(sysinv.updates)
        false_failures = sum(1 for u in soak_updates if u[2] == 'failed')
        not_ok = len({u[1] for u in soak_updates if u[2] != 'available'})

        alive_conn.send(('kill', victims))
        alive_conn.recv()
        for conn, _, mine in fleet:
            conn.send(('kill', [(random.uniform(0, 1.0 / len(victims)), host)
                                for host in mine]))
        last = {}
        for conn, _, _ in fleet:
            last.update(conn.recv())
        deadline = time.monotonic() + 10 * period_ms / 1000 * 3 + 5
        failed_at = {}
        while time.monotonic() < deadline and len(failed_at) < len(victims):
            with sysinv.lock:
                for at, host, availability in sysinv.updates[seen:]:
                    if availability == 'failed':
                        failed_at.setdefault(host, at)
            time.sleep(0.2)
        latencies = [failed_at[h] - last[h][0] for h in victims
                     if h in failed_at and last[h][0]]
        agent_api = mtce_rpcapi.AgentAPI(transport, 'mtce.agent.' + suffix)
        snapshot = {m['hostname']: m for m in
                    agent_api.hosts(context.get_admin_context())}
        agent_latencies = [snapshot[h]['failed_at'] - last[h][1]
                           for h in victims if h in snapshot
                           and snapshot[h]['failed_at'] and last[h][1]]
        verdict_latencies = [snapshot[h]['heartbeat_lost_at'] - last[h][1]
                             for h in victims if h in snapshot
                             and snapshot[h].get('heartbeat_lost_at')
                             and last[h][1]]
        wrongly = set(failed_at) - set(victims)
        return {'enabled': count, 'enabled_after': enabled_after,
                'soak': wall1 - wall0,
                'cpu': (cpu1 - cpu0) / (wall1 - wall0) * 100,
                'heartbeat_cpu': (hb1 - hb0) / (wall1 - wall0) * 100,
                'fleet_cpu': (fleet1 - fleet0) / (wall1 - wall0) * 100,
                'false_failures': false_failures, 'not_ok': not_ok,
                'latencies': latencies, 'victims': len(victims),
                'agent_latencies': agent_latencies,
                'verdict_latencies': verdict_latencies,
                'wrongly': wrongly}
    finally:
        for pipe in [alive_conn] + [conn for conn, _, _ in fleet]:
            try:
                pipe.send(('stop', None))
                pipe.recv()
            except (OSError, EOFError):
                pass
        for _, process, _ in fleet:
            process.join(10)
        if alive is not None:
            alive.join(10)
        agent.terminate()
        try:
            agent.wait(30)
        except subprocess.TimeoutExpired:
            agent.kill()
        server.stop()
        server.wait()
        transport.cleanup()
        vhost.cleanUp()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--hosts', type=int, nargs='+',
                        default=[100, 1000, 5000],
                        help='fleet sizes (default 100 1000 5000)')
    parser.add_argument('--period-ms', type=int, default=100)
    parser.add_argument('--soak', type=float, default=300.0,
                        help='seconds of healthy soak at 1,000 hosts '
                             '(default 300)')
    parser.add_argument('--other-soak', type=float, default=60.0,
                        help='seconds of soak at other sizes (default 60)')
    parser.add_argument('--kills', type=int, default=50,
                        help='hosts killed per size (default 50)')
    parser.add_argument('--unicast', action='store_true',
                        help='pulse each host at its own address rather '
                             'than each network\'s multicast group')
    parser.add_argument('--responder-processes', type=int, default=0,
                        metavar='N',
                        help='processes answering for the simulated hosts '
                             '(default: one per %d hosts)' % HOSTS_PER_SHARD)
    parser.add_argument('--keep', metavar='DIR',
                        help='keep mtce-agent\'s config and log in DIR '
                             '(default: a temporary folder, removed)')
    args = parser.parse_args()
    print('mtce-agent, heartbeat every %d ms on 2 networks (%s), '
          'thresholds 4/6/10; targets at 1,000 hosts: p99 <= 1.1 s, 0 false '
          'failures over >= 300 s, CPU <= 25 %%' % (
              args.period_ms, 'unicast pulses' if args.unicast
              else 'multicast pulses'))
    print('%6s %9s %7s %7s %6s %7s %7s %7s %7s %7s %7s' % (
        'hosts', 'enable s', 'soak s', 'CPU %', 'false', 'not ok', 'p50 s',
        'p99 s', 'killed', 'sysv50', 'sysv99'))
    missed = False
    with tempfile.TemporaryDirectory() as scratch:
        workdir = args.keep or scratch
        os.makedirs(workdir, exist_ok=True)
        for count in args.hosts:
            soak = args.soak if count == 1000 else args.other_soak
            shards = args.responder_processes or -(-count // HOSTS_PER_SHARD)
            result = run(count, args.period_ms, soak, args.kills, workdir,
                         multicast=not args.unicast,
                         responder_processes=shards)
            if result['enabled'] < count:
                missed = True
                print('%6d  only %d hosts enabled after %.0f s; meanwhile '
                      'mtce-agent CPU %.1f %%, the simulated hosts (%d '
                      'processes) %.1f %%; see %s' % (
                          count, result['enabled'], result['enabled_after'],
                          result['cpu'], shards, result['fleet_cpu'],
                          os.path.join(workdir, 'mtce-agent-%d.log' % count)),
                      flush=True)
                continue
            lat = result['agent_latencies']
            at_sysinv = result['latencies']
            p50, p99 = _p50_p99(lat)
            s50, s99 = _p50_p99(at_sysinv)
            print('%6d %9.1f %7.0f %7.1f %6d %7d %7.3f %7.3f %7s %7.3f '
                  '%7.3f' % (
                      count, result['enabled_after'], result['soak'],
                      result['cpu'], result['false_failures'],
                      result['not_ok'], p50, p99,
                      '%d/%d' % (len(lat), result['victims']), s50, s99),
                  flush=True)
            if lat:
                print('  last pulse -> failed in mtce-agent, sorted (s): %s'
                      % ' '.join('%.3f' % v for v in sorted(lat)))
            print('  CPU: heartbeat process %.1f %%, the rest of mtce-agent '
                  '%.1f %%; the simulated hosts (%d processes) %.1f %%' % (
                      result['heartbeat_cpu'],
                      result['cpu'] - result['heartbeat_cpu'], shards,
                      result['fleet_cpu']))
            verdicts = result['verdict_latencies']
            if verdicts:
                v50, v99 = _p50_p99(verdicts)
                print('  of which last pulse -> heartbeat verdict (monitor '
                      'process): p50 %.3f p99 %.3f s' % (v50, v99))
            if result['wrongly']:
                print('  failed but not killed: %s'
                      % sorted(result['wrongly']))
            if count == 1000:
                ok = (result['false_failures'] == 0 and not result['wrongly']
                      and len(lat) == result['victims'] and p99 <= 1.1
                      and result['cpu'] <= 25 and result['soak'] >= 300)
                missed = missed or not ok
                print('  1,000-host targets: %s' % ('PASS' if ok else 'MISS'))
    return 1 if missed else 0

if __name__ == '__main__':
    sys.exit(main())
