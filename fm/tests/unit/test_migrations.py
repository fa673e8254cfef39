"""The alembic migrations build exactly the tables the models describe."""

from fm import conf
from fm.db import migration
from fm.db.sqlalchemy import models
from stxcommon.tests import base
from stxcommon.tests import migrations


class MigrationsTest(migrations.MigrationsMixin, base.TestCase):
    new_conf = staticmethod(conf.new_conf)
    migration = migration
    metadata = models.Base.metadata
