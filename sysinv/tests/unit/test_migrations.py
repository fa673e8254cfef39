"""The alembic migrations build exactly the tables the models describe."""

import os

from alembic import autogenerate
from alembic import migration as alembic_migration
import fixtures

from stxcommon.db import engine
from stxcommon.tests import base
from sysinv import conf as sysinv_conf
from sysinv.db import migration
from sysinv.db.sqlalchemy import models


class MigrationsTest(base.TestCase):

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir()).path
        conf = sysinv_conf.new_conf()
        conf([], project='sysinv')
        conf.set_override('connection', 'sqlite:///%s' % os.path.join(
            tmp, 'sysinv.sqlite'), group='database')
        self.database = engine.Database(conf)
        self.addCleanup(self.database.dispose)

    def test_models_match_migrations(self):
        migration.upgrade(self.database)
        with self.database.engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection)
            diff = autogenerate.compare_metadata(context,
                                                 models.Base.metadata)
        self.assertEqual([], diff)

    def test_downgrade_to_nothing_and_back(self):
        migration.upgrade(self.database)
        head = migration.current_revision(self.database)
        migration.downgrade(self.database, 'base')
        self.assertIsNone(migration.current_revision(self.database))
        migration.upgrade(self.database)
        self.assertEqual(head, migration.current_revision(self.database))
