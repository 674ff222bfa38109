"""The database a command works on, and who it saves as; store failures end the command."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from hansei.cli.output import fail
from hansei.cli.settings import command_settings
from hansei.errors import ConflictError, HanseiError

if TYPE_CHECKING:
    from hansei.store import Database

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="Database URL (default: HANSEI_DATABASE_URL, else a SQLite file)."),
]
UserOption = Annotated[
    str | None, typer.Option("--user", help="Who saves (default: HANSEI_USER, else your login).")
]


@contextmanager
def open_store(url: str | None, *, create: bool = False) -> Iterator[Database]:
    """The store at `url` (default: the settings'); imported here, by the commands that use it."""
    from sqlalchemy.exc import SQLAlchemyError

    from hansei.store import describe, open_database

    settings = command_settings()
    try:
        database = open_database(url or settings.resolved_database_url(), create=create)
    except HanseiError as error:
        fail(f"hansei: {error}")
    try:
        yield database
    except ConflictError as error:
        if error.kept_revision is None:
            fail(f"hansei: {error}: look at it again (hansei show) first", 3)
        fail(
            f"hansei: {error}\n"
            f"compare: hansei diff {error.postmortem_id[:8]} {error.current} "
            f"{error.kept_revision}; then update from revision {error.current} "
            f"(--base-revision {error.current})",
            3,
        )
    except HanseiError as error:
        fail(f"hansei: {error}")
    except SQLAlchemyError as error:  # locked past the busy timeout, connection lost …
        fail(f"hansei: the database failed: {describe(error)}")
    finally:
        database.dispose()


def saving_user(given: str | None) -> str:
    return given or command_settings().resolved_user()
