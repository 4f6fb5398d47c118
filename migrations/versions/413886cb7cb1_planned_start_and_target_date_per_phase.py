"""planned start and target date per phase (set by project leads; a phase past its target date with
open items is behind)

Revision ID: 413886cb7cb1
Revises: 335595e02715
Create Date: 2026-11-24 21:21:40.676422

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "413886cb7cb1"
down_revision = "335595e02715"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("phases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("planned_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("target_date", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("phases", schema=None) as batch_op:
        batch_op.drop_column("target_date")
        batch_op.drop_column("planned_start")
