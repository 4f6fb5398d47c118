"""Shared column helpers: UTC timestamps and enum columns."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

import sqlalchemy as sa


def utcnow() -> datetime:
    """Timezone-aware current time in UTC; used as a callable column default."""
    return datetime.now(UTC)


class UTCDateTime(sa.types.TypeDecorator):
    """A DateTime stored as naive UTC and always returned timezone-aware.

    SQLite keeps no time zone; PostgreSQL would convert. Storing naive UTC everywhere keeps both
    back ends identical.
    """

    impl = sa.DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def enum_column(enum_cls: type[enum.Enum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR plus a named CHECK constraint, storing the values."""
    return sa.Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=30,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
