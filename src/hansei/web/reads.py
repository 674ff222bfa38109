"""Reading the store for a request: on the event loop when it is quick, else in a thread.

Handing a read to a worker thread and back costs more than a small read itself: with
32 connections on the list API, the hop alone halved the requests served (570 a
second read on the loop, 285 with a hop that did nothing). SQLite answers a page of
the list, a search or who waits for review in well under a millisecond, and never
keeps a reader waiting (WAL). So on SQLite such a read runs on the loop first, with
a time limit: SQLite stops it once the loop has spent ON_LOOP_AT_MOST of CPU time on
it, and it runs again in a thread, where it may take as long as it needs.

PostgreSQL's reads cross the network and can wait for locks: they always run in a
thread. (Run on the loop with statement and lock timeouts, they served no more: list
API 215 and 238 requests a second against 228 and 190 in threads, interleaved runs
at 10,000 postmortems.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from starlette.concurrency import run_in_threadpool

from hansei.services import history
from hansei.services.connection import Database, ReadTooLongError, within
from hansei.services.history import StoredPostmortem

ON_LOOP_AT_MOST = 0.01
"""Seconds a read may hold the event loop before it moves to a thread."""
QUICK_ROWS_AT_MOST = 200
"""The longest page read on the event loop: each row becomes Python objects after the
query, work the time limit does not stop."""

_Parameters = ParamSpec("_Parameters")
_Read = TypeVar("_Read")


async def read(
    function: Callable[_Parameters, _Read],
    *args: _Parameters.args,
    **kwargs: _Parameters.kwargs,
) -> _Read:
    """`function(*args, **kwargs)`, a read whose first argument is the Database."""
    database = args[0]
    assert isinstance(database, Database)
    if database.dialect == "sqlite":
        try:
            with within(ON_LOOP_AT_MOST):
                return function(*args, **kwargs)
        except ReadTooLongError:
            pass
    return await run_in_threadpool(function, *args, **kwargs)


async def read_rows(
    rows: int,
    function: Callable[_Parameters, _Read],
    *args: _Parameters.args,
    **kwargs: _Parameters.kwargs,
) -> _Read:
    """A read of up to `rows` rows: as `read` when that is a page at most
    QUICK_ROWS_AT_MOST long, else in a thread."""
    if rows <= QUICK_ROWS_AT_MOST:
        return await read(function, *args, **kwargs)
    return await run_in_threadpool(function, *args, **kwargs)


async def current_postmortem(database: Database, reference: str) -> StoredPostmortem:
    """The current revision of a postmortem: on the event loop when it was read lately
    (one row read), else decoded in a thread."""
    found = await read(history.read_lately, database, reference)
    if found is not None:
        return found
    return await run_in_threadpool(history.current, database, reference)
