"""Configuration of the fault service (one ConfigOpts per service)."""

from oslo_config import cfg

from stxcommon import config

API_PORT = 18002

manager_opts = [
    cfg.StrOpt('fault_topic', default='fm_faults',
               help='Durable queue that alarm set/clear messages go to.'),
    cfg.StrOpt('event_topic', default='fm_events',
               help='Topic on which fm-manager announces every change '
                    'it committed.'),
    cfg.StrOpt('rpc_topic', default='fm.manager',
               help='RPC topic of fm-manager (fault queries).'),
    cfg.IntOpt('batch_size', default=1000, min=1,
               help='Most messages fm-manager writes in one transaction.'),
    cfg.FloatOpt('batch_timeout', default=0.1, min=0.01,
                 help='Seconds fm-manager waits to fill a batch.'),
    cfg.FloatOpt('retry_delay', default=1.0, min=0,
                 help='Seconds to wait before a failed batch is requeued, '
                      'so a database outage does not spin the broker.'),
]


def groups():
    return [
        ('api', config.api_opts(API_PORT)),
        ('manager', manager_opts),
    ]


def new_conf():
    return config.new_conf(groups())
