"""Configuration of the inventory service (one ConfigOpts per service)."""

from oslo_config import cfg

from fm import client as fm_client
from stxcommon import config

API_PORT = 6385

conductor_opts = [
    cfg.StrOpt('topic', default='sysinv.conductor',
               help='RPC topic of sysinv-conductor.'),
    cfg.IntOpt('rpc_timeout', default=60, min=1,
               help='Seconds a caller waits for sysinv-conductor.'),
    cfg.IntOpt('config_timeout', default=120, min=1,
               help='Seconds an unlock waits for the host\'s agent to '
                    'apply its configuration before it fails (alarm '
                    '200.011).'),
    cfg.IntOpt('action_workers', default=8, min=1,
               help='Host actions (lock, unlock, ...) carried out at '
                    'once.'),
    cfg.StrOpt('maintenance', default='mtce',
               choices=[('mtce', 'mtce-agent carries out host actions, '
                                 'watches heartbeat and recovers hosts.'),
                        ('local', 'No maintenance service (a test bed): '
                                  'actions only move states in sysinv.')],
               help='Who carries out host actions.'),
    cfg.StrOpt('mtce_topic', default='mtce.agent',
               help='RPC topic of mtce-agent.'),
]

bmc_opts = [
    cfg.StrOpt('credential_key_file',
               default='/etc/sysinv/bmc-credentials.key',
               help='File holding the key BMC passwords are encrypted with '
                    '(made, mode 0600, on first use). Keep it with the '
                    'database backups: without it the stored passwords '
                    'cannot be read.'),
]


agent_opts = [
    cfg.StrOpt('root', default='/',
               help='Where the agent reads /sys and /proc from: / on a real '
                    'host, a generated tree for a simulated one.'),
    cfg.IntOpt('report_interval', default=60, min=1,
               help='Seconds between two inventory reports.'),
    cfg.IntOpt('retry_interval', default=10, min=1,
               help='Seconds before a failed report is tried again.'),
    cfg.StrOpt('topic', default='sysinv.agent',
               help='RPC topic the agents listen on, each under its '
                    'management MAC.'),
]


def groups():
    return [
        ('api', config.api_opts(API_PORT)),
        ('conductor', conductor_opts),
        ('agent', agent_opts),
        ('fm', fm_client.conf_opts()),
        ('bmc', bmc_opts),
    ]


def new_conf():
    return config.new_conf(groups())
