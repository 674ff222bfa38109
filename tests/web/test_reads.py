"""Reads on the event loop: quick ones stay there, long ones move to a thread."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from hansei.services import saving
from hansei.services.searching import list_postmortems
from hansei.store import Database
from hansei.web import reads
from tests.databases import fresh_database
from tests.factories import postmortem
from tests.store.test_time_limit import SLOW_SQL


@pytest.fixture
def sqlite_database(tmp_path: Path) -> Iterator[Database]:
    with fresh_database("sqlite", tmp_path) as opened:
        yield opened


def _longest_pause(work: object) -> tuple[object, float]:
    """What `work` (a coroutine) returns, and the longest the event loop was held
    meanwhile, as a task that wakes every millisecond sees it. The loop runs in a
    thread of its own (LOOP_THREAD): the browser tests leave one in the main thread."""
    outcome: list[tuple[object, float]] = []
    loop_thread = threading.Thread(target=lambda: outcome.append(_run(work)), name=LOOP_THREAD)
    loop_thread.start()
    loop_thread.join(timeout=120)
    (result,) = outcome
    return result


LOOP_THREAD = "event loop under test"


def _run(work: object) -> tuple[object, float]:

    async def main() -> tuple[object, float]:
        longest = 0.0
        done = asyncio.Event()

        async def ticking() -> None:
            nonlocal longest
            last = time.perf_counter()
            while not done.is_set():
                await asyncio.sleep(0.001)
                now = time.perf_counter()
                longest, last = max(longest, now - last), now

        ticker = asyncio.create_task(ticking())
        await asyncio.sleep(0.01)
        try:
            return await work, longest  # type: ignore[misc]
        finally:
            done.set()
            await ticker

    return asyncio.run(main())


def test_a_quick_read_answers_on_the_event_loop(sqlite_database: Database) -> None:
    saving.create_postmortem(sqlite_database, postmortem(title="速い"), user="t")
    threads: list[threading.Thread] = []

    def listed(database: Database) -> int:
        threads.append(threading.current_thread())
        return list_postmortems(database)[1]

    total, _ = _longest_pause(reads.read(listed, sqlite_database))
    assert total == 1
    assert [thread.name for thread in threads] == [LOOP_THREAD]


def test_a_long_read_moves_to_a_thread_and_the_loop_goes_on(sqlite_database: Database) -> None:
    threads: list[threading.Thread] = []

    def slow(database: Database) -> int:
        threads.append(threading.current_thread())
        with database.querying() as connection:
            return int(connection.exec_driver_sql(SLOW_SQL).scalar_one())

    started = time.perf_counter()
    counted, longest_pause = _longest_pause(reads.read(slow, sqlite_database))
    took = time.perf_counter() - started
    assert counted == 10_000_000
    # Stopped on the loop, then read again (whole) in a worker thread.
    assert [thread.name == LOOP_THREAD for thread in threads] == [True, False]
    # The loop was held about ON_LOOP_AT_MOST, far less than the read took.
    assert longest_pause < took / 4
