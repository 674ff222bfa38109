"""`hansei actions`: the action items of every stored postmortem, to follow them up."""

from __future__ import annotations

import csv
import io
import os
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from hansei.cli.database import DbOption, UserOption, open_store, saving_user
from hansei.cli.output import dump_json, error_console, fail, stdout_console
from hansei.cli.settings import command_settings
from hansei.errors import UsageError
from hansei.integrations.github import GitHubIssues, checked_repository
from hansei.model import ActionStatus, Horizon, issue_label
from hansei.services import issue_export
from hansei.services.following import FollowUp, follow_ups, team_today
from hansei.services.searching import ActionFilters, ActionItemRecord

_COLUMNS = (
    "postmortem", "title", "number", "horizon", "task", "owner", "due", "status", "overdue",
    "outside_horizon", "status_changed_by", "status_changed_at", "issue_url",
)  # fmt: skip


class ActionsFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


def _row(follow_up: FollowUp) -> dict[str, Any]:
    item, change = follow_up.item, follow_up.last_change
    return {
        "postmortem": item.postmortem_id,
        "title": item.postmortem_title,
        "number": item.number,
        "horizon": item.horizon,
        "task": item.task,
        "owner": item.owner,
        "due": item.due.isoformat() if item.due else None,
        "status": item.status,
        "overdue": follow_up.overdue,
        "outside_horizon": follow_up.outside_horizon,
        "status_changed_by": change.changed_by if change else None,
        "status_changed_at": change.changed_at.isoformat() if change else None,
        "issue_url": item.issue_url,
    }


actions_app = typer.Typer(
    help="Action items across all postmortems: follow them up.", invoke_without_command=True
)


@actions_app.callback()
def actions_command(
    context: typer.Context,
    owner: Annotated[str | None, typer.Option("--owner", help="`tanaka` or `@tanaka`.")] = None,
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only items past due (today, HANSEI_TIMEZONE).")
    ] = False,
    status: Annotated[ActionStatus | None, typer.Option("--status")] = None,
    horizon: Annotated[Horizon | None, typer.Option("--horizon")] = None,
    service: Annotated[str | None, typer.Option("--service")] = None,
    output: Annotated[ActionsFormat, typer.Option("--format")] = ActionsFormat.table,
    db: DbOption = None,
) -> None:
    """Action items across all postmortems, soonest due first: overdue and out-of-horizon
    items marked, with who last moved each one's status."""
    if context.invoked_subcommand is not None:
        return
    settings = command_settings()
    filters = ActionFilters(
        owner=owner,
        status=status.value if status else None,
        horizon=horizon.value if horizon else None,
        service=service,
        overdue_on=team_today(settings.timezone) if overdue else None,
    )
    with open_store(db) as database:
        found = follow_ups(database, filters, timezone=settings.timezone)
    rows = [_row(follow_up) for follow_up in found]
    if output == ActionsFormat.json:
        typer.echo(dump_json(rows))
    elif output == ActionsFormat.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        typer.echo(buffer.getvalue(), nl=False)
    else:
        table = Table("due", "status", "owner", "task", "postmortem", box=None)
        for row in rows:
            marks = ("  overdue" if row["overdue"] else "") + (
                "  outside its horizon" if row["outside_horizon"] else ""
            )
            table.add_row(
                (row["due"] or "-") + marks,
                row["status"] or "",
                row["owner"] or "",
                (row["task"] or "")
                + (f"  ({issue_label(row['issue_url'])})" if row["issue_url"] else ""),
                f"{row['postmortem'][:8]} {row['title'] or ''}",
            )
        stdout_console().print(table)


