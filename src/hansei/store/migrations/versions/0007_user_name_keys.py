"""User names are one name without regard to case and width: a unique `name_key`.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
from alembic import op

from hansei.errors import StoreError
from hansei.model.access import name_key

revision = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

_USERS = sa.table("users", sa.column("id", sa.Integer()), sa.column("name"), sa.column("name_key"))


def _keys(connection: sa.Connection) -> dict[int, str]:
    """Each user's key; refused before anything changes if two users would share one."""
    rows = connection.execute(sa.select(_USERS.c.id, _USERS.c.name)).all()
    by_key: dict[str, list[str]] = defaultdict(list)
    for _, name in rows:
        by_key[name_key(name)].append(name)
    clashes = [sorted(names) for names in by_key.values() if len(names) > 1]
    if clashes:
        listed = "; ".join(", ".join(repr(name) for name in names) for names in sorted(clashes))
        raise StoreError(
            "these users' names differ only in case or width, and from now on they would "
            f"be one name: {listed}. Keep one of each group (rename or delete the others "
            "in the users table), then run `hansei db upgrade` again"
        )
    return {user_id: name_key(name) for user_id, name in rows}


def upgrade() -> None:
    connection = op.get_bind()
    keys = _keys(connection)
    # A default lets SQLite add a NOT NULL column without rebuilding the table (which
    # would cascade-delete every token and session); every row gets its key below.
    op.add_column("users", sa.Column("name_key", sa.String(64), nullable=False, server_default=""))
    for user_id, key in keys.items():
        connection.execute(_USERS.update().where(_USERS.c.id == user_id).values(name_key=key))
    if connection.dialect.name == "postgresql":
        op.alter_column("users", "name_key", server_default=None)
    op.create_index("ix_users_name_key", "users", ["name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_users_name_key", table_name="users")
    op.drop_column("users", "name_key")
