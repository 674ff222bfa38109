"""`hansei actions`: the action items of every stored postmortem, to follow them up."""

from __future__ import annotations

import csv
import io
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.table import Table

from hansei.cli.database import DbOption, open_store
from hansei.cli.output import dump_json, stdout_console
from hansei.cli.settings import command_settings
from hansei.model import ActionStatus, Horizon
from hansei.services.following import FollowUp, follow_ups, team_today
from hansei.services.searching import ActionFilters

_COLUMNS = (
    "postmortem", "title", "number", "horizon", "task", "owner", "due", "status", "overdue",
    "outside_horizon", "status_changed_by", "status_changed_at",
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
                row["task"] or "",
                f"{row['postmortem'][:8]} {row['title'] or ''}",
            )
        stdout_console().print(table)
