"""Reminders: each owner's overdue and due-this-week action items, posted to Slack once a
day (the same reminder is not posted twice on one day), or printed."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hansei.config import Settings
from hansei.errors import DeliveryError
from hansei.integrations import slack
from hansei.model.reviews import person
from hansei.services.following import FollowUp, follow_ups, team_today
from hansei.services.searching import ActionFilters
from hansei.store import Database
from hansei.store import reminders as sent

DUE_SOON_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    owner: str
    overdue: list[FollowUp]
    due_soon: list[FollowUp]

    @property
    def digest(self) -> str:
        """What the message shows: the same items, due the same day, in the same group."""
        keys = sorted(
            f"{group}\t{f.item.postmortem_id}\t{f.item.task}\t{f.item.due}"
            f"\t{f.item.postmortem_title}"
            for group, items in (("overdue", self.overdue), ("soon", self.due_soon))
            for f in items
        )
        return hashlib.sha256("\n".join(keys).encode()).hexdigest()


@dataclass
class RemindReport:
    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)


def reminders(database: Database, *, timezone: str, today: dt.date | None = None) -> list[Reminder]:
    """Open items past due or due within a week, per owner (`mori` and `@mori` are one)."""
    day = today or team_today(timezone)
    soon = day + dt.timedelta(days=DUE_SOON_DAYS)
    grouped: dict[str, tuple[str, list[FollowUp], list[FollowUp]]] = {}
    for follow_up in follow_ups(database, ActionFilters(), timezone=timezone, today=day):
        item = follow_up.item
        if not item.owner or item.due is None or item.status == "done" or item.due > soon:
            continue
        owner = item.owner if item.owner.startswith("@") else f"@{item.owner}"
        _, overdue, due_soon = grouped.setdefault(person(item.owner), (owner, [], []))
        (overdue if follow_up.overdue else due_soon).append(follow_up)
    return [
        Reminder(owner=owner, overdue=overdue, due_soon=due_soon)
        for owner, overdue, due_soon in sorted(grouped.values())
    ]


def slack_message(reminder: Reminder, base_url: str, language: str) -> dict[str, Any]:
    japanese = language == "ja"

    def lines(items: list[FollowUp]) -> list[slack.Line]:
        return [
            slack.Line(
                text=f.item.task or "(no task)",
                url=f"{base_url.rstrip('/')}/postmortems/{f.item.postmortem_id}",
                detail=f"{'期限' if japanese else 'due'} {f.item.due} · "
                f"{f.item.postmortem_title or f.item.postmortem_id}",
            )
            for f in items
        ]

    count, late = len(reminder.overdue) + len(reminder.due_soon), len(reminder.overdue)
    if japanese:
        title = f"{reminder.owner} さんのアクションアイテム"
        summary = f"hansei: {title} {count} 件（期限切れ {late} 件）"
        headings = ("期限切れ", "今週が期限")
    else:
        title = f"Action items for {reminder.owner}"
        summary = f"hansei: {count} action items for {reminder.owner} ({late} overdue)"
        headings = ("Overdue", "Due this week")
    return slack.message(
        title,
        summary,
        [(headings[0], lines(reminder.overdue)), (headings[1], lines(reminder.due_soon))],
    )


def send_reminders(
    database: Database,
    settings: Settings,
    *,
    webhook_url: str,
    today: dt.date | None = None,
    post: Callable[[str, dict[str, Any]], None] = slack.post,
) -> RemindReport:
    """Post each owner's reminder unless the same one went out today; a failed post is
    reported, not remembered, so that the next run tries again."""
    day = today or team_today(settings.timezone)
    report = RemindReport()
    for reminder in reminders(database, timezone=settings.timezone, today=day):
        owner, digest = reminder.owner, reminder.digest
        # Claimed before it is posted: of two runs at once, only one posts it.
        with database.transaction() as session:
            now = dt.datetime.now(dt.UTC)
            claimed = sent.claim(session, owner=owner, day=day, digest=digest, now=now)
        if not claimed:
            report.already_sent.append(reminder.owner)
            continue
        try:
            post(webhook_url, slack_message(reminder, settings.base_url, settings.language))
        except DeliveryError as error:
            with database.transaction() as session:
                sent.release(session, owner=owner, day=day, digest=digest)
            report.failed.append((reminder.owner, str(error)))
            continue
        report.sent.append(reminder.owner)
    return report
