"""Migrations: empty → head → base → head, with data in the tables, and no drift."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tracker import create_app, demo
from tracker.extensions import db

from .conftest import create_pg_database, drop_pg_database, postgres_available, skip_or_fail


def _round_trip(url: str) -> None:
    from config import TestConfig

    app = create_app(type("MigrationConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        upgrade()
        demo.load()
        db.session.commit()
        assert db.session.scalar(sa.text("SELECT count(*) FROM checklist_items")) == 120
        db.session.remove()
        downgrade(revision="base")
        tables = sa.inspect(db.engine).get_table_names()
        assert set(tables) <= {"alembic_version"}
        upgrade()
        _assert_no_drift()
        db.session.remove()
        db.engine.dispose()


def _assert_no_drift() -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), db.metadata)
    assert diff == []


def test_migrations_round_trip_on_sqlite(tmp_path):
    _round_trip("sqlite:///" + str(tmp_path / "migrate.db"))


@pytest.mark.postgres
def test_migrations_round_trip_on_postgresql():
    if not postgres_available():
        skip_or_fail("PostgreSQL on 127.0.0.1:5432 is not reachable")
    name, url = create_pg_database()
    try:
        _round_trip(url)
    finally:
        drop_pg_database(name)
