"""The data version: one row whose counter goes up in the same transaction as any write
(``tracker/dataversion.py``). The page cache (``tracker/pagecache.py``) keys pages on it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import Base

DATA_VERSION_ID = 1


class DataVersion(Base):
    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(sa.BigInteger, default=0)


# A schema made without the migrations (``db.create_all()``: tests, scripts) gets its row too.
@sa.event.listens_for(DataVersion.__table__, "after_create")
def _first_row(table: sa.Table, connection: sa.Connection, **_kw: object) -> None:
    connection.execute(table.insert().values(id=DATA_VERSION_ID, value=0))
