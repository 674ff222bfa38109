"""How many postmortems each status holds, in a table of its own: the list's total
is read, not counted over the whole store on every view.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-08
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "postmortem_counts",
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("postmortems", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", name="pk_postmortem_counts"),
    )
    op.execute(
        "INSERT INTO postmortem_counts (status, postmortems) "
        "SELECT status, count(*) FROM postmortems GROUP BY status"
    )


def downgrade() -> None:
    op.drop_table("postmortem_counts")
