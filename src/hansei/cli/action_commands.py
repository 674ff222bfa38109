"""`hansei actions`: the action items of every stored postmortem, to follow them up."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from hansei.cli.database import DbOption, UserOption, open_store, saving_user
from hansei.cli.output import dump_json, error_console, fail, stdout_console
from hansei.cli.settings import command_settings
from hansei.config import Settings
from hansei.errors import UsageError
from hansei.model import ActionStatus, Horizon, issue_label
from hansei.services.following import FollowUp, Grouping, follow_ups, grouped, team_today

if TYPE_CHECKING:
    from hansei.services import issue_export
    from hansei.services.searching import ActionItemRecord

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
    group_by: Annotated[
        Grouping | None,
        typer.Option("--group-by", help="A table per horizon, owner or service (--format table)."),
    ] = None,
    db: DbOption = None,
) -> None:
    """Action items across all postmortems, soonest due first: overdue and out-of-horizon
    items marked, with who last moved each one's status."""
    if context.invoked_subcommand is not None:
        return
    from hansei.services.searching import ActionFilters

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
        groups = grouped(database, found, group_by) if group_by else [("", found)]
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
        console = stdout_console()
        for name, members in groups:
            if name:
                console.print(f"\n{name} ({len(members)})", style="bold", markup=False)
            console.print(_table([_row(follow_up) for follow_up in members]))


def _table(rows: list[dict[str, Any]]) -> Table:
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
    return table


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
        int | None, typer.Option("--limit", min=1, help="Open at most this many issues.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what a run would do; open and write nothing.")
    ] = False,
    db: DbOption = None,
    user: UserOption = None,
) -> None:
    """Open a GitHub issue for each open action item that has none, and write the issue's
    URL into the item (a new revision). An item never gets a second issue: an item that
    lost its link gets the same one back.

    The token comes from HANSEI_GITHUB_TOKEN, else GITHUB_TOKEN; GitHub Enterprise Server
    is reached through HANSEI_GITHUB_API_URL (https://HOST/api/v3). Issue bodies link to
    the postmortem at HANSEI_BASE_URL.
    """
    from hansei.integrations.github import GitHubIssues, checked_repository
    from hansei.services import issue_export
    from hansei.services.searching import ActionFilters

    settings = command_settings()
    try:
        repository = checked_repository(github)
    except UsageError as error:
        fail(f"hansei: {error}", 2)
    filters = ActionFilters(
        owner=owner, horizon=horizon.value if horizon else None, service=service
    )
    with open_store(db) as database:
        items = issue_export.items_to_export(database, filters)
        if dry_run:
            _print_plan(issue_export.plan(database, items), repository, limit)
            return
        token, token_name = _github_token(settings)
        if settings.base_url == Settings.model_fields["base_url"].default:
            error_console().print(
                f"hansei: issues will link to {settings.base_url}: set HANSEI_BASE_URL to where "
                "your team reaches hansei",
                markup=False,
            )
        try:
            tracker = GitHubIssues(token, api_url=settings.github_api_url, token_name=token_name)
        except UsageError as error:
            fail(f"hansei: {error}", 2)
        try:
            report = issue_export.export_issues(
                database,
                items,
                repository=repository,
                tracker=tracker,
                user=saving_user(user),
                base_url=settings.base_url,
                labels=label or [],
                limit=limit,
                on_linked=lambda how, exported: typer.echo(
                    f"{how} {exported.issue_url}  {_described(exported.item)}"
                ),
            )
        finally:
            tracker.close()
    _print_report(report, repository)


def _github_token(settings: Settings) -> tuple[str, str]:
    if settings.github_token and settings.github_token.get_secret_value():
        return settings.github_token.get_secret_value(), "HANSEI_GITHUB_TOKEN"
    token = os.environ.get("GITHUB_TOKEN")
    if not token:
        fail("hansei: no GitHub token: set HANSEI_GITHUB_TOKEN or GITHUB_TOKEN", 2)
    return token, "GITHUB_TOKEN"


def _counted(count: int, thing: str) -> str:
    return f"{count} {thing}" if count == 1 else f"{count} {thing}s"


