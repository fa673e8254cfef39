"""stx-aio: the whole control plane on one box, in one command.

See :mod:`stxcommon.aio` for how services plug in.
"""

import argparse
import logging
import os
import signal
import sys
import time

from stxcommon import backend

backend.init_threading()

from stxcommon import aio  # noqa: E402
from stxcommon.aio import runner as aio_runner  # noqa: E402

LOG = logging.getLogger('stxcommon.aio')

READY_LINE = 'stx-aio ready'
LOG_FORMAT = ('%(asctime)s.%(msecs)03d %(process)d %(levelname)s '
              '%(name)s [%(threadName)s] %(message)s')
LOG_DATEFMT = '%Y-%m-%d %H:%M:%S'

_DESCRIPTION = '''\
Run the control plane on one box: a local Keystone (a child process, state
in STATE_DIR/keystone) and every installed service (entry point group
%(group)s) as threads of this process, with sqlite databases in STATE_DIR
and an in-process message transport unless --transport-url names a broker.

The first start bootstraps Keystone (generating an admin password kept in
0600 files), registers every service endpoint in the catalog (region
RegionOne) and creates the databases; later starts with the same STATE_DIR
reuse it all. Once serving, it prints the endpoints and a line
"%(ready)s". SIGINT or SIGTERM stops everything (exit status 0).
'''

_EPILOG = '''\
files in STATE_DIR:
  openrc          admin credentials for the openstack CLI (0600):
                  . STATE_DIR/openrc; openstack fault alarm list
  keystone/       Keystone's config, sqlite database, keys, admin password
                  (admin-password, 0600) and logs
  <service>.conf  each service's generated config (0600), rewritten on
                  every start
  <service>.sqlite
  logs/           stx-aio.log (everything) and <service>.log

exit status: 0 after SIGINT/SIGTERM, 1 when start-up fails or Keystone
dies, 2 on bad arguments.
'''


def default_state_dir():
    import platformdirs
    return platformdirs.user_data_dir('stx-aio')


