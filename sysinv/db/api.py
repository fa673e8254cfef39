"""Entry point to the inventory database; callers never touch SQLAlchemy."""

from sysinv.db.sqlalchemy import api as sqlalchemy_api


def get_connection(database):
    """The Connection over a :class:`stxcommon.db.engine.Database`."""
    return sqlalchemy_api.Connection(database)
