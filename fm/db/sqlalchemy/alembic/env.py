from alembic import context

from fm.db.sqlalchemy import models
from stxcommon.db import migration

migration.run_env(context, models.Base.metadata)
