"""hostsim: simulated hosts for a running sysinv, outside the all-in-one.

One process runs every host: its BMC (IPMI on loopback) and, while the
BMC's power is on, its real sysinv-agent, as threads. Signals are handled
here rather than by oslo.service's launcher, which would run the fleet in
a forked child and end it at once on SIGINT: both signals stop every host
and exit 0.
"""

import argparse
import ipaddress
import fcntl
import logging
import os
import signal
import sys
import threading

from stxcommon import backend

backend.init_threading()

from oslo_config import cfg  # noqa: E402
import oslo_messaging  # noqa: E402

from hostsim import agents as agents_mod  # noqa: E402
from hostsim import cables  # noqa: E402
from hostsim import fleet as fleet_mod  # noqa: E402
from hostsim import provision as provision_mod  # noqa: E402
from hostsim import tree  # noqa: E402
from stxcommon.aio import runner as aio_runner  # noqa: E402
from stxcommon import messaging  # noqa: E402

LOG = logging.getLogger('hostsim')

READY_LINE = 'hostsim ready'
LOCK_FILE = 'hostsim.lock'
LOG_FORMAT = ('%(asctime)s.%(msecs)03d %(process)d %(levelname)s '
              '%(name)s [%(threadName)s] %(message)s')
LOG_DATEFMT = '%Y-%m-%d %H:%M:%S'

_DESCRIPTION = '''\
Run simulated hosts against a running sysinv (its conductor, and its API
with --provision), outside stx-aio. Each host is a /sys + /proc tree
generated from a hardware profile into STATE_DIR/hostsim/<host>/, the real
sysinv-agent reading that tree and reporting to sysinv-conductor over the
message broker, and a BMC speaking IPMI 2.0 (lanplus) on loopback whose
power state starts and stops that agent.

Once every BMC serves and is powered on, hostsim writes
STATE_DIR/hostsim/hostsim.json (mode 0600: each host's tree, management
MAC, BMC port, user and password), prints a table of the hosts and a line
"%(ready)s", and runs until SIGINT or SIGTERM, which stop every host.
'''

_EPILOG = '''\
profiles (%(profile_dir)s, the schema at the top of each file):
  %(profiles)s, or the path of your own profile YAML

examples:
  hostsim --hosts 4 --transport-url rabbit://guest:guest@127.0.0.1:5672/
  hostsim --profile worker-large --hosts 2 --config-file sysinv.conf
  . openrc; hostsim --provision --config-file /etc/sysinv/sysinv.conf
  ipmitool -I lanplus -H 127.10.0.1 -p PORT -U admin -P PASSWORD power off
  ipmitool -I lanplus -H 127.10.0.1 -p PORT -U admin -P PASSWORD sdr

exit status: 0 after SIGINT/SIGTERM, 1 when start-up fails, 2 on bad
arguments.
'''


def default_state_dir():
    import platformdirs
    return platformdirs.user_data_dir('hostsim')


def _host_count(text):
    try:
        count = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError('%r is not a number' % text)
    if count < 1:
        raise argparse.ArgumentTypeError('at least 1 host, not %d' % count)
    return count


def _udp_address(text):
    host, sep, port = text.rpartition(':')
    host = host.strip('[]')
    try:
        number = int(port)
    except ValueError:
        number = -1
    if not sep or not host or not 0 < number < 65536:
        raise argparse.ArgumentTypeError(
            '%r is not ADDRESS:PORT (e.g. 127.0.0.1:2101)' % text)
    return host, number


def _multicast_address(text):
    group, port = _udp_address(text)
    try:
        address = ipaddress.ip_address(group)
    except ValueError:
        address = None
    if address is None or address.version != 4 or not address.is_multicast:
        raise argparse.ArgumentTypeError(
            '%r is not an IPv4 multicast GROUP:PORT (e.g. 239.1.1.2:2106)'
            % text)
    return str(address), port


