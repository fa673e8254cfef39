"""Configuration of host maintenance (one ConfigOpts per service)."""

from oslo_config import cfg

from fm import client as fm_client
from stxcommon import config

agent_opts = [
    cfg.StrOpt('topic', default='mtce.agent',
               help='RPC topic of mtce-agent.'),
    cfg.StrOpt('hostname', default='controller-0',
               help='Name of the controller mtce-agent runs on; it signs '
                    'the heartbeat pulses.'),
    cfg.IntOpt('workers', default=8, min=1,
               help='Slow steps (BMC requests, calls to sysinv) carried '
                    'out at once.'),
    cfg.IntOpt('offline_timeout', default=20, min=1,
               help='Seconds without an alive message from a host\'s '
                    'mtce-client before a host that is not heartbeat '
                    'monitored (a locked one) is offline.'),
    cfg.IntOpt('sync_interval', default=60, min=1,
               help='Seconds between two reads of the host list from '
                    'sysinv, which catch changes a lost message missed.'),
    cfg.HostAddressOpt('alive_address', default='127.0.0.1',
                       help='Address mtce-agent takes the hosts\' alive '
                            'messages on (UDP; the controller\'s '
                            'management address).'),
    cfg.PortOpt('alive_port', default=2101,
                help='UDP port of the alive messages (0 picks a free '
                     'one, which the log names).'),
]

heartbeat_opts = [
    cfg.IntOpt('period_ms', default=100, min=100, max=1000,
               help='Milliseconds between two heartbeat pulses to a host '
                    'on each monitored network.'),
    cfg.IntOpt('minor_threshold', default=4, min=1,
               help='Missed pulses on a network before the host is minor.'),
    cfg.IntOpt('degrade_threshold', default=6, min=2,
               help='Missed pulses on a network before the host is '
                    'degraded (alarm 200.005 or 200.009).'),
    cfg.IntOpt('failure_threshold', default=10, min=3,
               help='Missed pulses on every network before the host has '
                    'failed (alarm 200.004 and automatic recovery).'),
    cfg.StrOpt('key_file', default='/etc/mtce/heartbeat.key',
               help='The per-install heartbeat key (made, mode 0600, by '
                    'mtce-agent on first start; every mtce-client reads '
                    'the same file).'),
    cfg.HostAddressOpt('management_address', default='127.0.0.1',
                       help='Address mtce-agent sends management network '
                            'pulses from.'),
    cfg.HostAddressOpt('cluster_host_address', default='127.0.0.1',
                       help='Address mtce-agent sends cluster-host network '
                            'pulses from.'),
    cfg.ListOpt('networks', default=['management', 'cluster-host'],
                item_type=cfg.types.String(
                    choices=['management', 'cluster-host']),
                help='Networks heartbeat monitors.'),
]

recovery_opts = [
    cfg.IntOpt('boot_timeout', default=300, min=1,
               help='Seconds a failed host gets to come back after its '
                    'reset before the recovery counts as failed.'),
    cfg.IntOpt('max_attempts', default=3, min=1,
               help='Resets of a failed host before maintenance gives up '
                    'and leaves it failed.'),
    cfg.FloatOpt('heartbeat_soak', default=3.0, min=0,
                 help='Seconds of healthy heartbeat a host needs before it '
                      'is enabled again.'),
]

bmc_opts = [
    cfg.FloatOpt('timeout', default=10.0, min=0.5,
                 help='Seconds any BMC request may take.'),
    cfg.IntOpt('workers', default=4, min=1,
               help='BMC worker processes (requests to different BMCs '
                    'at once).'),
    cfg.PortOpt('port', default=623,
                help='UDP port of the hosts\' BMCs (IPMI over LAN).'),
    cfg.IntOpt('audit_interval', default=60, min=1,
               help='Seconds between two checks of each BMC.'),
]

sysinv_opts = [
    cfg.StrOpt('topic', default='sysinv.conductor',
               help='RPC topic of sysinv-conductor.'),
    cfg.IntOpt('rpc_timeout', default=30, min=1,
               help='Seconds mtce waits for sysinv-conductor.'),
]


client_opts = [
    cfg.StrOpt('hostname',
               help='This host\'s name as sysinv knows it (the system\'s '
                    'host name when unset).'),
    cfg.StrOpt('root', default='/',
               help='Where mtce-client reads /proc from: / on a real host, '
                    'a generated tree for a simulated one.'),
    cfg.HostAddressOpt('management_address', default='127.0.0.1',
                       help='This host\'s management address; heartbeat is '
                            'answered there.'),
    cfg.PortOpt('management_port', default=2106,
                help='UDP port heartbeat is answered on, management '
                     'network.'),
    cfg.HostAddressOpt('cluster_host_address', default='127.0.0.1',
                       help='This host\'s cluster-host address.'),
    cfg.PortOpt('cluster_host_port', default=2107,
                help='UDP port heartbeat is answered on, cluster-host '
                     'network.'),
    cfg.IPOpt('management_multicast_group', version=4,
              help='IPv4 multicast group this host also takes management '
                   'heartbeat pulses on (at management_port), e.g. '
                   '239.1.1.2. mtce-agent then sends one pulse a round to '
                   'the group instead of one to each host, which is what '
                   'keeps a large fleet cheap. Set it only where the '
                   'network carries multicast; unset, pulses come to '
                   'this host\'s own address.'),
    cfg.IPOpt('cluster_host_multicast_group', version=4,
              help='IPv4 multicast group for cluster-host heartbeat pulses '
                   '(at cluster_host_port), as management_multicast_group.'),
    cfg.HostAddressOpt('agent_address',
                       help='Where mtce-agent takes alive messages ([agent] '
                            'alive_address of mtce-agent): they go there '
                            'over UDP, signed with the heartbeat key, and '
                            'so reach it while RabbitMQ is down. Unset: '
                            'they go over RPC (topic [agent] topic).'),
    cfg.PortOpt('agent_port', default=2101,
                help='UDP port of mtce-agent\'s alive messages.'),
    cfg.IntOpt('alive_interval', default=5, min=1,
               help='Seconds between two alive messages to mtce-agent '
                    '(every 12th only while heartbeat pulses arrive), and '
                    'between two checks of processes and resources.'),
    cfg.DictOpt('critical_processes', default={},
                help='Processes (by their name in /proc/<pid>/comm) that '
                     'must run, each with what its absence does: '
                     'degrade or fail, e.g. sshd:fail,crond:degrade. '
                     'A missing one raises alarm 200.006.'),
    cfg.ListOpt('filesystems', default=['/'],
                help='Mount points whose use raises alarm 100.104.'),
    cfg.ListOpt('cpu_thresholds', default=['90', '95'],
                help='Major and critical CPU use (percent) for alarm '
                     '100.101.'),
    cfg.ListOpt('memory_thresholds', default=['80', '90'],
                help='Major and critical memory use (percent) for alarm '
                     '100.103.'),
    cfg.ListOpt('filesystem_thresholds', default=['80', '90'],
                help='Major and critical filesystem use (percent) for '
                     'alarm 100.104.'),
]


def groups():
    return [
        ('agent', agent_opts),
        ('heartbeat', heartbeat_opts),
        ('recovery', recovery_opts),
        ('bmc', bmc_opts),
        ('sysinv', sysinv_opts),
        ('fm', fm_client.conf_opts()),
        ('client', client_opts),
    ]


def new_conf():
    return config.new_conf(groups())


def list_opts():
    """For oslo-config-generator (namespace mtce)."""
    from oslo_messaging import opts as messaging_opts
    return [*groups(), *messaging_opts.list_opts()]
