"""Configuration of the inventory service (one ConfigOpts per service)."""

from oslo_config import cfg

from stxcommon import config

API_PORT = 6385

conductor_opts = [
    cfg.StrOpt('topic', default='sysinv.conductor',
               help='RPC topic of sysinv-conductor.'),
    cfg.IntOpt('rpc_timeout', default=60, min=1,
               help='Seconds a caller waits for sysinv-conductor.'),
]


def groups():
    return [
        ('api', config.api_opts(API_PORT)),
        ('conductor', conductor_opts),
    ]


def new_conf():
    return config.new_conf(groups())
