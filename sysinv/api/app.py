"""The inventory API's WSGI application."""

from stxcommon.api import app as stx_app
from stxcommon.db import engine
from sysinv.api.controllers import root
from sysinv.db import api as db_api
from sysinv import policies


def setup_app(conf):
    """Build the app over the service's own conf and database."""
    handles = {'dbapi': db_api.get_connection(engine.Database(conf))}
    return stx_app.make_app(conf, root.RootController(),
                            policies.get_enforcer(conf), handles)
