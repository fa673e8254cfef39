"""Entry point to the fault database; callers never touch SQLAlchemy."""

from fm.db.sqlalchemy import api as sqlalchemy_api


def get_connection(database):
    """The Connection over a :class:`stxcommon.db.engine.Database`."""
    return sqlalchemy_api.Connection(database)
