from alembic import context

from stxcommon.db import migration
from sysinv.db.sqlalchemy import models

migration.run_env(context, models.Base.metadata)
