"""Fresh databases for tests: a SQLite file, or a schema of its own in the real PostgreSQL."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from hansei.store import Database, create_engine, open_database
from hansei.store.migrate import upgrade
from tests.ci import running_in_ci

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("HANSEI_TEST_POSTGRES_URL", DEFAULT_POSTGRES)


def require_postgres() -> None:
    """Skip when no PostgreSQL answers, except in CI, where that is a failure."""
    engine = create_engine(postgres_url())
    try:
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
    except sa.exc.OperationalError as error:
        if running_in_ci():
            pytest.fail(f"PostgreSQL is needed in CI and does not answer: {error}")
        pytest.skip(f"no PostgreSQL at {postgres_url()}")
    finally:
        engine.dispose()


@contextmanager
def postgres_schema() -> Iterator[str]:
    """A URL whose connections work in a new, empty schema (dropped afterwards)."""
    require_postgres()
    schema = f"hansei_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url())
    with admin.begin() as connection:
        connection.exec_driver_sql(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in postgres_url() else "?"
    options = quote(f"-csearch_path={schema},public")
    try:
        yield f"{postgres_url()}{separator}options={options}"
    finally:
        with admin.begin() as connection:
            connection.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@contextmanager
def empty_database_url(kind: str, folder: Path) -> Iterator[str]:
    if kind == "sqlite":
        folder.mkdir(parents=True, exist_ok=True)
        yield f"sqlite:///{folder / 'hansei.db'}"
    else:
        with postgres_schema() as url:
            yield url


@contextmanager
def fresh_database(kind: str, folder: Path) -> Iterator[Database]:
    """A database of `kind` with the current schema, through hansei's own migrations."""
    with empty_database_url(kind, folder) as url:
        bare = Database(create_engine(url))
        upgrade(bare)
        bare.dispose()
        database = open_database(url)
        try:
            yield database
        finally:
            database.dispose()