@actions_app.command("export")
def export_command(
    github: Annotated[
        str,
        typer.Option("--github", metavar="OWNER/REPO", help="The repository to open issues in."),
    ],
    owner: Annotated[str | None, typer.Option("--owner", help="Only this owner's items.")] = None,
    horizon: Annotated[Horizon | None, typer.Option("--horizon")] = None,
    service: Annotated[str | None, typer.Option("--service")] = None,
    label: Annotated[
        list[str] | None,
        typer.Option("--label", metavar="LABEL", help="A label for every issue (repeatable)."),
    ] = None,
    limit: Annotated[
        int | None, typer.Option("--limit", min=1, help="Create at most this many issues.")
    ] = None,
    retry_unconfirmed: Annotated[
        bool,
        typer.Option(
            "--retry-unconfirmed",
            help="Open issues for items an earlier run began and never confirmed (check "
            "first that GitHub has none for them).",
        ),
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="List the items that would get an issue; create none.")
    ] = False,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Open a GitHub issue for each open action item that has none, and write the issue's
    URL into the item (a new revision). An item is never given a second issue.

    The token comes from HANSEI_GITHUB_TOKEN, else GITHUB_TOKEN; GitHub Enterprise
    Server is reached through HANSEI_GITHUB_API_URL (https://HOST/api/v3).
    """
    settings = command_settings()
    try:
        repository = checked_repository(github)
    except UsageError as error:
        fail(f"hansei: {error}", 2)
    filters = ActionFilters(
        owner=owner, horizon=horizon.value if horizon else None, service=service
    )
    with open_store(db) as database:
        items = issue_export.items_to_export(database, filters)[:limit]
        if dry_run:
            for item in items:
                typer.echo(f"would open: {_described(item)}")
            typer.echo(f"{len(items)} issues would be opened in {repository}")
            return
        token = settings.github_token.get_secret_value() if settings.github_token else None
        token = token or os.environ.get("GITHUB_TOKEN")
        if not token:
            fail("hansei: no GitHub token: set HANSEI_GITHUB_TOKEN or GITHUB_TOKEN", 2)
        issues = GitHubIssues(token, api_url=settings.github_api_url)
        try:
            report = issue_export.export_issues(
                database,
                items,
                repository=repository,
                create=lambda repo, issue: issues.create(repo, issue).html_url,
                issue=lambda item: issue_export.issue_for(
                    item, base_url=settings.base_url, language=settings.language, labels=label or []
                ),
                user=saving_user(user),
                retry_unconfirmed_after=issue_export.RUN_OVER_AFTER if retry_unconfirmed else None,
            )
        finally:
            issues.close()
    _print_report(report, repository)


def _described(item: ActionItemRecord) -> str:
    number = f"#{item.number} " if item.number is not None else ""
    return f"{item.postmortem_id[:8]} {number}{item.task} ({item.owner or 'no owner'})"


def _print_report(report: issue_export.ExportReport, repository: str) -> None:
    for exported in report.created:
        typer.echo(f"opened {exported.issue_url}  {_described(exported.item)}")
    for exported in report.linked_again:
        typer.echo(f"linked {exported.issue_url}  {_described(exported.item)} (opened earlier)")
    errors = error_console()
    for exported in report.changed_meanwhile:
        errors.print(
            f"hansei: opened {exported.issue_url}, but {_described(exported.item)} was edited "
            "meanwhile: add the link to the item by hand",
            markup=False,
        )
    for item, claim in report.unconfirmed:
        errors.print(
            f"hansei: {_described(item)}: {claim.claimed_by} began opening its issue in "
            f"{claim.repository} at {claim.claimed_at:%Y-%m-%d %H:%M} UTC and has not "
            "confirmed it: if that run is over and the issue exists, put its URL in the item; "
            "if it does not exist, run again with --retry-unconfirmed",
            markup=False,
        )
    for item, reason in report.refused:
        errors.print(f"hansei: {_described(item)}: {reason}", markup=False)
    typer.echo(
        f"{len(report.created)} issues opened in {repository}, "
        f"{len(report.linked_again)} linked from earlier runs"
    )
    if report.stopped:
        fail(f"hansei: stopped, {report.not_reached} items left: {report.stopped}", 1)
    if report.refused or report.unconfirmed or report.changed_meanwhile:
        raise typer.Exit(1)
