"""Open action items as GitHub issues: one issue per item, its URL written back into the
item, and never a second issue for the same item.

Each item is claimed in the store before its issue is created, so two runs at once
cannot both create it; the URL is kept with the claim and written into the postmortem
in one transaction. A run that died between GitHub's answer and that transaction leaves
a claim without a URL: such items are reported, not created again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from hansei.integrations.github import GitHubError, NewIssue
from hansei.markdown.vocabulary import ACTION_STATUS_WORDS, LABELS
from hansei.model import ActionStatus, Language
from hansei.store import Database
from hansei.store import issue_exports as exports
from hansei.store import repository as repo
from hansei.store.queries import ActionFilters, ActionItemRecord, action_items

RUN_OVER_AFTER = dt.timedelta(minutes=10)
"""An unconfirmed claim this old belongs to a run that has ended: a run waits at most
30 s for each of GitHub's answers."""

CreateIssue = Callable[[str, NewIssue], str]
"""Creates the issue in the repository and answers its URL (GitHubIssues.create)."""


def item_key(item: ActionItemRecord) -> str:
    """An item as its postmortem knows it: by number and task, as status changes are."""
    return hashlib.sha256(f"{item.number}\t{item.task}".encode()).hexdigest()


def exportable(item: ActionItemRecord) -> bool:
    """Open (not done), with a task to name the issue, and no issue yet."""
    return item.status != ActionStatus.done and bool(item.task) and item.issue_url is None


@dataclass(frozen=True)
class Exported:
    item: ActionItemRecord
    issue_url: str


@dataclass
class ExportReport:
    created: list[Exported] = field(default_factory=list)
    linked_again: list[Exported] = field(default_factory=list)
    """Created by an earlier run whose URL had not reached the item: written back now."""
    unconfirmed: list[tuple[ActionItemRecord, exports.EarlierClaim]] = field(default_factory=list)
    changed_meanwhile: list[Exported] = field(default_factory=list)
    """Created, but the item was edited meanwhile: the URL could not be written into it."""
    refused: list[tuple[ActionItemRecord, str]] = field(default_factory=list)
    stopped: str | None = None
    """Why the run stopped early (the token, the repository, a rate limit)."""
    not_reached: int = 0


def items_to_export(database: Database, filters: ActionFilters) -> list[ActionItemRecord]:
    with database.reading() as session:
        return [item for item in action_items(session, filters) if exportable(item)]


def issue_for(
    item: ActionItemRecord, *, base_url: str, language: str, labels: list[str]
) -> NewIssue:
    """The issue: the task as its title; the postmortem, horizon, owner and due date in its
    body. The owner is written as code so that a name is not taken for a GitHub mention."""
    assert item.task is not None
    words = LABELS[Language(language)]
    link = f"{base_url.rstrip('/')}/postmortems/{item.postmortem_id}"
    title = item.postmortem_title or item.postmortem_id
    japanese = language == Language.ja
    rows = [
        (
            "対応期間" if japanese else "Horizon",
            words[f"{item.horizon}_section"] if item.horizon else "-",
        ),
        ("担当者" if japanese else "Owner", f"`{item.owner}`" if item.owner else "-"),
        ("期限" if japanese else "Due", item.due.isoformat() if item.due else "-"),
        (
            "ステータス" if japanese else "Status",
            ACTION_STATUS_WORDS[ActionStatus(item.status)] if item.status else "-",
        ),
    ]
    number = f" {item.number}" if item.number is not None else ""
    lead = (
        f"ポストモーテム [{_escaped(title)}]({link}) のアクションアイテム{number}。"
        if japanese
        else f"Action item{number} of the postmortem [{_escaped(title)}]({link})."
    )
    table = "\n".join(["| | |", "|---|---|", *(f"| {k} | {_escaped(v)} |" for k, v in rows)])
    marker = f"<!-- hansei: postmortem {item.postmortem_id} action {item_key(item)} -->"
    return NewIssue(title=item.task, body=f"{lead}\n\n{table}\n\n{marker}\n", labels=labels)


def _escaped(text: str) -> str:
    return text.replace("|", "\\|").replace("[", "\\[").replace("]", "\\]")


def export_issues(
    database: Database,
    items: list[ActionItemRecord],
    *,
    repository: str,
    create: CreateIssue,
    issue: Callable[[ActionItemRecord], NewIssue],
    user: str,
    pause_seconds: float = 1.0,
    retry_unconfirmed_after: dt.timedelta | None = None,
) -> ExportReport:
    """Create the issues of `items` one after another (GitHub asks for a pause between
    writes), stopping at the first refusal that would refuse the rest too.

    An item whose issue an earlier run began and never confirmed is left alone, unless
    `retry_unconfirmed_after` says that run is long over (someone checked that GitHub
    has no such issue)."""
    report = ExportReport()
    created_any = False
    for position, item in enumerate(items):
        key = item_key(item)
        now = dt.datetime.now(dt.UTC)
        with database.transaction() as session:
            earlier = exports.claim(
                session,
                postmortem_id=item.postmortem_id,
                item_key=key,
                repository=repository,
                user=user,
                now=now,
                take_over_before=now - retry_unconfirmed_after
                if retry_unconfirmed_after is not None
                else None,
            )
            if earlier is not None and earlier.issue_url is not None:
                written = _write_back(session, item, earlier.issue_url, user)
                (report.linked_again if written else report.changed_meanwhile).append(
                    Exported(item, earlier.issue_url)
                )
                continue
        if earlier is not None:
            report.unconfirmed.append((item, earlier))
            continue
        if created_any and pause_seconds:
            time.sleep(pause_seconds)
        try:
            url = create(repository, issue(item))
        except GitHubError as error:
            with database.transaction() as session:
                exports.release(session, postmortem_id=item.postmortem_id, item_key=key)
            if error.per_item:
                report.refused.append((item, str(error)))
                continue
            report.stopped = str(error)
            report.not_reached = len(items) - position
            break
        created_any = True
        with database.transaction() as session:
            exports.confirm(session, postmortem_id=item.postmortem_id, item_key=key, issue_url=url)
            written = _write_back(session, item, url, user)
        (report.created if written else report.changed_meanwhile).append(Exported(item, url))
    return report


def _write_back(session: Session, item: ActionItemRecord, url: str, user: str) -> bool:
    """The URL into the item, as a new revision; False when the item is no longer there
    as it was (edited, removed, or given an issue by hand)."""
    stored = repo.get(session, item.postmortem_id, for_update=True)
    items = list(stored.postmortem.action_items)
    for index, candidate in enumerate(items):
        if (candidate.number, candidate.task) == (item.number, item.task):
            if candidate.issue_url is not None:
                return candidate.issue_url == url
            items[index] = candidate.model_copy(update={"issue_url": url})
            repo.update(
                session,
                item.postmortem_id,
                stored.postmortem.model_copy(update={"action_items": items}),
                user=user,
                base_revision=stored.revision,
                kind="issue",
                note=f"issue {url}",
            )
            return True
    return False


__all__ = [
    "RUN_OVER_AFTER",
    "CreateIssue",
    "ExportReport",
    "Exported",
    "export_issues",
    "exportable",
    "issue_for",
    "item_key",
    "items_to_export",
]
