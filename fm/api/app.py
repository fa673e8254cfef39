"""The fault API's WSGI application."""

from fm.api.controllers import root
from fm import client
from fm.db import api as db_api
from fm import policies
from stxcommon.api import app as stx_app
from stxcommon.db import engine
from stxcommon import messaging


def setup_app(conf, notification_transport=None, rpc_transport=None):
    """Build the app; pass transports to share them in one process."""
    fault_api = client.FaultAPIs(
        notification_transport or messaging.get_notification_transport(conf),
        rpc_transport or messaging.get_transport(conf),
        publisher_id='fm.api',
        fault_topic=conf.manager.fault_topic,
        rpc_topic=conf.manager.rpc_topic)
    handles = {
        'dbapi': db_api.get_connection(engine.Database(conf)),
        'fault_api': fault_api,
    }
    return stx_app.make_app(conf, root.RootController(),
                            policies.get_enforcer(conf), handles)
