"""`hansei`: write, read, render and measure postmortems from the command line."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any
from zoneinfo import ZoneInfo

import typer
from rich.text import Text

from hansei import __version__
from hansei.cli import review_commands, store_commands, user_commands
from hansei.cli.action_commands import actions_app
from hansei.cli.lint import lint
from hansei.cli.output import (
    OutputFormat,
    dump_json,
    error_console,
    fail,
    metrics_table,
    print_diagnostics,
    stdout_console,
)
from hansei.cli.remind_command import remind_command
from hansei.cli.serve_command import serve_command
from hansei.cli.settings import command_settings
from hansei.errors import DocumentError, HanseiError
from hansei.markdown import ParseResult, render_markdown
from hansei.markdown.values import parse_date, parse_timestamp
from hansei.markdown.zones import timezone_name
from hansei.metrics import Metrics, compute_metrics
from hansei.model import Impact, Language, Postmortem, Severity, Slo, Times
from hansei.model.limits import MAX_SLO_TARGET
from hansei.services.documents import load_document

app = typer.Typer(
    name="hansei",
    help="Postmortems for teams that run services against SLOs.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hansei {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """Postmortems for teams that run services against SLOs."""


def _load(path: Path) -> ParseResult:
    try:
        result = load_document(path, command_settings().document_limits())
    except DocumentError as error:
        fail(str(error))
    print_diagnostics(str(path), result.diagnostics)
    return result


def _document_json(postmortem: Postmortem, figures: Metrics | None = None) -> dict[str, Any]:
    figures = figures if figures is not None else compute_metrics(postmortem)
    return {"postmortem": postmortem.to_json_dict(), "metrics": figures.model_dump(mode="json")}


def _write(text: str, output: Path | None, *, force: bool = True) -> None:
    if output is None:
        typer.echo(text, nl=False)
        return
    if output.exists() and not force:
        fail(f"{output}: already exists (use --force to overwrite)")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        fail(f"{output}: cannot write: {error.strerror or error}")


@app.command()
def new(
    title: Annotated[str | None, typer.Option(help="Incident title.")] = None,
    author: Annotated[str | None, typer.Option(help="Who writes the postmortem.")] = None,
    reviewer: Annotated[list[str] | None, typer.Option(help="A reviewer; repeat for more.")] = None,
    service: Annotated[
        list[str] | None, typer.Option(help="An affected service; repeat for more.")
    ] = None,
    severity: Annotated[Severity | None, typer.Option(help="Severity.")] = None,
    occurred: Annotated[
        str | None, typer.Option(help="Impact start, e.g. '2025-01-16 12:00'.")
    ] = None,
    detected: Annotated[
        str | None, typer.Option(help="Detection time, e.g. '2025-01-16 12:05'.")
    ] = None,
    recovered: Annotated[str | None, typer.Option(help="Recovery time.")] = None,
    slo_target: Annotated[
        float | None,
        typer.Option(callback=_target, help="SLO target, e.g. 0.999 (default HANSEI_SLO_TARGET)."),
    ] = None,
    lang: Annotated[Language | None, typer.Option(help="Language of the document.")] = None,
    timezone: Annotated[
        str | None, typer.Option(help="Timezone: IANA name or JST, UTC, PST … (default JST).")
    ] = None,
    written: Annotated[
        str | None, typer.Option("--date", help="Date of the postmortem (default today).")
    ] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing FILE.")] = False,
) -> None:
    """Write a fresh postmortem from the template, with what is known filled in."""
    settings = command_settings()
    zone_name = timezone_name(timezone) if timezone else settings.timezone
    if zone_name is None:
        fail(f"--timezone: unknown timezone {timezone!r}")
    zone = ZoneInfo(zone_name)
    try:
        day = parse_date(written) if written else datetime.now(zone).date()
    except ValueError as error:
        fail(f"--date: {error}")

    def when(option: str, text: str | None) -> datetime | None:
        if text is None:
            return None
        try:
            return parse_timestamp(text, zone)
        except ValueError as error:
            fail(f"--{option}: {error}")

    target = slo_target if slo_target is not None else settings.slo_target
    if not 0 < target < 1:
        fail(f"--slo-target: must be between 0 and 1 (e.g. 0.999), not {target}")
    try:
        postmortem = Postmortem(
            title=title,
            author=author,
            reviewers=reviewer or [],
            date=day,
            language=lang or Language(settings.language),
            timezone=zone_name,
            times=Times(
                occurred=when("occurred", occurred),
                detected=when("detected", detected),
                recovered=when("recovered", recovered),
            ),
            impact=Impact(services=service or [], severity=severity),
            slo=Slo(target=target, window_days=settings.slo_window_days),
        )
    except ValueError as error:
        fail(f"invalid value: {error}")
    _write(render_markdown(postmortem), output, force=force)
    if output is not None:
        error_console().print(f"wrote {output}", markup=False)


def _target(value: float | None) -> float | None:
    if value is not None and not 0 < value <= MAX_SLO_TARGET:
        raise typer.BadParameter(f"must be more than 0 and at most {MAX_SLO_TARGET}, e.g. 0.999")
    return value


SloTarget = Annotated[
    float | None,
    typer.Option(callback=_target, help="SLO target where a document states none, e.g. 0.999."),
]


def _metrics(postmortem: Postmortem, slo_target: float | None) -> Metrics:
    """A document's own target wins; --slo-target fills in where it states none."""
    target = postmortem.slo.target if postmortem.slo.target is not None else slo_target
    return compute_metrics(postmortem, slo_target=target)


