"""Reads begun with a time limit: SQLite stops them once it has passed."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from hansei.services import saving
from hansei.store import Database
from hansei.store.database import ReadTooLongError, within
from tests.databases import fresh_database
from tests.factories import postmortem


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    with fresh_database("sqlite", tmp_path) as opened:
        yield opened


@pytest.fixture
def postgresql_database(tmp_path: Path) -> Iterator[Database]:
    with fresh_database("postgresql", tmp_path) as opened:
        yield opened


# Counts to ten million, one row at a time: seconds of work for SQLite.
SLOW_SQL = (
    "WITH RECURSIVE counting(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM counting"
    " WHERE n < 10000000) SELECT count(*) FROM counting"
)


def _slow(database: Database) -> int:
    with database.querying() as connection:
        return int(connection.exec_driver_sql(SLOW_SQL).scalar_one())


def test_a_sqlite_read_past_its_limit_is_stopped(sqlite_database: Database) -> None:
    started = time.perf_counter()
    with pytest.raises(ReadTooLongError), within(0.01):
        _slow(sqlite_database)
    assert time.perf_counter() - started < 1.0
    with pytest.raises(ReadTooLongError), within(0.01), sqlite_database.reading() as session:
        session.execute(sa.text(SLOW_SQL)).scalar_one()


def test_the_limit_ends_with_its_block(sqlite_database: Database) -> None:
    saving.create_postmortem(sqlite_database, postmortem(title="後で読む"), user="t")
    with within(0.01):
        with sqlite_database.querying() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM postmortems").scalar() == 1
        time.sleep(0.02)
    # The same pooled connections, now without a limit: a long read runs to its end.
    query = SLOW_SQL.replace("10000000", "300000")
    with sqlite_database.querying() as connection:
        assert connection.exec_driver_sql(query).scalar_one() == 300_000


def test_writes_are_not_limited(sqlite_database: Database) -> None:
    with within(0.0):
        stored = saving.create_postmortem(sqlite_database, postmortem(title="書く"), user="t")
    assert stored.outcome == "created"


def test_postgresql_reads_are_not_limited(postgresql_database: Database) -> None:
    with within(0.01), postgresql_database.querying() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM pg_sleep(0.1)").scalar() == 1
