"""Commands over the store: db, import, export, search, show, history, diff, restore, update.

The store, the services over it and the HTML renderer are imported by the
commands that use them, so that `hansei --help` and `hansei lint` start fast.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.table import Table

from hansei.cli.database import DbOption, UserOption, open_store, saving_user
from hansei.cli.output import (
    OutputFormat,
    dump_json,
    error_console,
    fail,
    print_diagnostics,
    stdout_console,
)
from hansei.cli.settings import command_settings
from hansei.errors import HanseiError, UnreadableDocumentError, UsageError
from hansei.markdown import render_markdown
from hansei.markdown.values import parse_date
from hansei.model import Language, Severity, Status
from hansei.model.limits import MAX_REVISION, OutOfBoundsError
from hansei.services.documents import (
    expand_paths,
    load_with_id,
    require_postmortem,
    with_id_comment,
)

if TYPE_CHECKING:
    from hansei.store.search import SearchHit

db_app = typer.Typer(help="The database: create or upgrade its schema.", no_args_is_help=True)


class ExportFormat(StrEnum):
    md = "md"
    json = "json"


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None) -> None:
    """Create the schema, or bring it up to this version of hansei."""
    from sqlalchemy.exc import SQLAlchemyError

    from hansei.store import Database, create_engine, describe, sqlite_file
    from hansei.store.migrate import search_setup_problem, upgrade

    url = db or command_settings().resolved_database_url()
    try:
        path = sqlite_file(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        database = Database(create_engine(url))
        before, after = upgrade(database)
        problem = search_setup_problem(database)
    except HanseiError as error:
        fail(f"hansei: {error}")
    except OSError as error:
        fail(f"hansei: cannot create the database folder: {error}")
    except SQLAlchemyError as error:  # unreachable server, bad credentials, no rights …
        fail(f"hansei: cannot upgrade {url}: {describe(error)}")
    database.dispose()
    was = before or "empty"
    typer.echo(f"{database.url}: schema {was} → {after}")
    if problem:
        error_console().print(f"hansei: warning: {problem}", markup=False)


@db_app.command("status")
def db_status(db: DbOption = None) -> None:
    """Show which database is used and whether its schema is current."""
    from sqlalchemy.exc import SQLAlchemyError

    from hansei.store import Database, create_engine, describe, sqlite_file
    from hansei.store.migrate import current_revision, head_revision

    url = db or command_settings().resolved_database_url()
    path = sqlite_file(url)
    if path is not None and not path.exists():
        typer.echo(f"{url}: no database yet (the first `hansei import` creates it)")
        return
    try:
        database = Database(create_engine(url))
        current = current_revision(database)
    except HanseiError as error:
        fail(f"hansei: {error}")
    except SQLAlchemyError as error:
        fail(f"hansei: cannot read {url}: {describe(error)}")
    database.dispose()
    head = head_revision()
    if current == head:
        typer.echo(f"{database.url}: schema {current} (current)")
        return
    typer.echo(f"{database.url}: schema {current or 'none'} (needs `hansei db upgrade` to {head})")
    raise typer.Exit(1)


def import_files(
    paths: Annotated[list[str], typer.Argument(help="Files, folders (*.md, *.json) or globs.")],
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Import postmortems; the same file twice changes nothing, a changed one is a new revision."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from hansei.services import importing

    try:
        files = expand_paths(paths, folder_patterns=("*.md", "*.json"))
    except UsageError as error:
        raise typer.BadParameter(str(error), param_hint="PATH") from error
    if not files:
        raise typer.BadParameter("found no *.md or *.json files to import", param_hint="PATH")
    who = saving_user(user)
    with open_store(db, create=True) as database:
        progress = Progress(
            TextColumn("importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=error_console(),
            transient=True,
            disable=not error_console().is_terminal,
        )
        with progress:
            task = progress.add_task("import", total=len(files))
            report = importing.import_paths(
                database,
                files,
                user=who,
                on_progress=lambda _source: progress.advance(task),
                limits=command_settings().document_limits(),
            )
    for warning in report.warnings:
        error_console().print(warning, markup=False)
    for failure in report.failed:
        error_console().print(failure.reason, markup=False)
    typer.echo(
        f"{len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.failed)} failed"
    )
    if report.failed:
        raise typer.Exit(1)


def export_files(
    directory: Annotated[Path, typer.Argument(help="Folder to write into (created if needed).")],
    lang: Annotated[
        Language | None, typer.Option("--lang", help="Language (default: each document's own).")
    ] = None,
    file_format: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.md,
    db: DbOption = None,
) -> None:
    """Write every postmortem to a file that imports back unchanged."""
    from hansei.services import exporting

    unreadable: list[UnreadableDocumentError] = []

    def report(error: UnreadableDocumentError) -> None:
        unreadable.append(error)
        error_console().print(f"hansei: {error}; not exported", markup=False)

    with open_store(db) as database:
        try:
            written = exporting.export_all(
                database,
                directory,
                language=lang,
                file_format=file_format.value,
                on_unreadable=report,
            )
        except OSError as error:
            fail(f"hansei: cannot write to {directory}: {error.strerror or error}")
    skipped = f", {len(unreadable)} could not be read" if unreadable else ""
    typer.echo(f"{len(written)} postmortems written to {directory}{skipped}")
    if unreadable:
        raise typer.Exit(1)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    # The same readings as dates in documents: 2025-03-01, 2025/3/1, 2025年3月1日.
    try:
        day = parse_date(value)
    except ValueError as error:
        if isinstance(error.__cause__, OutOfBoundsError):
            raise typer.BadParameter(f"{value!r}: {error.__cause__}", param_hint=option) from None
        day = None
    if day is None:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=option)
    return day


def search_command(
    query: Annotated[str, typer.Argument(help="Words that must all occur (any language).")] = "",
    service: Annotated[str | None, typer.Option(help="Only incidents of this service.")] = None,
    severity: Annotated[
        Severity | None, typer.Option(help="Only this severity.", case_sensitive=False)
    ] = None,
    status: Annotated[
        Status | None, typer.Option(help="Only this status.", case_sensitive=False)
    ] = None,
    since: Annotated[str | None, typer.Option(help="Detected on or after (YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Detected on or before (YYYY-MM-DD).")] = None,
    owner: Annotated[
        str | None, typer.Option(help="Written by, or with an action item owned by, this person.")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many results.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
) -> None:
    """Find postmortems: every word must occur somewhere in the text; best matches first."""
    from hansei.services import searching
    from hansei.store.filters import SearchFilters

    problem = searching.query_problem(query)
    if problem is not None:
        raise typer.BadParameter(problem, param_hint="QUERY")
    timezone = command_settings().timezone
    zone = ZoneInfo(timezone)
    since_day, until_day = _day(since, "--since"), _day(until, "--until")
    if since_day and until_day and since_day > until_day:
        raise typer.BadParameter(
            f"{since_day} is after --until {until_day}: nothing could match", param_hint="--since"
        )
    filters = SearchFilters(
        service=service,
        severity=severity.value if severity else None,
        status=status.value if status else None,
        owner=owner,
        since=searching.day_start(since_day, timezone) if since_day else None,
        until=searching.day_start(date.fromordinal(until_day.toordinal() + 1), timezone)
        if until_day
        else None,
    )
    with open_store(db) as database:
        hits = searching.search_postmortems(database, query, filters, limit=limit)
    if as_json:
        typer.echo(dump_json([_hit_json(hit) for hit in hits]))
        return
    if not hits:
        typer.echo("no postmortem matches")
        return
    table = Table(show_lines=False, pad_edge=False)
    for column in ("id", "detected", "severity", "status", "title / match"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        detected = hit.detected_at.astimezone(zone).strftime("%Y-%m-%d") if hit.detected_at else "-"
        table.add_row(
            hit.id[:8],
            detected,
            hit.severity or "-",
            hit.status,
            f"{hit.title or '(untitled)'}\n[dim]{hit.snippet}[/dim]",
        )
    stdout_console().print(table)
    if len(hits) == limit:
        error_console().print(f"the first {limit} shown; --limit shows more", markup=False)


def _hit_json(hit: SearchHit) -> dict[str, Any]:
    return {
        "id": hit.id,
        "title": hit.title,
        "status": hit.status,
        "severity": hit.severity,
        "detected": hit.detected_at.isoformat() if hit.detected_at else None,
        "author": hit.author,
        "services": hit.services,
        "snippet": hit.snippet,
    }


IdArgument = Annotated[str, typer.Argument(help="Postmortem id (or its first 4+ characters).")]


def show(
    postmortem: IdArgument,
    revision: Annotated[
        int | None, typer.Option(min=1, max=MAX_REVISION, help="An older revision.")
    ] = None,
    output_format: Annotated[OutputFormat, typer.Option("--format")] = OutputFormat.md,
    db: DbOption = None,
) -> None:
    """Print a stored postmortem (Markdown carries its id, so it can be edited and updated)."""
    from hansei.markdown.html import render_html
    from hansei.services import history

    with open_store(db) as database:
        postmortem_id = history.resolve(database, postmortem)
        stored = history.get_postmortem(database, postmortem_id)
        number = revision or stored.revision
        document = (
            stored.postmortem
            if revision is None
            else history.revision_document(database, postmortem_id, revision)
        )
    if output_format is OutputFormat.json:
        typer.echo(
            dump_json(
                {"id": postmortem_id, "revision": number, "postmortem": document.to_json_dict()}
            )
        )
    elif output_format is OutputFormat.html:
        typer.echo(render_html(document), nl=False)
    else:
        typer.echo(with_id_comment(render_markdown(document), postmortem_id, number), nl=False)


def history_command(
    postmortem: IdArgument,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    db: DbOption = None,
) -> None:
    """List every revision of a postmortem: who, when, and how it came."""
    from hansei.services import history

    with open_store(db) as database:
        postmortem_id = history.resolve(database, postmortem)
        revisions = history.list_revisions(database, postmortem_id)
    if as_json:
        typer.echo(
            dump_json(
                [
                    {
                        "number": r.number,
                        "kind": r.kind,
                        "based_on": r.based_on,
                        "created_at": r.created_at.isoformat(),
                        "created_by": r.created_by,
                        "note": r.note,
                        "current": r.current,
                    }
                    for r in revisions
                ]
            )
        )
        return
    table = Table(title=f"postmortem {postmortem_id}", title_justify="left", pad_edge=False)
    for column in ("rev", "when (UTC)", "who", "kind", "note"):
        table.add_column(column, overflow="fold")
    for r in revisions:
        mark = " (current)" if r.current else ""
        table.add_row(
            f"{r.number}{mark}",
            r.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            r.created_by,
            r.kind if r.based_on is None else f"{r.kind} (from {r.based_on})",
            r.note or "",
        )
    stdout_console().print(table)


def diff_command(
    postmortem: IdArgument,
    old: Annotated[int, typer.Argument(min=1, max=MAX_REVISION, help="The earlier revision.")],
    new: Annotated[int, typer.Argument(min=1, max=MAX_REVISION, help="The later revision.")],
    db: DbOption = None,
) -> None:
    """Show what changed between two revisions, as a unified diff of their Markdown."""
    from hansei.services import history

    with open_store(db) as database:
        postmortem_id = history.resolve(database, postmortem)
        text = history.diff_revisions(database, postmortem_id, old, new)
    typer.echo(text or f"revisions {old} and {new} read the same", nl=not text)


def restore_command(
    postmortem: IdArgument,
    revision: Annotated[
        int, typer.Argument(min=1, max=MAX_REVISION, help="The revision to bring back.")
    ],
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Bring back an old revision as a new one; nothing is overwritten."""
    from hansei.services import history

    with open_store(db) as database:
        postmortem_id = history.resolve(database, postmortem)
        result = history.restore_revision(database, postmortem_id, revision, user=saving_user(user))
    if result.outcome == "unchanged":
        typer.echo(f"revision {revision} is what {postmortem_id} already reads; nothing to do")
    else:
        typer.echo(f"{postmortem_id}: revision {revision} restored as revision {result.revision}")


