"""Alembic's entry point: migrations run on the connection hansei hands over."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection

from hansei.store.tables import Base

connection = context.config.attributes.get("connection")
if not isinstance(connection, Connection):
    raise RuntimeError("hansei's migrations run through `hansei db upgrade`, not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
