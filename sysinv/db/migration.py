"""The inventory service's alembic migrations."""

import os

from stxcommon.db import migration

SCRIPT_LOCATION = os.path.join(os.path.dirname(__file__), 'sqlalchemy',
                               'alembic')


def upgrade(database, revision='head'):
    migration.upgrade(database, SCRIPT_LOCATION, revision)


def downgrade(database, revision):
    migration.downgrade(database, SCRIPT_LOCATION, revision)


def current_revision(database):
    return migration.current_revision(database)