def update_command(
    postmortem: IdArgument,
    file: Annotated[Path, typer.Argument(help="The edited postmortem (Markdown or JSON).")],
    base_revision: Annotated[
        int | None,
        typer.Option(
            min=1,
            max=MAX_REVISION,
            help="The revision the edit started from (default: the one in the file).",
        ),
    ] = None,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Save an edited file as a new revision, refused if someone saved since you started."""
    from hansei.services import history, saving
    from hansei.store.repository import normalise_id

    try:
        loaded = load_with_id(file, command_settings().document_limits())
        require_postmortem(loaded, str(file))
    except HanseiError as error:
        fail(str(error))
    print_diagnostics(str(file), loaded.result.diagnostics)
    base = base_revision if base_revision is not None else loaded.revision
    if base is None:
        raise typer.BadParameter(
            "the file does not say which revision it started from: give --base-revision",
            param_hint="--base-revision",
        )
    with open_store(db) as database:
        postmortem_id = history.resolve(database, postmortem)
        carried = normalise_id(loaded.document_id) if loaded.document_id else None
        if carried is not None and carried != postmortem_id:
            fail(f"hansei: {file} is postmortem {carried}, not {postmortem_id}")
        result = saving.update_postmortem(
            database,
            postmortem_id,
            loaded.result.postmortem,
            user=saving_user(user),
            base_revision=base,
            note=f"from {file}",
        )
    if result.outcome == "unchanged":
        typer.echo(f"{postmortem_id}: no change")
    else:
        typer.echo(f"{postmortem_id}: saved as revision {result.revision}")


__all__ = [
    "db_app",
    "diff_command",
    "export_files",
    "history_command",
    "import_files",
    "restore_command",
    "search_command",
    "show",
    "update_command",
]
