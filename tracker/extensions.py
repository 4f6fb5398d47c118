"""Extension objects, created bare and bound to the app in the factory."""

from __future__ import annotations

import os
import sqlite3

import sqlalchemy as sa
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The declarative base of every model: typed, so mypy sees the mapped classes.

    Models subclass ``Base`` directly. Flask-SQLAlchemy builds ``db.Model`` from it with the same
    registry and metadata, so ``db.metadata``, ``db.create_all()`` and the migrations see them all.
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
# Used for login throttling (see tracker/auth/throttle.py); storage is Redis when configured.
limiter = Limiter(get_remote_address)

SQLITE_BUSY_TIMEOUT_MS = 5000


@sa.event.listens_for(Engine, "connect")
def _sqlite_connection_settings(dbapi_connection, _connection_record) -> None:
    """Settings for EVERY SQLite connection, whoever opens it (app, CLI, migrations, tests).

    - ``foreign_keys=ON``: without it SQLite ignores every ``ON DELETE`` rule, so rows keep
      pointing at a deleted row whose id SQLite may hand out again.
    - ``journal_mode=WAL`` (file databases): readers and a running backup do not block writers.
    - ``busy_timeout``: a writer waits for a lock instead of failing at once with
      "database is locked".
    PostgreSQL connections are left alone.
    """
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        if _is_file_database(cursor):
            cursor.execute("PRAGMA journal_mode=WAL")
    finally:
        cursor.close()


def _is_file_database(cursor) -> bool:
    """False for in-memory and temporary databases, where WAL does not apply."""
    row = next((r for r in cursor.execute("PRAGMA database_list") if r[1] == "main"), None)
    return bool(row and row[2])


# A pooled connection belongs to the process that opened it. A connection inherited through a fork
# (gunicorn --preload, or any code that queries before forking) would be used by two processes at
# once; each process must open its own. The pool checks the owner on every checkout and replaces a
# connection of another process (SQLAlchemy's "pooling and multiprocessing" recipe; the parent keeps
# using its own, as ``engine.dispose(close=False)`` would leave it).


@sa.event.listens_for(sa.pool.Pool, "connect")
def _remember_owner(_dbapi_connection, connection_record) -> None:
    connection_record.info["pid"] = os.getpid()


@sa.event.listens_for(sa.pool.Pool, "checkout")
def _refuse_inherited(_dbapi_connection, connection_record, connection_proxy) -> None:
    if connection_record.info.get("pid", os.getpid()) != os.getpid():
        connection_record.dbapi_connection = connection_proxy.dbapi_connection = None
        raise sa.exc.DisconnectionError("connection opened by another process; opening a new one")
