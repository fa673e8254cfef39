"""A service's alembic migrations build exactly what its models describe.

Mix :class:`MigrationsMixin` into a test case and set ``new_conf``,
``migration`` (the service's module with upgrade/downgrade/
current_revision) and ``metadata``.
"""

import os

from alembic import autogenerate
from alembic import migration as alembic_migration
import fixtures

from stxcommon.db import engine


class MigrationsMixin:

    new_conf = None
    migration = None
    metadata = None

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir()).path
        conf = type(self).new_conf()
        conf([], default_config_files=[])
        conf.set_override('connection', 'sqlite:///%s' % os.path.join(
            tmp, 'migrations.sqlite'), group='database')
        self.database = engine.Database(conf)
        self.addCleanup(self.database.dispose)

    def test_models_match_migrations(self):
        self.migration.upgrade(self.database)
        with self.database.engine.connect() as connection:
            context = alembic_migration.MigrationContext.configure(
                connection)
            diff = autogenerate.compare_metadata(context, self.metadata)
        self.assertEqual([], diff)

    def test_downgrade_to_nothing_and_back(self):
        self.migration.upgrade(self.database)
        head = self.migration.current_revision(self.database)
        self.migration.downgrade(self.database, 'base')
        self.assertIsNone(self.migration.current_revision(self.database))
        self.migration.upgrade(self.database)
        self.assertEqual(head,
                         self.migration.current_revision(self.database))
