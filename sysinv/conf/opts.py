"""Option listing for oslo-config-generator (``tox -e genconfig``)."""

from keystonemiddleware import auth_token
from oslo_db import options as db_options
from oslo_messaging import opts as messaging_opts

from stxcommon import config
from sysinv import conf as sysinv_conf


def list_opts():
    return [
        ('DEFAULT', config.auth_opts),
        *sysinv_conf.groups(),
        *db_options.list_opts(),
        *messaging_opts.list_opts(),
        *auth_token.list_opts(),
    ]
