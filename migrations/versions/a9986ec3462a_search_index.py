"""search index: one row per searchable record; FTS5 on SQLite, a Dutch tsvector on PostgreSQL

Revision ID: a9986ec3462a
Revises: cadcdab97464
Create Date: 2026-11-24 20:47:14.975882

The full-text structure is written out here (not imported from the app, whose code moves on):
on SQLite an FTS5 table with ``search_entries`` as its external content and three triggers that
keep it in step; on PostgreSQL a generated ``tsvector`` column with a GIN index. The index is
filled from the records already there.
"""

import sqlalchemy as sa
from alembic import op

import tracker.models.base

# revision identifiers, used by Alembic.
revision = "a9986ec3462a"
down_revision = "cadcdab97464"
branch_labels = None
depends_on = None

KINDS = ("item", "action", "milestone", "meeting", "agreement", "ambition", "objective", "workshop_note")

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
    "DROP TABLE IF EXISTS search_entries_fts",
]
POSTGRESQL_CREATE = [
    "ALTER TABLE search_entries ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('dutch'::regconfig, coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('dutch'::regconfig, coalesce(body, '')), 'B')) STORED",
    "CREATE INDEX ix_search_entries_search_vector ON search_entries USING gin (search_vector)",
]

# Each kind: its query (id, trajectory_id, page_id, title, the parts of the body, the context) and
# how many parts its body has. Archived items and actions are not in the index.
SOURCES = [
    (
        "item",
        "SELECT i.id, i.trajectory_id, p.number, i.text, i.answer, s.code || '. ' || s.title "
        "FROM checklist_items i JOIN sections s ON s.id = i.section_id JOIN phases p ON p.id = s.phase_id "
        "WHERE i.archived_at IS NULL",
        1,
    ),
    (
        "action",
        "SELECT id, trajectory_id, id, title, description, result, '' FROM actions WHERE archived_at IS NULL",
        2,
    ),
    (
        "milestone",
        "SELECT id, trajectory_id, plan_id, title, expected_result, actual_result, '' FROM milestones",
        2,
    ),
    (
        "meeting",
        "SELECT id, trajectory_id, id, CASE WHEN purpose <> '' THEN purpose ELSE place END, place, "
        "outcome_bestuur, outcome_management, outcome_uitvoerend, outcome_mixed, notes, '' FROM meetings",
        6,
    ),
    (
        "agreement",
        "SELECT a.id, m.trajectory_id, m.id, a.text, CASE WHEN m.purpose <> '' THEN m.purpose ELSE m.place END "
        "FROM agreements a JOIN meetings m ON m.id = a.meeting_id",
        0,
    ),
    ("ambition", "SELECT id, trajectory_id, id, title, result, '' FROM ambitions", 1),
    (
        "objective",
        "SELECT o.id, a.trajectory_id, a.id, o.text, a.title FROM objectives o JOIN ambitions a ON a.id = o.ambition_id",
        0,
    ),
    (
        "workshop_note",
        "SELECT n.id, w.trajectory_id, w.id, n.text, w.title FROM workshop_notes n JOIN workshops w ON w.id = n.workshop_id",
        0,
    ),
]


def _fill(bind, table) -> None:
    rows = []
    for kind, query, body_parts in SOURCES:
        for record in bind.execute(sa.text(query)):
            body = "\n".join(part for part in record[4 : 4 + body_parts] if part)
            rows.append(
                {
                    "kind": kind,
                    "record_id": record[0],
                    "trajectory_id": record[1],
                    "page_id": record[2],
                    "title": record[3] or "",
                    "body": body,
                    "context": record[4 + body_parts] or "",
                }
            )
    if rows:
        bind.execute(table.insert(), rows)


def upgrade():
    table = op.create_table(
        "search_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*KINDS, name="kind", native_enum=False, create_constraint=True, length=30),
            nullable=False,
        ),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("trajectory_id", sa.Integer(), nullable=False),
        sa.Column("page_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("context", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["trajectory_id"],
            ["trajectories.id"],
            name=op.f("fk_search_entries_trajectory_id_trajectories"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_entries")),
        sa.UniqueConstraint("kind", "record_id", name=op.f("uq_search_entries_kind_record_id")),
    )
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_search_entries_trajectory_id"), ["trajectory_id"], unique=False)

    bind = op.get_bind()
    statements = {"sqlite": SQLITE_CREATE, "postgresql": POSTGRESQL_CREATE}.get(bind.dialect.name, [])
    for statement in statements:
        op.execute(statement)
    _fill(bind, table)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            op.execute(statement)
    with op.batch_alter_table("search_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_entries_trajectory_id"))

    op.drop_table("search_entries")