def build_parser():
    parser = argparse.ArgumentParser(
        prog='hostsim', description=_DESCRIPTION % {'ready': READY_LINE},
        epilog=_EPILOG % {'profiles': ', '.join(tree.profile_names()),
                          'profile_dir': tree.PROFILE_DIR},
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--hosts', type=_host_count, default=None, metavar='N',
        help='how many hosts to run (default: one per --profile; without '
             '--profile %d: controller-0, worker-0, worker-1)'
             % fleet_mod.DEFAULT_FLEET)
    parser.add_argument(
        '--profile', action='append', default=[], metavar='NAME',
        dest='profiles',
        help='hardware profile of the hosts: a name listed below or a '
             'YAML file. Repeat it to mix profiles: the hosts take them in '
             'turn, named controller-<n> (the controller profile) or '
             'worker-<n>. Default: the all-in-one\'s mix, controller-0 then '
             'workers, every third one edge-tiny')
    parser.add_argument(
        '--state-dir', metavar='DIR', default=None,
        help='where the trees, hostsim.json and the BMC password are kept '
             '(default: %s); hosts keep their MACs and the password across '
             'starts' % default_state_dir())
    parser.add_argument(
        '--transport-url', metavar='URL', default=None,
        help='oslo.messaging URL of the broker sysinv-conductor listens '
             'on, e.g. rabbit://guest:guest@127.0.0.1:5672/ (default: '
             '[DEFAULT] transport_url of the config files; one of the two '
             'is required)')
    parser.add_argument(
        '--config-file', action='append', default=[], metavar='FILE',
        dest='config_files',
        help='a sysinv config file for the agents, repeatable, e.g. '
             '/etc/sysinv/sysinv.conf: [DEFAULT] transport_url, '
             '[oslo_messaging_rabbit], [conductor] topic and rpc_timeout, '
             '[agent] report_interval and retry_interval. Default: none, '
             'so sysinv\'s defaults, except that a failed report is '
             'retried after %d s and a report waits %d s for the conductor'
             % (agents_mod.AGENT_DEFAULTS[('agent', 'retry_interval')],
                agents_mod.AGENT_DEFAULTS[('conductor', 'rpc_timeout')]))
    parser.add_argument(
        '--provision', action='store_true',
        help='before powering the hosts on, add them to sysinv through its '
             'REST API (hostname, personality, management MAC, BMC), as '
             'an operator would: hosts sysinv discovered are named, hosts '
             'it knows by name are left alone. Credentials come from the '
             'OS_* environment variables, as for the openstack CLI (source '
             'an openrc: OS_AUTH_URL, OS_USERNAME, OS_PASSWORD, '
             'OS_PROJECT_NAME, OS_USER_DOMAIN_NAME, OS_PROJECT_DOMAIN_NAME, '
             'OS_REGION_NAME; OS_AUTH_TYPE for another keystoneauth1 '
             'plugin, OS_CACERT for TLS). The API is the platform endpoint '
             'of the Keystone catalog. '
             'Default: off, and sysinv discovers the hosts unprovisioned, '
             'by their management MACs')
    parser.add_argument(
        '--heartbeat-key-file', metavar='FILE', default=None,
        help='run each host\'s mtce-client too, answering heartbeat on '
             'the host\'s loopback addresses and sending alive messages to '
             'mtce-agent (see --mtce-agent-address): FILE is mtce\'s '
             'per-install heartbeat key ([heartbeat] key_file of '
             'mtce.conf). Default: no mtce-client')
    parser.add_argument(
        '--mtce-agent-address', type=_udp_address, default=None,
        metavar='ADDRESS:PORT',
        help='with --heartbeat-key-file: send the alive messages over UDP '
             'to mtce-agent there ([agent] alive_address and alive_port of '
             'mtce.conf), so they arrive while RabbitMQ is down. Default: '
             'over RPC')
    for network, example in (('management', '239.1.1.2:2106'),
                             ('cluster-host', '239.1.2.2:2107')):
        parser.add_argument(
            '--%s-multicast' % network, type=_multicast_address,
            default=None, metavar='GROUP:PORT',
            help='with --heartbeat-key-file: every host also takes its %s '
                 'heartbeat pulses on this IPv4 multicast group and port '
                 '(e.g. %s; [client] %s_multicast_group of mtce.conf), so '
                 'that mtce-agent sends one pulse a round for the whole '
                 'fleet. Default: pulses to each host\'s own address'
                 % (network, example, network.replace('-', '_')))
    parser.add_argument(
        '--unplug', action='append', default=[], metavar='HOST:NETWORK',
        help='pull a heartbeat cable of a host of the fleet running with '
             'this --state-dir (network: management or cluster-host): its '
             'pulses on that network are lost until --plug; then exit. '
             'Repeatable')
    parser.add_argument(
        '--plug', action='append', default=[], metavar='HOST:NETWORK',
        help='put a cable pulled with --unplug back; then exit. Repeatable')
    parser.add_argument(
        '--debug', action='store_true',
        help='log at DEBUG level (default INFO); the log goes to stderr, '
             'the table to stdout')
    return parser


def _multicast_groups(args):
    groups = {'management': args.management_multicast,
              'cluster-host': args.cluster_host_multicast}
    return {network: group for network, group in groups.items() if group}


