"""Migrations: empty → head → base → head, with data in the tables, and no drift."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_migrate import downgrade, upgrade

from tracker import create_app, demo
from tracker.extensions import db

from .conftest import skip_or_fail
from .postgres import create_pg_database, drop_pg_database, postgres_available


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

    from tracker.models.search import include_name

    # The same filter as `flask db check`: the search index's full-text structure is not mapped.
    opts = {"compare_type": True, "include_name": include_name}
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts=opts), db.metadata)
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


def test_upgrade_clears_references_that_sqlite_let_dangle_or_point_into_another_trajectory(tmp_path):
    """Databases from before foreign keys were enforced on SQLite can hold an action owned by a
    membership of ANOTHER trajectory (an id reused after a removal) or a participant whose
    membership is gone; the migration that keeps contributions clears those links and copies the
    names of current members."""
    from config import TestConfig
    from tracker.models import Action, Membership, WorkshopParticipant

    app = create_app(
        type(
            "MigrationConfig",
            (TestConfig,),
            {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "legacy.db")},
        )
    )
    with app.app_context():
        upgrade()
        demo.load()
        db.session.commit()
        action = db.session.scalar(sa.select(Action).where(Action.owner_id.is_not(None)).limit(1))
        stranger = db.session.scalar(
            sa.select(Membership).where(Membership.trajectory_id != action.trajectory_id)
        )
        participant = db.session.scalar(sa.select(WorkshopParticipant).limit(1))
        kept = db.session.scalar(
            sa.select(WorkshopParticipant).where(WorkshopParticipant.id != participant.id)
        )
        action_id, stranger_id, participant_id, kept_id = action.id, stranger.id, participant.id, kept.id
        kept_name = kept.membership.user.name
        db.session.remove()
        downgrade(revision="5255f6271c89")
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.exec_driver_sql(f"UPDATE actions SET owner_id = {stranger_id} WHERE id = {action_id}")
            conn.exec_driver_sql(
                f"UPDATE workshop_participants SET membership_id = 999999 WHERE id = {participant_id}"
            )
            conn.commit()
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
        upgrade()
        assert db.session.scalar(sa.select(Action.owner_id).where(Action.id == action_id)) is None
        gone = db.session.get(WorkshopParticipant, participant_id)
        assert gone is not None and gone.membership_id is None and gone.grade is not None
        assert db.session.get(WorkshopParticipant, kept_id).name == kept_name
        db.session.remove()
        db.engine.dispose()