@app.command()
def parse(
    file: Annotated[Path, typer.Argument(help="A postmortem (Markdown or JSON).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the model and metrics as JSON.")
    ] = False,
    slo_target: SloTarget = None,
) -> None:
    """Read a postmortem and print what hansei understood."""
    result = _load(file)
    pm = result.postmortem
    figures = _metrics(pm, slo_target)
    if as_json:
        typer.echo(dump_json(_document_json(pm, figures)))
        return
    console = stdout_console()
    heading = Text(pm.title or "(no title)", style="bold")
    heading.append(f"  {pm.status.value}  {pm.language.value}", style="")
    console.print(heading)
    console.print(
        f"timeline rows: {len(pm.timeline)}, whys: {len(pm.rca.whys)}, "
        f"action items: {len(pm.action_items)}, reviews: {len(pm.reviews)}",
        markup=False,
    )
    console.print(metrics_table([(str(file), pm.title or "", figures)]))


@app.command()
def render(
    file: Annotated[Path, typer.Argument(help="A postmortem (Markdown or JSON).")],
    lang: Annotated[Language | None, typer.Option(help="Language to render in.")] = None,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", help="Output format.")
    ] = OutputFormat.md,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write to FILE.")] = None,
) -> None:
    """Render a postmortem as Markdown (the template's layout), JSON or HTML."""
    result = _load(file)
    pm = result.postmortem
    if lang is not None:
        pm = pm.model_copy(update={"language": lang})
    if output_format == OutputFormat.json:
        text = dump_json(_document_json(pm)) + "\n"
    elif output_format == OutputFormat.html:
        from hansei.markdown.html import render_html

        text = render_html(pm)
    else:
        text = render_markdown(pm)
    _write(text, output)


@app.command()
def metrics(
    files: Annotated[list[Path], typer.Argument(help="Postmortems (Markdown or JSON).")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON, one object per file.")
    ] = False,
    slo_target: SloTarget = None,
) -> None:
    """Print TTD … TTF, downtime, availability and error budget for each postmortem.

    A file that cannot be read is reported and the others are still shown;
    the exit status is then 2.
    """
    rows = []
    failed = False
    for file in files:
        try:
            result = load_document(file, command_settings().document_limits())
        except DocumentError as error:
            error_console().print(str(error), markup=False)
            failed = True
            continue
        print_diagnostics(str(file), result.diagnostics)
        pm = result.postmortem
        rows.append((str(file), pm.title or "", _metrics(pm, slo_target)))
    if as_json:
        typer.echo(
            dump_json(
                [
                    {"file": source, "title": title, "metrics": figures.model_dump()}
                    for source, title, figures in rows
                ]
            )
        )
    elif rows:
        stdout_console().print(metrics_table(rows))
    if failed:
        raise typer.Exit(2)


app.command()(lint)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the postmortem model."""
    typer.echo(dump_json(Postmortem.model_json_schema()))


app.add_typer(store_commands.db_app, name="db")
app.add_typer(user_commands.user_app, name="user")
app.add_typer(review_commands.review_app, name="review")
app.command("serve")(serve_command)
app.add_typer(actions_app, name="actions")
app.command("remind")(remind_command)
app.command("import")(store_commands.import_files)
app.command("export")(store_commands.export_files)
app.command("search")(store_commands.search_command)
app.command("show")(store_commands.show)
app.command("history")(store_commands.history_command)
app.command("diff")(store_commands.diff_command)
app.command("restore")(store_commands.restore_command)
app.command("update")(store_commands.update_command)


def main() -> None:
    """Entry point: a HanseiError that escaped a command is printed, exit status 2."""
    try:
        app()
    except HanseiError as error:
        error_console().print(str(error), markup=False)
        raise SystemExit(2) from None