def parse_args(argv):
    """The parsed command line; exits with status 2 when it is wrong."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.state_dir is None:
        args.state_dir = default_state_dir()
    args.state_dir = os.path.abspath(os.path.expanduser(args.state_dir))
    try:
        args.unplug = [cables.parse(text) for text in args.unplug]
        args.plug = [cables.parse(text) for text in args.plug]
    except ValueError as exc:
        parser.error('--unplug/--plug: %s' % exc)
    if args.unplug or args.plug:
        return args             # no fleet to start: nothing else needed
    try:
        args.plan = fleet_mod.plan(
            args.hosts or len(args.profiles) or fleet_mod.DEFAULT_FLEET,
            args.profiles)
    except tree.ProfileError as exc:
        parser.error('--profile: %s' % exc)
    args.config_files = [os.path.abspath(f) for f in args.config_files]
    try:
        conf = agents_mod.host_conf(os.sep, args.config_files,
                                    args.transport_url)
    except cfg.Error as exc:
        parser.error('--config-file: %s' % exc)
    # oslo.messaging's own default (rabbit:// on localhost) is no choice.
    if (conf.get_location('transport_url').location
            is cfg.Locations.opt_default):
        parser.error('no broker: give --transport-url, or a --config-file '
                     'with [DEFAULT] transport_url')
    try:
        # Refuses a bad URL or an unknown driver; connects to nothing.
        messaging.get_transport(conf).cleanup()
    except (oslo_messaging.InvalidTransportURL,
            oslo_messaging.DriverLoadFailure) as exc:
        parser.error('transport URL %s: %s' % (
            aio_runner.redact_url(conf.transport_url), exc))
    args.transport_url = conf.transport_url
    args.keystone = None
    if args.provision:
        from keystoneauth1 import exceptions as ks_exceptions
        try:
            args.keystone = provision_mod.environment_session()
        except ks_exceptions.OptionError as exc:
            parser.error('--provision needs credentials in OS_* variables '
                         '(source an openrc): %s' % exc)
    return args


def setup_logging(debug=False):
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT, LOG_DATEFMT))
    root = logging.getLogger()
    # Replaces the stand-in handler oslo.log adds while options register.
    for stand_in in list(root.handlers):
        root.removeHandler(stand_in)
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    logging.captureWarnings(True)
    if not debug:
        for noisy in ('urllib3', 'stevedore', 'keystoneauth', 'kombu',
                      'amqp'):
            logging.getLogger(noisy).setLevel(logging.WARNING)


def _lock(fleet_dir):
    """An exclusive lock on the fleet's folder; None if another has it."""
    os.makedirs(fleet_dir, mode=0o700, exist_ok=True)
    fd = os.open(os.path.join(fleet_dir, LOCK_FILE),
                 os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def table(fleet, bmcs):
    """The console lines for the running fleet (no secrets)."""
    rows = [('HOST', 'PROFILE', 'MGMT MAC', 'BMC')]
    for host in fleet.hosts:
        found = bmcs.get(host['hostname'])
        rows.append((host['hostname'], host['profile'], host['mgmt_mac'],
                     '%s:%d' % (found.address, found.port)
                     if found is not None else '-'))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ['  '.join(cell.ljust(width) for cell, width in
                       zip(row, widths)).rstrip() for row in rows]
    lines.append('BMCs: user %s, UDP port %d; password in %s'
                 % (fleet_mod.BMC_USER, fleet.bmc_port,
                    fleet.inventory_path))
    return lines


def run(args, stop, out=None):
    """Run the fleet until ``stop`` (an Event) is set; the exit status."""
    out = out or sys.stdout
    if args.unplug or args.plug:
        cut = cables.change(args.state_dir, args.unplug, args.plug)
        print('unplugged: %s' % (', '.join(
            '%s:%s' % (host, network) for host, networks in sorted(
                cut.items()) for network in networks) or 'none'), file=out)
        return 0
    fleet_dir = os.path.join(args.state_dir, 'hostsim')
    lock_fd = _lock(fleet_dir)
    if lock_fd is None:
        LOG.error('Another hostsim runs with the state folder %s',
                  args.state_dir)
        return 1
    agents = hosts = None
    try:
        fleet = fleet_mod.Fleet(args.state_dir, args.plan)
        if stop.is_set():       # while the trees were written
            return 0
        key = None
        if args.heartbeat_key_file:
            with open(args.heartbeat_key_file, 'rb') as key_file:
                key = key_file.read().strip()
        agents = agents_mod.Agents(fleet.hosts, args.config_files,
                                   args.transport_url, heartbeat_key=key,
                                   mtce_address=args.mtce_agent_address,
                                   multicast=_multicast_groups(args))
        if args.keystone is not None:
            session, region, interface = args.keystone
            try:
                provision_mod.provision(fleet, session, region_name=region,
                                        interface=interface)
            except Exception as exc:
                LOG.error('Adding the hosts to sysinv failed: %s', exc)
                return 1
        hosts = fleet_mod.FleetService(fleet, agents.by_host)
        hosts.start()
        for line in table(fleet, hosts.bmcs):
            print(line, file=out)
        print(READY_LINE, file=out, flush=True)
        LOG.info('%d simulated hosts running; reporting to %s',
                 len(fleet.hosts), aio_runner.redact_url(args.transport_url))
        while not stop.wait(1.0):
            pass
        LOG.info('Stopping')
        return 0
    except Exception:
        LOG.exception('hostsim failed to start')
        return 1
    finally:
        if hosts is not None:
            hosts.stop()
        if agents is not None:
            agents.cleanup()
        os.close(lock_fd)
        LOG.info('Stopped')


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    setup_logging(args.debug)
    stop = threading.Event()

    def on_signal(signum, _frame):
        LOG.info('Received %s', signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    status = run(args, stop)
    logging.shutdown()
    return status


if __name__ == '__main__':
    sys.exit(main())