def _port(text):
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError('%r is not a port number' % text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError('port %d is out of range' % port)
    return port


def _service_port(text):
    name, sep, port = text.partition('=')
    if not sep or not name:
        raise argparse.ArgumentTypeError(
            '%r is not of the form SERVICE=PORT (e.g. fm=18002)' % text)
    return name.strip(), _port(port)


def build_parser(plugins):
    services = ', '.join('%s (%s, port %s)' % (
        name, p.service_type, p.default_port)
        for name, p in plugins.items() if p.service_type)
    parser = argparse.ArgumentParser(
        prog='stx-aio',
        description=_DESCRIPTION % {'group': aio.ENTRY_POINT_GROUP,
                                    'ready': READY_LINE},
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--state-dir', metavar='DIR', default=None,
        help='where everything is kept (default: %s)' % default_state_dir())
    parser.add_argument(
        '--host', default='127.0.0.1',
        help='address every server listens on and that the catalog '
             'advertises (default: %(default)s)')
    parser.add_argument(
        '--keystone-port', type=_port,
        default=aio_runner.DEFAULT_KEYSTONE_PORT, metavar='PORT',
        help='Keystone port (default: %(default)s; it must be free). 0 '
             'reuses the port of the last start if free, else picks one')
    parser.add_argument(
        '--port', type=_service_port, action='append', default=[],
        metavar='SERVICE=PORT', dest='ports',
        help='port of one service\'s REST API, repeatable; 0 picks a free '
             'one. Services: %s' % (services or 'none installed'))
    parser.add_argument(
        '--transport-url', metavar='URL', default=None,
        help='oslo.messaging transport, e.g. '
             'rabbit://guest:guest@127.0.0.1:5672/ (default: in-process %s)'
             % aio_runner.MEMORY_TRANSPORT)
    parser.add_argument(
        '--hosts', type=int, default=None, metavar='N',
        help='how many simulated hosts to run (default: a small mixed '
             'fleet of a controller and two workers; 0 for none)')
    parser.add_argument(
        '--debug', action='store_true',
        help='log at DEBUG level in STATE_DIR/logs')
    return parser


def parse_args(argv, plugins):
    parser = build_parser(plugins)
    args = parser.parse_args(argv)
    ports = {}
    for name, port in args.ports:
        if name not in plugins:
            parser.error('--port %s=%d: no service %r (installed: %s)' % (
                name, port, name, ', '.join(plugins) or 'none'))
        ports[name] = port
    args.ports = ports
    if args.hosts is not None and args.hosts < 0:
        parser.error('--hosts must be 0 or more, not %d' % args.hosts)
    if args.state_dir is None:
        args.state_dir = default_state_dir()
    args.state_dir = os.path.abspath(os.path.expanduser(args.state_dir))
    return args


def _in(name, prefixes):
    return any(name == p or name.startswith(p + '.') for p in prefixes)


class _PrefixFilter(logging.Filter):
    """Records of loggers under ``prefixes``."""

    def __init__(self, prefixes):
        super().__init__()
        self.prefixes = tuple(prefixes)

    def filter(self, record):
        return _in(record.name, self.prefixes)


class _ConsoleFilter(logging.Filter):
    """Warnings of our own code, errors of anyone's.

    Libraries warn about things an all-in-one user cannot act on (kombu's
    in-memory broker has no host and no heartbeat, keystonemiddleware
    prefers memcached); those go to the log files only.
    """

    def __init__(self, own):
        super().__init__()
        self.own = tuple(own)

    def filter(self, record):
        return record.levelno >= logging.ERROR or _in(record.name, self.own)


def setup_logging(state_dir, service_names, debug=False):
    """Files in STATE_DIR/logs; warnings and errors also on stderr."""
    os.makedirs(state_dir, mode=0o700, exist_ok=True)
    log_dir = os.path.join(state_dir, 'logs')
    os.makedirs(log_dir, mode=0o700, exist_ok=True)
    formatter = logging.Formatter(LOG_FORMAT, LOG_DATEFMT)
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    handlers = [logging.FileHandler(os.path.join(log_dir, 'stx-aio.log'))]
    for name in service_names:
        handler = logging.FileHandler(os.path.join(log_dir, name + '.log'))
        handler.addFilter(_PrefixFilter([name]))
        handlers.append(handler)
    for handler in handlers:
        handler.setFormatter(formatter)
        root.addHandler(handler)
    console = logging.StreamHandler(sys.stderr)
    console.setLevel(logging.WARNING)
    console.addFilter(_ConsoleFilter(['stxcommon', *service_names]))
    console.setFormatter(logging.Formatter('stx-aio: %(levelname)s '
                                           '%(name)s: %(message)s'))
    root.addHandler(console)
    logging.captureWarnings(True)
    # Chatty at INFO, and nothing an operator of the all-in-one acts on.
    for noisy in ('urllib3', 'stevedore', 'keystoneauth', 'kombu'):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def _start(runner, state_dir):
    """Start ``runner``; return an exit status if it must not go on."""
    try:
        runner.start()
    except aio_runner.StartCancelled:
        LOG.info('Stop requested while starting')
        return 0
    except aio_runner.StartupError as exc:
        LOG.error('%s', exc)
        return 1
    except Exception:
        LOG.exception('stx-aio failed to start; see %s',
                      os.path.join(state_dir, 'logs', 'stx-aio.log'))
        return 1
    return None


def main(argv=None):
    try:
        plugins = aio.discover()
    except aio.PluginError as exc:
        print('stx-aio: %s' % exc, file=sys.stderr)
        return 1
    args = parse_args(sys.argv[1:] if argv is None else argv, plugins)
    setup_logging(args.state_dir, plugins, args.debug)
    runner = aio_runner.Runner(args.state_dir, plugins, host=args.host,
                               keystone_port=args.keystone_port,
                               transport_url=args.transport_url,
                               ports=args.ports,
                               options={'hosts': args.hosts,
                                        'services': sorted(plugins)})
    phase = {'starting': True}

    def on_signal(signum, _frame):
        name = signal.Signals(signum).name
        if phase['starting']:
            LOG.warning('Received %s while starting: stopping after the '
                        'current step', name)
        else:
            LOG.info('Received %s', name)
        runner.request_stop()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    started = time.monotonic()
    LOG.info('Starting stx-aio in %s with services: %s', args.state_dir,
             ', '.join(plugins) or 'none')
    try:
        status = _start(runner, args.state_dir)
        if status is None:
            phase['starting'] = False
            LOG.info('Ready after %.1f s', time.monotonic() - started)
            for line in runner.summary():
                print(line)
            print(READY_LINE, flush=True)
            runner.wait()
            status = 1 if runner.failure else 0
            LOG.info('Stopping')
    finally:
        # A second signal must not cut the stop short.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        runner.stop()
    LOG.info('Stopped (exit status %d)', status)
    logging.shutdown()
    return status


if __name__ == '__main__':
    sys.exit(main())
