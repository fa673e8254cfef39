"""Option listing for oslo-config-generator (``tox -e genconfig``)."""

from keystonemiddleware import auth_token
from oslo_db import options as db_options
from oslo_messaging import opts as messaging_opts

from fm import conf as fm_conf
from stxcommon import config


def list_opts():
    return [
        ('DEFAULT', config.auth_opts),
        *fm_conf.groups(),
        *db_options.list_opts(),
        *messaging_opts.list_opts(),
        *auth_token.list_opts(),
    ]
