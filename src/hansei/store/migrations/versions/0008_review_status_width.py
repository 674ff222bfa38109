"""A review entry's status holds "changes_requested": 32 characters instead of 16.

PostgreSQL refused the 17 characters of "changes_requested" (SQLite does not
enforce the length), so a postmortem whose review history held it could not be
saved there.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # On SQLite a copy of the table (nothing refers to its rows); on PostgreSQL an ALTER.
    with op.batch_alter_table("reviews") as table:
        table.alter_column("status", type_=sa.String(32), existing_type=sa.String(16))


def downgrade() -> None:
    with op.batch_alter_table("reviews") as table:
        table.alter_column("status", type_=sa.String(16), existing_type=sa.String(32))
