"""The inventory API's WSGI application."""

from stxcommon.api import app as stx_app
from stxcommon.db import engine
from stxcommon import messaging
from sysinv.api.controllers import root
from sysinv import credentials
from sysinv.conductor import rpcapi
from sysinv.db import api as db_api
from sysinv import policies


def setup_app(conf, rpc_transport=None):
    """Build the app over the service's own conf and database; pass a
    transport to share it with a conductor in the same process."""
    transport = rpc_transport or messaging.get_transport(conf)
    handles = {
        'dbapi': db_api.get_connection(engine.Database(conf)),
        'vault': credentials.Vault(conf.bmc.credential_key_file),
        'conductor_api': rpcapi.ConductorAPI(
            transport, conf.conductor.topic,
            timeout=conf.conductor.rpc_timeout),
    }
    return stx_app.make_app(conf, root.RootController(),
                            policies.get_enforcer(conf), handles)
