"""The data version: a counter in the database that goes up with every write.

Every statement that writes (INSERT, UPDATE, DELETE, REPLACE, ...) on a table other than the counter's
marks its connection (``before_cursor_execute``, so ORM flushes, bulk updates and Core statements
run through the session all count). When the session commits, it first flushes, and if the
connection is marked it raises the counter in the same transaction; a rollback or the connection's
return to the pool clears the mark. So the counter changes exactly when committed data may have
changed, atomically with that change, and every app server that reads it from the same database
sees the same value: the page cache (``tracker/pagecache.py``) keys its pages on it.

Only writes through an ORM session raise the counter; the app writes nothing outside one (the
migrations do, and app servers are restarted after them).
"""

from __future__ import annotations

import secrets
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from tracker.extensions import db
from tracker.models.version import DATA_VERSION_ID, DataVersion

WROTE = "tracker_data_written"  # the mark in the connection's info
# Statements that may write; a CTE (WITH) counts too, in case it ends in a write.
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "MERGE", "TRUNCATE", "WITH")
_TABLE = DataVersion.__tablename__
# Each write raises the counter by a random step, so a value names one state of the data even
# across a restored backup or a database emptied and filled again: the next writes after a restore
# do not meet the values that another history of the data had reached (a cache's stale pages).
STEP = 2**31
# The committed version: a statement built once (SQLAlchemy caches its compiled form).
READ = sa.select(DataVersion.value).where(DataVersion.id == DATA_VERSION_ID)


def _note_write(conn, _cursor, statement: str, *_args: Any) -> None:
    head = statement[:80].lstrip()
    if head[:8].upper().startswith(_WRITES) and not head.startswith(f"UPDATE {_TABLE} "):
        conn.info[WROTE] = True


def _forget(conn) -> None:
    conn.info.pop(WROTE, None)


def _forget_on_checkin(_dbapi_connection, record) -> None:
    record.info.pop(WROTE, None)


def _bump_before_commit(session: Session) -> None:
    """Raise the counter in the transaction about to commit, when it wrote anything."""
    if not session.in_transaction():
        return
    session.flush()  # pending ORM changes reach the database now, so their statements are seen
    conn = session.connection()
    if not conn.info.pop(WROTE, False):
        return
    step = secrets.randbelow(STEP) + 1
    bump = (
        sa.update(DataVersion).where(DataVersion.id == DATA_VERSION_ID).values(value=DataVersion.value + step)
    )
    if conn.execute(bump).rowcount == 0:
        # The row is missing (a schema emptied by hand): make it again.
        conn.execute(sa.insert(DataVersion).values(id=DATA_VERSION_ID, value=secrets.randbelow(2**62)))


def register(engine: sa.Engine) -> None:
    """Watch ``engine`` for writes, and raise the counter on every ORM session's commit."""
    for event, listener in (
        ("before_cursor_execute", _note_write),
        ("commit", _forget),
        ("rollback", _forget),
    ):
        if not sa.event.contains(engine, event, listener):
            sa.event.listen(engine, event, listener)
    if not sa.event.contains(engine.pool, "checkin", _forget_on_checkin):
        sa.event.listen(engine.pool, "checkin", _forget_on_checkin)
    if not sa.event.contains(Session, "before_commit", _bump_before_commit):
        sa.event.listen(Session, "before_commit", _bump_before_commit)


def current() -> int | None:
    """The committed data version as this request sees it (None when the row is missing)."""
    return db.session.connection().execute(READ).scalar()


def mark_changed() -> None:
    """Raise the version when the session commits, written or not (``flask refresh-pages``: after
    the database was changed by other means than the app)."""
    db.session.connection().info[WROTE] = True
