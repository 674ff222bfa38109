"""`hansei remind`: each owner's overdue and due-this-week action items, to Slack or printed."""

from __future__ import annotations

from typing import Annotated

import typer

from hansei.cli.database import DbOption, open_store
from hansei.cli.output import error_console, fail
from hansei.cli.settings import command_settings


def remind_command(
    webhook: Annotated[
        str | None,
        typer.Option(
            "--webhook", help="Slack incoming webhook URL (default: HANSEI_SLACK_WEBHOOK_URL)."
        ),
    ] = None,
    print_only: Annotated[
        bool, typer.Option("--print", help="Print the reminders instead of posting them.")
    ] = False,
    db: DbOption = None,
) -> None:
    """Remind owners of overdue and due-this-week action items (for cron or a CronJob).

    Each owner gets one Slack message with links back to the web app (HANSEI_BASE_URL);
    the same reminder is not posted twice on one day. Without a webhook it prints them.
    """
    from hansei.services import reminding

    settings = command_settings()
    url = webhook or settings.slack_webhook_url
    with open_store(db) as database:
        if print_only or not url:
            for reminder in reminding.reminders(database, timezone=settings.timezone):
                typer.echo(f"{reminder.owner}:")
                for label, items in (("overdue", reminder.overdue), ("due", reminder.due_soon)):
                    for follow_up in items:
                        item = follow_up.item
                        typer.echo(
                            f"  {label} {item.due}  {item.task}  "
                            f"{settings.base_url.rstrip('/')}/postmortems/{item.postmortem_id}"
                        )
            return
        report = reminding.send_reminders(database, settings, webhook_url=url)
    typer.echo(
        f"sent to {len(report.sent)} ({', '.join(report.sent) or 'nobody'}); "
        f"already sent today to {len(report.already_sent)}"
    )
    for owner, reason in report.failed:
        error_console().print(f"hansei: {owner}: {reason}", markup=False, highlight=False)
    if report.failed:
        fail(f"hansei: {len(report.failed)} reminders not sent; the next run tries again", 1)
