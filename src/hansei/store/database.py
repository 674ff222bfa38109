"""One database: its engine (SQLite or PostgreSQL), connection settings and transactions.

Nothing connects until `open_database()` is called.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from hansei.errors import StoreError


class ReadTooLongError(StoreError):
    """A read begun with a time limit (`within`) ran past it and was stopped."""


_read_deadline: ContextVar[tuple[int, float] | None] = ContextVar(
    "hansei_read_deadline", default=None
)
"""The thread whose reads are limited, and the CPU time of that thread at which they stop."""
# SQLite calls the progress handler every this many steps of its virtual machine: a
# few microseconds apart, at the cost of a Python call each time.
_PROGRESS_STEPS = 2_000


@contextmanager
def within(seconds: float) -> Iterator[None]:
    """Reads from SQLite begun inside the block, in this thread, stop with
    ReadTooLongError once the thread has worked `seconds` since the block began
    (PostgreSQL's are not limited).

    Counted in the thread's CPU time, not on the clock: a thread put aside by the
    operating system, or waiting for the GIL, is not working on the read."""
    token = _read_deadline.set((threading.get_ident(), time.thread_time() + seconds))
    try:
        yield
    finally:
        _read_deadline.reset(token)


@contextmanager
def _out_of_time_told() -> Iterator[None]:
    try:
        yield
    except sa.exc.OperationalError as error:
        if _limited_here() is not None and str(error.orig) == "interrupted":
            raise ReadTooLongError("the read ran past its time limit") from error
        raise


def _limited_here() -> float | None:
    """The CPU time at which this thread's reads stop, if they are limited."""
    limit = _read_deadline.get()
    if limit is None or limit[0] != threading.get_ident():
        return None
    return limit[1]


class Database:
    """An engine plus a session factory; `transaction()` is the unit of every write."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._writers = sessionmaker(
            engine.execution_options(hansei_write=True), expire_on_commit=False
        )

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed together, or not at all."""
        with self._writers() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        with _out_of_time_told(), self._sessions() as session:
            yield session

    @contextmanager
    def querying(self) -> Iterator[sa.Connection]:
        """A connection for reads that need no ORM: the paths every request takes
        (who is asking, the list) skip the session's bookkeeping."""
        with _out_of_time_told(), self.engine.connect() as connection:
            yield connection

    def dispose(self) -> None:
        self.engine.dispose()


Reader = Session | sa.Connection
"""What a read query runs on: an ORM session or a plain connection."""


def insert_or_ignore(session: Session, table: sa.Table, values: dict[str, Any]) -> sa.Insert:
    """An INSERT that does nothing when a unique key already holds the row: of two writers
    at once, the database lets exactly one in."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table).values(values).on_conflict_do_nothing()
    return sqlite.insert(table).values(values).on_conflict_do_nothing()


POOL_SIZE = 10
"""Connections kept open. The web app reads the store from fewer threads than this
(and one more on the event loop): with more users of the pool than it keeps, every
return past its size closed a connection and the next request opened one again."""


def create_engine(url: str, **options: Any) -> sa.Engine:
    """An engine with hansei's connection settings for the URL's database."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise StoreError(f"not a database URL: {url!r}") from error
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(parsed, **options)
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        # After a few runs psycopg prepares statements, and PostgreSQL's generic plan for
        # a 2-character LIKE was measured a thousand times slower than the custom one.
        connect_args = {"prepare_threshold": None, **options.pop("connect_args", {})}
        options.setdefault("pool_size", POOL_SIZE)
        return sa.create_engine(parsed, connect_args=connect_args, **options)
    raise StoreError(f"unsupported database {backend!r}: use sqlite:/// or postgresql://")


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (None for other databases and for `:memory:`)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database).expanduser()


def _sqlite_engine(url: sa.URL, **options: Any) -> sa.Engine:
    if url.database not in (None, "", ":memory:"):
        options.setdefault("pool_size", POOL_SIZE)
    engine = sa.create_engine(url, **options)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(connection: Any, _record: Any) -> None:
        # Python's sqlite3 opens transactions itself unless told not to;
        # SQLAlchemy then issues BEGIN so that each transaction is explicit.
        connection.isolation_level = None
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        # A writer takes the lock up front (IMMEDIATE), so two writers queue
        # instead of one failing halfway with "database is locked".
        write = connection.get_execution_options().get("hansei_write", False)
        # Each transaction sets the time limit of its own reads, or lifts the last one's.
        deadline = None if write else _limited_here()
        connection.connection.dbapi_connection.set_progress_handler(  # type: ignore[union-attr]
            None if deadline is None else lambda: time.thread_time() > deadline,
            _PROGRESS_STEPS,
        )
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def open_database(url: str, *, create: bool = True) -> Database:
    """Connect, and check the schema is current.

    A SQLite file that does not exist yet is created with its schema when
    `create` is set (commands that store something); commands that only read
    refuse it, so a mistyped path is an error rather than an empty database.
    """
    from hansei.store.migrate import check_schema

    engine = create_engine(url)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        if not create:
            engine.dispose()
            raise StoreError(f"no database at {path} (`hansei import` creates it)")
        path.parent.mkdir(parents=True, exist_ok=True)
    database = Database(engine)
    try:
        check_schema(database)
    except SQLAlchemyError as error:
        database.dispose()
        raise StoreError(f"cannot use the database {database.url}: {describe(error)}") from error
    except StoreError:
        database.dispose()
        raise
    return database


def describe(error: SQLAlchemyError) -> str:
    """The driver's own message, on one line, without SQLAlchemy's [SQL: …] appendix."""
    detail = str(getattr(error, "orig", None) or error)
    return " ".join(detail.split("\n[SQL:")[0].split()) or error.__class__.__name__
