"""Schema migrations (Alembic, kept in this package) and the check made on opening."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from hansei.errors import StoreError
from hansei.store.database import Database

MIGRATIONS = Path(__file__).parent / "migrations"


def _config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(database: Database) -> str | None:
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database, target: str = "head") -> tuple[str | None, str]:
    """Apply the migrations up to `target`; returns the revisions before and after."""
    before = current_revision(database)
    with database.engine.connect() as connection:
        command.upgrade(_config(connection), target)
        connection.commit()
    after = current_revision(database)
    assert after is not None
    return before, after


def downgrade(database: Database, target: str) -> tuple[str | None, str | None]:
    """Undo the migrations after `target`; returns the revisions before and after."""
    before = current_revision(database)
    with database.engine.connect() as connection:
        command.downgrade(_config(connection), target)
        connection.commit()
    return before, current_revision(database)


def check_schema(database: Database) -> None:
    """Refuse a database whose schema is not the one this hansei expects.

    A SQLite database with no tables at all is new: it is set up at once.
    """
    current = current_revision(database)
    head = head_revision()
    if current == head:
        return
    new_sqlite_file = (
        current is None
        and database.dialect == "sqlite"
        and not sa.inspect(database.engine).get_table_names()
    )
    if new_sqlite_file:
        upgrade(database)
        return
    state = "has no hansei schema" if current is None else f"is at schema revision {current}"
    raise StoreError(
        f"the database {database.url} {state}; this hansei needs {head}: "
        "run `hansei db upgrade` first"
    )


def search_setup_problem(database: Database) -> str | None:
    """Why search would be slow on this database, if it would (PostgreSQL's ctype)."""
    if database.dialect != "postgresql":
        return None
    with database.engine.connect() as connection:
        ctype = connection.exec_driver_sql(
            "SELECT datctype FROM pg_database WHERE datname = current_database()"
        ).scalar_one()
    if str(ctype).split(".")[0] in ("C", "POSIX") and str(ctype) not in ("C.UTF-8", "C.utf8"):
        return (
            f"the database's LC_CTYPE is {ctype}: pg_trgm makes no trigrams of Japanese "
            "under it, so Japanese searches scan every row; create the database with "
            "LC_CTYPE 'C.UTF-8' (or ja_JP.UTF-8) for indexed search"
        )
    return None
