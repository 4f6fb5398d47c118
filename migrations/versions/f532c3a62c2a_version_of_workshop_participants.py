"""version of workshop participants (their grade and first step are saved with a version check)

Revision ID: f532c3a62c2a
Revises: 42974a2cf198
Create Date: 2026-11-24 18:21:14.420427

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "f532c3a62c2a"
down_revision = "42974a2cf198"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))


def downgrade():
    with op.batch_alter_table("workshop_participants", schema=None) as batch_op:
        batch_op.drop_column("version")
