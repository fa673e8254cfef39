"""Declarative base pieces every service's models share."""

import datetime

from sqlalchemy import DateTime
from sqlalchemy.dialects import mysql
from sqlalchemy import orm

# MySQL's DATETIME drops microseconds unless asked; event ordering needs them.
PreciseDateTime = DateTime().with_variant(mysql.DATETIME(fsp=6), 'mysql')


def utcnow():
    """Naive UTC, as stored in every table."""
    return datetime.datetime.now(datetime.UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        PreciseDateTime, default=utcnow)
    updated_at: orm.Mapped[datetime.datetime | None] = orm.mapped_column(
        PreciseDateTime, onupdate=utcnow)
