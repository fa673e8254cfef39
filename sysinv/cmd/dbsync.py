"""sysinv-dbsync: create or upgrade the inventory database, then seed
the system row."""

import logging
import sys

from stxcommon import config
from stxcommon.db import engine
from sysinv import conf as sysinv_conf
from sysinv.db import api as db_api
from sysinv.db import migration

LOG = logging.getLogger(__name__)


def main(argv=None):
    conf = sysinv_conf.new_conf()
    config.parse_args(conf, 'sysinv', sys.argv[1:] if argv is None else argv)
    database = engine.Database(conf)
    migration.upgrade(database)
    db_api.get_connection(database).ensure_system()
    LOG.info('sysinv database is at revision %s',
             migration.current_revision(database))
    database.dispose()
    return 0
