"""Data version for the page cache

One row with a counter that every writing transaction raises (tracker/dataversion.py); cached
pages are keyed on it.

Revision ID: 14dcca1ee6a5
Revises: e318f05ea4aa
Create Date: 2026-11-25 01:40:05.740621

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "14dcca1ee6a5"
down_revision = "e318f05ea4aa"
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_version")),
    )
    op.bulk_insert(table, [{"id": 1, "value": 0}])


def downgrade():
    op.drop_table("data_version")
