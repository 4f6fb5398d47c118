"""The search index: one row per searchable record, with the full-text structure of the database.

``search_entries`` is an ordinary table, written by the session hook of ``tracker.search.index``.
The full-text part depends on the database and is not mapped:

- SQLite: an FTS5 table ``search_entries_fts`` over ``title`` and ``body`` with ``search_entries``
  as its external content, kept in step by three triggers;
- PostgreSQL: a generated ``tsvector`` column ``search_vector`` (Dutch configuration; the title
  weighs more than the body) with a GIN index.

The same statements are run by the migration and, for databases built from the metadata (the
tests), after the table is created. Alembic leaves them out of its comparison (:func:`include_name`).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column

from tracker.extensions import Base
from tracker.models.base import enum_column
from tracker.models.labeled import LabeledEnum


class SearchKind(LabeledEnum):
    """What a search result is; the label heads the group of results of that kind."""

    ITEM = "item", _l("Checklist items")
    ACTION = "action", _l("Actions")
    MILESTONE = "milestone", _l("Milestones")
    MEETING = "meeting", _l("Network meetings")
    AGREEMENT = "agreement", _l("Working agreements")
    AMBITION = "ambition", _l("Shared ambitions")
    OBJECTIVE = "objective", _l("Concrete objectives")
    WORKSHOP_NOTE = "workshop_note", _l("Workshop notes")


class SearchEntry(Base):
    """A searchable record. ``page_id`` is what its page needs besides the trajectory: the phase
    number of an item, the plan of a milestone, the meeting of an agreement, the ambition of an
    objective, the workshop of a note (the record's own id otherwise). ``context`` names where it
    sits (the section, the meeting, the ambition, the workshop); it is shown, not searched."""

    __tablename__ = "search_entries"
    __table_args__ = (sa.UniqueConstraint("kind", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[SearchKind] = mapped_column(enum_column(SearchKind, "kind"))
    record_id: Mapped[int]
    trajectory_id: Mapped[int] = mapped_column(
        sa.ForeignKey("trajectories.id", ondelete="CASCADE"), index=True
    )
    page_id: Mapped[int]
    title: Mapped[str] = mapped_column(sa.Text, default="")
    body: Mapped[str] = mapped_column(sa.Text, default="")
    context: Mapped[str] = mapped_column(sa.Text, default="")


FTS_TABLE = "search_entries_fts"
VECTOR_COLUMN = "search_vector"
VECTOR_INDEX = "ix_search_entries_search_vector"

# Literal SQL (no names spliced in): the FTS5 table and the triggers that keep it in step.
SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE search_entries_fts USING fts5(title, body, content='search_entries', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(search_entries_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE ON search_entries BEGIN "
    "INSERT INTO search_entries_fts(search_entries_fts, rowid, title, body) "
    "VALUES ('delete', old.id, old.title, old.body); "
    "INSERT INTO search_entries_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_entries_au",
    "DROP TRIGGER IF EXISTS search_entries_ad",
    "DROP TRIGGER IF EXISTS search_entries_ai",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]
POSTGRESQL_CREATE = [
    f"ALTER TABLE search_entries ADD COLUMN {VECTOR_COLUMN} tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('dutch'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, coalesce(body, '')), 'B')) STORED",
    f"CREATE INDEX {VECTOR_INDEX} ON search_entries USING gin ({VECTOR_COLUMN})",
]


def full_text_statements(dialect: str) -> list[str]:
    """What creates the full-text structure after ``search_entries`` exists."""
    return {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(dialect, [])


def _after_create(table: sa.Table, connection: sa.Connection, **kw) -> None:
    for statement in full_text_statements(connection.dialect.name):
        connection.exec_driver_sql(statement)


def _before_drop(table: sa.Table, connection: sa.Connection, **kw) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.exec_driver_sql(statement)


sa.event.listen(SearchEntry.__table__, "after_create", _after_create)
sa.event.listen(SearchEntry.__table__, "before_drop", _before_drop)


def include_name(name: str | None, type_: str, parent_names: dict) -> bool:
    """For Alembic's comparison: leave out the full-text structure, which the models do not map
    (the FTS5 table and its shadow tables; the generated column and its index)."""
    if name is None:
        return True
    if type_ == "table":
        return not name.startswith(FTS_TABLE)
    if type_ == "column":
        return not (name == VECTOR_COLUMN and parent_names.get("table_name") == "search_entries")
    if type_ == "index":
        return name != VECTOR_INDEX
    return True
