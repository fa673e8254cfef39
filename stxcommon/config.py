"""One ``ConfigOpts`` per service, never the global ``cfg.CONF``.

Several services share one process in the all-in-one, each with its own
``[database]``, ``[keystone_authtoken]`` and transport, so every helper in
stxcommon takes the service's conf explicitly.
"""

from oslo_config import cfg
from oslo_db import options as db_options
from oslo_log import log
from oslo_messaging import opts as messaging_opts

auth_opts = [
    cfg.StrOpt('auth_strategy', default='keystone',
               choices=[('keystone', 'Validate tokens with Keystone.'),
                        ('noauth', 'No authentication: unit tests only.')],
               help='How the REST API authenticates requests.'),
]


def api_opts(port):
    """The ``[api]`` group; each service passes its StarlingX port."""
    return [
        cfg.HostAddressOpt('bind_host', default='0.0.0.0',
                           help='Address the REST API listens on.'),
        cfg.PortOpt('bind_port', default=port,
                    help='Port the REST API listens on.'),
        cfg.IntOpt('threads', default=16, min=1,
                   help='Request threads of the REST API server.'),
        cfg.IntOpt('max_limit', default=1000, min=1,
                   help='Largest page a list request may ask for.'),
    ]


def new_conf(groups, db_connection='sqlite://'):
    """A fresh ConfigOpts with logging, auth, database and ``groups``.

    ``groups`` is an iterable of ``(group_name_or_None, [opts])``.
    """
    conf = cfg.ConfigOpts()
    log.register_options(conf)
    conf.register_opts(auth_opts)
    db_options.set_defaults(conf, connection=db_connection)
    for group, opts in messaging_opts.list_opts():
        conf.register_opts(opts, group=group)
    for group, opts in groups:
        conf.register_opts(opts, group=group)
    return conf


def parse_args(conf, project, argv=None, default_config_files=None):
    """Parse command line and config files; set up logging."""
    conf(args=argv, project=project,
         default_config_files=default_config_files)
    log.setup(conf, project)
