"""`hansei serve`: the web app and the REST API."""

from __future__ import annotations

from typing import Annotated

import typer

from hansei.cli.database import DbOption, open_store
from hansei.cli.output import fail
from hansei.cli.settings import command_settings
from hansei.services import demo


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    db: DbOption = None,
    demo_data: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="Fill an empty store with demo postmortems and make the demo login "
            f"({demo.DEMO_USER} / {demo.DEMO_PASSWORD}, admin).",
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes (use PostgreSQL for >1).")
    ] = 1,
) -> None:
    """Serve the web app and the REST API (/api/v1, reference at /api/v1/docs)."""
    from hansei.web.server import serve

    settings = command_settings()
    url = db or settings.resolved_database_url()
    if workers > 1 and url.startswith("sqlite"):
        fail("hansei: --workers above 1 needs PostgreSQL: SQLite takes one writer at a time")
    if demo_data:
        _upgrade_demo_store(url)
    with open_store(url, create=True) as database:
        if demo_data:
            added = demo.seed_demo(database)
            if added:
                typer.echo(f"hansei: added {added} demo postmortems")
    address = f"http://{host}:{port}/"
    typer.echo(f"hansei: serving {address} (database {url}); stop with Ctrl+C")
    if demo_data:
        typer.echo(f"hansei: demo login: {demo.DEMO_USER} / {demo.DEMO_PASSWORD}")
    serve(settings.model_copy(update={"database_url": url}), host=host, port=port, workers=workers)


def _upgrade_demo_store(url: str) -> None:
    """The demo store is disposable: an older one is brought up to date, not refused."""
    from sqlalchemy.exc import SQLAlchemyError

    from hansei.store import create_engine, describe, sqlite_file
    from hansei.store.database import Database
    from hansei.store.migrate import upgrade

    path = sqlite_file(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url)
    try:
        upgrade(Database(engine))
    except SQLAlchemyError as error:
        fail(f"hansei: cannot use the database {url}: {describe(error)}")
    finally:
        engine.dispose()
