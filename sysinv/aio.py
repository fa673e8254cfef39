"""The inventory service's part of the all-in-one (``stx-aio``).

StarlingX registers sysinv as service ``sysinv`` of type ``platform`` at
``http://<host>:6385/v1``.
"""

import os

from stxcommon import aio
from sysinv import conf as sysinv_conf


class SysinvPlugin(aio.Plugin):
    name = 'sysinv'
    service_type = 'platform'
    description = 'SysInv Service'
    default_port = sysinv_conf.API_PORT
    path = '/v1'
    order = 20   # before the simulated hosts, whose agents report to it

    def build(self, context):
        # Imported here: `stx-aio --help` needs none of it.
        from stxcommon.db import engine
        from stxcommon import messaging
        from sysinv.api import app
        from sysinv.conductor import service as conductor_service
        from sysinv.db import api as db_api
        from sysinv.db import migration

        maintenance = ('mtce' if 'mtce' in context.options.get('services', ())
                       else 'local')
        conf = self.configure(context, sysinv_conf.new_conf, {
            'bmc': {'credential_key_file': os.path.join(
                context.state_dir, 'sysinv-bmc-credentials.key')},
            'conductor': {'maintenance': maintenance}})
        database = engine.Database(conf)
        try:
            migration.upgrade(database)
            db_api.get_connection(database).ensure_system()
        finally:
            database.dispose()
        # One pair of transports for the API and the conductor: with the
        # in-process transport they must share this process's broker.
        rpc = messaging.get_transport(conf)
        notifications = messaging.get_notification_transport(conf)
        return aio.Parts(
            app_factory=lambda: app.setup_app(conf, rpc),
            services=[conductor_service.build(conf, rpc, notifications)],
            cleanups=[rpc.cleanup, notifications.cleanup],
            threads=conf.api.threads)


PLUGIN = SysinvPlugin()
