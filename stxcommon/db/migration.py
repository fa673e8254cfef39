"""Run a service's alembic migrations on its Database.

Each service keeps its own alembic folder; its ``env.py`` is two lines that
call :func:`run_env`, and its ``<svc>-dbsync`` calls :func:`upgrade`.
"""

from alembic import command
from alembic import config as alembic_config
from alembic import migration as alembic_migration


def _config(script_location, connection):
    config = alembic_config.Config()
    config.set_main_option('script_location', script_location)
    config.attributes['connection'] = connection
    return config


def upgrade(database, script_location, revision='head'):
    with database.engine.begin() as connection:
        command.upgrade(_config(script_location, connection), revision)


def downgrade(database, script_location, revision):
    with database.engine.begin() as connection:
        command.downgrade(_config(script_location, connection), revision)


def current_revision(database):
    with database.engine.connect() as connection:
        return alembic_migration.MigrationContext.configure(
            connection).get_current_revision()


def run_env(context, target_metadata):
    """Body of every service's alembic ``env.py`` (online mode only)."""
    connection = context.config.attributes['connection']
    context.configure(connection=connection, target_metadata=target_metadata,
                      render_as_batch=connection.dialect.name == 'sqlite')
    with context.begin_transaction():
        context.run_migrations()