def _described(item: ActionItemRecord) -> str:
    number = f"item {item.number}" if item.number is not None else "item"
    return f"{item.postmortem_id[:8]} {number}: {item.task} ({item.owner or 'no owner'})"


def _after_run(claim: issue_export.EarlierClaim) -> str:
    from hansei.services import issue_export

    return f"{claim.claimed_at + issue_export.RUN_OVER_AFTER:%Y-%m-%d %H:%M} UTC"


def _print_plan(planned: list[issue_export.Planned], repository: str, limit: int | None) -> None:
    now = dt.datetime.now(dt.UTC)
    opening = beyond = 0
    for step in planned:
        action, claim = step.action(now), step.claim
        if step.unreadable is not None:
            error_console().print(
                f"hansei: {_described(step.item)}: {step.unreadable}", markup=False
            )
            continue
        if action in ("open", "look for"):
            if limit is not None and opening >= limit:
                beyond += 1
                continue
            opening += 1
        if action == "open":
            typer.echo(f"would open: {_described(step.item)}")
        elif action == "link again" and claim is not None:
            typer.echo(f"would link again {claim.issue_url}: {_described(step.item)}")
        elif action == "look for" and claim is not None:
            typer.echo(
                f"would look for the issue a run began at "
                f"{claim.first_claimed_at:%Y-%m-%d %H:%M} UTC in {' '.join(claim.repositories)}, "
                f"and open one if there is none: {_described(step.item)}"
            )
        elif claim is not None:
            typer.echo(
                f"in progress: {_described(step.item)}: claimed by {claim.claimed_by} at "
                f"{claim.claimed_at:%H:%M} UTC"
            )
    typer.echo(
        f"{_counted(opening, 'issue')} would be opened in {repository}"
        + (f", {beyond} more beyond --limit" if beyond else "")
    )
    if any(step.unreadable is not None for step in planned):
        raise typer.Exit(1)


def _print_report(report: issue_export.ExportReport, repository: str) -> None:
    from hansei.services import issue_export

    for item, claim in report.in_progress:
        typer.echo(
            f"in progress: {_described(item)}: claimed by {claim.claimed_by} at "
            f"{claim.claimed_at:%H:%M} UTC; if that run is over, the next run from "
            f"{_after_run(claim)} looks for its issue on GitHub"
        )
    errors = error_console()
    for exported in report.changed_meanwhile:
        errors.print(
            f"hansei: opened {exported.issue_url}, but {_described(exported.item)} was edited "
            "meanwhile: put the link in the item by hand",
            markup=False,
        )
    for exported in report.taken_over:
        errors.print(
            f"hansei: opened {exported.issue_url} for {_described(exported.item)} after another "
            "run took the item over: check GitHub for a second issue",
            markup=False,
        )
    for item, reason in report.uncertain:
        errors.print(
            f"hansei: {_described(item)}: GitHub did not say whether it opened the issue "
            f"({reason}); a run in {issue_export.RUN_OVER_AFTER.seconds // 60} minutes or "
            "later looks for it before opening another",
            markup=False,
        )
    for item, reason in report.not_looked_for:
        errors.print(
            f"hansei: {_described(item)}: an earlier run may have opened its issue, and it "
            f"could not be looked for ({reason}); nothing was opened: a run in "
            f"{issue_export.RUN_OVER_AFTER.seconds // 60} minutes or later looks again, or "
            "write the issue's URL (or a ticket key) in the item's Issue cell",
            markup=False,
        )
    for item, reason in report.refused:
        errors.print(f"hansei: {_described(item)}: {reason}", markup=False)
    typer.echo(
        f"{_counted(len(report.created), 'issue')} opened in {repository}"
        + (f", {len(report.found)} found" if report.found else "")
        + (f", {len(report.linked_again)} linked again" if report.linked_again else "")
        + (f", {len(report.in_progress)} in progress elsewhere" if report.in_progress else "")
        + (f", {_counted(report.not_reached, 'item')} left" if report.not_reached else "")
    )
    if report.stopped:
        fail(f"hansei: stopped: {report.stopped}", 1)
    if report.troubles:
        raise typer.Exit(1)
