"""fm-dbsync: create or upgrade the fault database, then seed it."""

import logging
import sys

from fm import catalogue
from fm import conf as fm_conf
from fm.db import api as db_api
from fm.db import migration
from stxcommon import config
from stxcommon.db import engine

LOG = logging.getLogger(__name__)


def main(argv=None):
    conf = fm_conf.new_conf()
    config.parse_args(conf, 'fm', sys.argv[1:] if argv is None else argv)
    database = engine.Database(conf)
    migration.upgrade(database)
    db_api.get_connection(database).sync_suppression(
        catalogue.load().values())
    LOG.info('fm database is at revision %s',
             migration.current_revision(database))
    database.dispose()
    return 0
