"""The fault service's part of the all-in-one (``stx-aio``).

Registered in the ``stx.aio.services`` entry point group. StarlingX puts fm
in the catalog as service ``fm`` of type ``faultmanagement`` at
``http://<host>:18002`` (no version in the path).
"""

from fm import conf as fm_conf
from stxcommon import aio


class FmPlugin(aio.Plugin):
    name = 'fm'
    service_type = 'faultmanagement'
    description = 'Fault Management Service'
    default_port = fm_conf.API_PORT
    path = '/'

    def build(self, context):
        # Imported here: `stx-aio --help` needs none of it.
        from fm.api import app
        from fm import catalogue
        from fm.db import api as db_api
        from fm.db import migration
        from fm.manager import service as manager_service
        from stxcommon.db import engine
        from stxcommon import messaging

        conf = self.configure(context, fm_conf.new_conf)
        database = engine.Database(conf)
        try:
            migration.upgrade(database)
            db_api.get_connection(database).sync_suppression(
                catalogue.load().values())
        finally:
            database.dispose()
        # One pair of transports for the API and fm-manager: with the
        # in-process transport they must share this process's broker.
        notifications = messaging.get_notification_transport(conf)
        rpc = messaging.get_transport(conf)
        manager = manager_service.build(conf, rpc)
        return aio.Parts(
            app_factory=lambda: app.setup_app(conf, notifications, rpc),
            services=[manager],
            cleanups=[notifications.cleanup, rpc.cleanup],
            threads=conf.api.threads)


PLUGIN = FmPlugin()
