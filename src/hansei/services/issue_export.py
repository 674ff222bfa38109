"""Open action items as GitHub issues: one issue per item, its URL written back into the
item, and never a second issue for the same item.

Each item is claimed in the store before its issue is created, so two runs at once
cannot both create it; the URL is kept with the claim and written into the postmortem
in one transaction. Should a run end without knowing whether GitHub created the issue
(a timeout, a 5xx, a crash), its claim stays unconfirmed: once that run is surely over,
the next run looks for the issue by the marker in its body before opening one.

An item that loses its link (re-imported from a file without it, or cleared by hand)
gets the same link back: hansei remembers every issue it opened.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy.orm import Session

from hansei.errors import UnreadableDocumentError
from hansei.integrations import github_text
from hansei.integrations.github import GitHubError, NewIssue
from hansei.markdown.vocabulary import ACTION_STATUS_WORDS, LABELS
from hansei.model import ActionItem, ActionStatus, Postmortem
from hansei.store import Database
from hansei.store import issue_exports as exports
from hansei.store import repository as postmortems
from hansei.store.issue_exports import Claim, ClaimedItem, EarlierClaim
from hansei.store.queries import ActionFilters, ActionItemRecord, action_items

RUN_OVER_AFTER = dt.timedelta(minutes=10)
"""An unconfirmed claim this old belongs to a run that is over: a run waits at most 30 s
for each part of GitHub's answer. (One suspended longer finds its claim taken over and
says so.)"""
LOOK_BACK = dt.timedelta(minutes=1)
"""How long before a claim its issue may have been created (clocks differ)."""


class IssueTracker(Protocol):
    def create(self, repository: str, issue: NewIssue) -> str:
        """Create the issue; its URL."""
        ...

    def find(self, repository: str, line: str, *, since: dt.datetime) -> str | None:
        """The URL of an issue updated since `since` whose body's last line is `line`."""
        ...


def item_key(items: Sequence[ActionItem], index: int) -> str:
    """An item as its postmortem knows it: horizon, number and task, and which of the
    items alike it is (two unnumbered "update the runbook" items are two items)."""
    item = items[index]
    alike = (item.horizon, item.number, item.task)
    occurrence = sum((o.horizon, o.number, o.task) == alike for o in items[:index])
    text = f"{item.horizon.value}\t{item.number}\t{item.task}\t{occurrence}"
    return hashlib.sha256(text.encode()).hexdigest()


def marker(postmortem_id: str, key: str) -> str:
    """The last line of an issue's body, by which hansei finds the issue again: no other
    line can be taken for it, and what people wrote never makes a line of its own."""
    return f"<!-- hansei: postmortem {postmortem_id} action {key} -->"


def exportable(item: ActionItem) -> bool:
    """Open (not done), with a task to name the issue, and no issue yet."""
    return item.status != ActionStatus.done and bool(item.task) and item.issue_url is None


def items_to_export(database: Database, filters: ActionFilters) -> list[ActionItemRecord]:
    """The open items without an issue that `filters` select, soonest due first."""
    with database.reading() as session:
        return [
            item
            for item in action_items(session, filters)
            if item.status != ActionStatus.done and item.task and item.issue_url is None
        ]


def issue_for(
    postmortem: Postmortem,
    postmortem_id: str,
    index: int,
    *,
    base_url: str,
    labels: list[str],
    marker_key: str | None = None,
) -> NewIssue:
    """The issue of an item: its task as the title; the postmortem (linked), task,
    horizon, owner, due date and status in the body, in the postmortem's language, and
    the marker as its last line. What people wrote is shown as code: GitHub shows it as
    written and finds no mention, reference, link or HTML in it (see github_text)."""
    item = postmortem.action_items[index]
    assert item.task is not None
    words = LABELS[postmortem.language]
    link = f"{base_url.rstrip('/')}/postmortems/{postmortem_id}"
    lead = words["issue_lead"].format(
        title=github_text.code(postmortem.title or postmortem_id),
        link=github_text.destination(link),
        number=f" {item.number}" if item.number is not None else "",
    )
    values = [
        github_text.code(item.task),
        words[f"{item.horizon.value}_section"],
        github_text.code(item.owner) if item.owner else "-",
        item.due.isoformat() if item.due else "-",
        ACTION_STATUS_WORDS[item.status] if item.status else "-",
    ]
    rows = [f"| {name} | {github_text.table_cell(value)} |" for name, value in
            zip(words["issue_fields"].split("|"), values, strict=True)]  # fmt: skip
    key = marker_key or item_key(postmortem.action_items, index)
    body = "\n".join([lead, "", "| | |", "|---|---|", *rows, "", marker(postmortem_id, key), ""])
    return NewIssue(title=github_text.title(item.task), body=body, labels=labels)


@dataclass(frozen=True)
class Exported:
    item: ActionItemRecord
    issue_url: str


@dataclass
class ExportReport:
    created: list[Exported] = field(default_factory=list)
    found: list[Exported] = field(default_factory=list)
    """Opened by a run that ended without confirming it, found on GitHub by its marker."""
    linked_again: list[Exported] = field(default_factory=list)
    """Opened earlier; the item had lost its link, and has it back."""
    in_progress: list[tuple[ActionItemRecord, EarlierClaim]] = field(default_factory=list)
    """Claimed by another run lately: that run is at it, or a later run looks for it."""
    uncertain: list[tuple[ActionItemRecord, str]] = field(default_factory=list)
    """GitHub gave no clear answer to a create: the issue may exist; a later run looks."""
    not_looked_for: list[tuple[ActionItemRecord, str]] = field(default_factory=list)
    """The issue an earlier run may have opened could not be looked for: nothing opened."""
    changed_meanwhile: list[Exported] = field(default_factory=list)
    """Opened, but the item was edited meanwhile: the URL could not be written into it."""
    taken_over: list[Exported] = field(default_factory=list)
    """Opened after another run had taken the claim over: there may be two issues."""
    refused: list[tuple[ActionItemRecord, str]] = field(default_factory=list)
    stopped: str | None = None
    """Why the run stopped early (the token, the repository, a limit, no answer)."""
    not_reached: int = 0

    @property
    def troubles(self) -> bool:
        """Whether anything needs a person: what is in progress elsewhere does not."""
        return bool(
            self.stopped
            or self.uncertain
            or self.not_looked_for
            or self.changed_meanwhile
            or self.taken_over
            or self.refused
        )


@dataclass(frozen=True)
class _Claimed:
    held: Claim
    issue: NewIssue
    item: ActionItem
    """The item as it was when claimed."""
    index: int
    key: str
    """The item's own key then (the claim's may be older: the item was retitled)."""


def export_issues(
    database: Database,
    items: list[ActionItemRecord],
    *,
    repository: str,
    tracker: IssueTracker,
    user: str,
    base_url: str,
    labels: Sequence[str] = (),
    limit: int | None = None,
    pause_seconds: float = 1.0,
    on_linked: Callable[[str, Exported], None] | None = None,
) -> ExportReport:
    """Open the issues of `items` one after another, at most `limit` of them, with a pause
    between writes as GitHub asks; stop at the first refusal that would refuse the rest
    too, and at the first request GitHub leaves unanswered. `on_linked` hears of each item
    linked ("opened", "found", "linked again") as it happens."""
    report = ExportReport()

    def linked(how: str, into: list[Exported], exported: Exported) -> None:
        into.append(exported)
        if on_linked is not None:
            on_linked(how, exported)

    writes = 0
    for position, record in enumerate(items):
        opened = len(report.created) + len(report.changed_meanwhile) + len(report.taken_over)
        if limit is not None and opened >= limit:
            report.not_reached = len(items) - position
            break
        try:
            step = _claim(database, record, repository, user, base_url, list(labels))
        except UnreadableDocumentError as error:
            report.refused.append((record, str(error)))
            continue
        if step is None:
            continue
        if isinstance(step, EarlierClaim):
            report.in_progress.append((record, step))
            continue
        if isinstance(step, Exported):
            linked("linked again", report.linked_again, step)
            continue
        url, where = None, repository
        if step.held.taken_over is not None:
            try:
                url, where = _look_for(tracker, step.held, repository)
            except GitHubError as error:
                report.not_looked_for.append((record, str(error)))
                if error.about_repository:
                    continue  # this item's search alone cannot be done
                report.stopped = str(error)
                report.not_reached = len(items) - position - 1
                break
        found = url is not None
        if url is None:
            if writes and pause_seconds:
                time.sleep(pause_seconds)
            writes += 1
            try:
                url = tracker.create(repository, step.issue)
            except GitHubError as error:
                if error.may_exist:
                    report.uncertain.append((record, str(error)))
                else:
                    with database.transaction() as session:
                        exports.release(session, step.held)
                    if error.per_item:
                        report.refused.append((record, str(error)))
                        continue
                report.stopped = str(error)
                report.not_reached = len(items) - position - 1
                break
        exported = Exported(record, url)
        outcome = _confirm(database, step, url, where, user)
        if outcome == "taken over":
            report.taken_over.append(exported)
        elif outcome == "changed":
            report.changed_meanwhile.append(exported)
        elif found:
            linked("found", report.found, exported)
        else:
            linked("opened", report.created, exported)
    return report


def _look_for(tracker: IssueTracker, held: Claim, repository: str) -> tuple[str | None, str]:
    """The issue the runs before may have opened: in every repository they asked, and in
    this run's, since the item was first claimed."""
    assert held.taken_over is not None
    line = marker(held.postmortem_id, held.item_key)
    since = held.taken_over.first_claimed_at - LOOK_BACK
    for where in dict.fromkeys([*held.taken_over.repositories, repository]):
        url = tracker.find(where, line, since=since)
        if url is not None:
            return url, where
    return None, repository


def _claimed_item(items: Sequence[ActionItem], index: int) -> ClaimedItem:
    item = items[index]
    return ClaimedItem(item_key(items, index), item.horizon.value, item.number, item.task or "")


def _claim_key(claims: list[EarlierClaim], items: Sequence[ActionItem], index: int) -> str:
    """The key to claim the item under: its own, unless a claim whose item is gone was
    this item before it was retitled or renumbered: same horizon, and the same task, or
    the same number while that claim's issue is in doubt and no item has its task. A
    claim whose issue another item links to is that item's."""
    key = item_key(items, index)
    if any(claim.item.key == key for claim in claims):
        return key
    current = {item_key(items, i) for i in range(len(items))}
    linked = {other.issue_url for other in items if other.issue_url}
    item = items[index]
    horizon = item.horizon.value
    tasks = {other.task for other in items if other.horizon == item.horizon}
    for claim in claims:
        if claim.item.key in current or claim.item.horizon != horizon:
            continue
        if claim.issue_url in linked:
            continue
        in_doubt = claim.issue_url is None and claim.item.number is not None
        renumbered = claim.item.task == item.task
        retitled = in_doubt and claim.item.number == item.number and claim.item.task not in tasks
        if renumbered or retitled:
            return claim.item.key
    return key


def _claims_following_links(
    session: Session, postmortem_id: str, items: Sequence[ActionItem]
) -> list[EarlierClaim]:
    """The postmortem's claims, each confirmed one moved to the item that holds its link
    (an item retitled or renumbered since keeps its issue, and the claim goes with it)."""
    claims = exports.claims_of(session, postmortem_id)
    moved = False
    for claim in claims:
        holder = next(
            (
                i
                for i, item in enumerate(items)
                if claim.issue_url and item.issue_url == claim.issue_url
            ),
            None,
        )
        if holder is not None and item_key(items, holder) != claim.item.key:
            exports.rekey(session, postmortem_id, claim.item.key, _claimed_item(items, holder))
            moved = True
    return exports.claims_of(session, postmortem_id) if moved else claims


def _claim(
    database: Database,
    record: ActionItemRecord,
    repository: str,
    user: str,
    base_url: str,
    labels: list[str],
) -> _Claimed | EarlierClaim | Exported | None:
    """Claim the item as the postmortem holds it now: None when it is gone, done or has
    an issue by now; the claim that holds it; or the link of an issue opened earlier,
    written back."""
    with database.transaction() as session:
        stored = postmortems.get(session, record.postmortem_id, for_update=True)
        items = stored.postmortem.action_items
        index = _locate(items, record)
        if index is None or not exportable(items[index]):
            return None
        own = _claimed_item(items, index)
        claim_key = _claim_key(_claims_following_links(session, stored.id, items), items, index)
        issue = issue_for(
            stored.postmortem, stored.id, index, base_url=base_url, labels=labels,
            marker_key=claim_key,
        )  # fmt: skip
        now = dt.datetime.now(dt.UTC)
        held = exports.claim(
            session,
            postmortem_id=stored.id,
            item=ClaimedItem(claim_key, own.horizon, own.number, own.task),
            repository=repository,
            user=user,
            now=now,
            take_over_before=now - RUN_OVER_AFTER,
        )
        if isinstance(held, Claim):
            return _Claimed(held, issue, items[index], index, own.key)
        if held.issue_url is None:
            return held
        _write_link(session, stored, index, held.issue_url, user)
        if claim_key != own.key:
            exports.rekey(session, stored.id, claim_key, own)
        return Exported(record, held.issue_url)


def _locate(items: Sequence[ActionItem], record: ActionItemRecord) -> int | None:
    """The listed item in the document as it is now: where it stood if it is still the
    same there, else the first one alike."""
    alike = (record.horizon, record.number, record.task)

    def same(item: ActionItem) -> bool:
        return (item.horizon.value, item.number, item.task) == alike

    if record.position < len(items) and same(items[record.position]):
        return record.position
    return next((index for index, item in enumerate(items) if same(item)), None)


def _confirm(database: Database, claimed: _Claimed, url: str, where: str, user: str) -> str:
    """Keep the URL with the claim and write it into the item: "written", "changed" (the
    item is not there as it was), or "taken over" (another run holds the claim now)."""
    held = claimed.held
    with database.transaction() as session:
        # The postmortem first, as a claim locks it: runs never wait on each other in turn.
        stored = postmortems.get(session, held.postmortem_id, for_update=True)
        if not exports.confirm(session, held, url, where):
            return "taken over"
        items = stored.postmortem.action_items
        index = next((i for i in range(len(items)) if item_key(items, i) == claimed.key), None)
        then = claimed.item
        if index is None:
            # Renumbered while its issue was opened: the same horizon and task, unlinked.
            index = next(
                (i for i, now in enumerate(items)
                 if (now.horizon, now.task) == (then.horizon, then.task) and not now.issue_url),
                None,
            )  # fmt: skip
        if index is None and then.number is not None and claimed.index < len(items):
            # Retitled while its issue was opened: the same place, horizon and number.
            now = items[claimed.index]
            if now.issue_url is None and (now.horizon, now.number) == (then.horizon, then.number):
                index = claimed.index
        if index is None or items[index].issue_url not in (None, url):
            return "changed"
        if items[index].issue_url is None:
            _write_link(session, stored, index, url, user)
        own = _claimed_item(items, index)
        if own.key != held.item_key:
            exports.rekey(session, held.postmortem_id, held.item_key, own)
        return "written"


def _write_link(
    session: Session, stored: postmortems.StoredPostmortem, index: int, url: str, user: str
) -> None:
    items = list(stored.postmortem.action_items)
    # Validated, not copied: a URL the item cannot hold would leave the postmortem unreadable.
    items[index] = ActionItem.model_validate({**items[index].model_dump(), "issue_url": url})
    postmortems.update(
        session,
        stored.id,
        stored.postmortem.model_copy(update={"action_items": items}),
        user=user,
        base_revision=stored.revision,
        kind="issue",
        note=f"issue {url}",
    )


@dataclass(frozen=True)
class Planned:
    item: ActionItemRecord
    claim: EarlierClaim | None
    """What holds the item already, if anything."""
    unreadable: str | None = None
    """Why the postmortem holding the item cannot be read, when it cannot."""

    def action(self, now: dt.datetime) -> str:
        """What a run now would do: "open", "link again", "in progress" (another run
        holds it), "look for" (an earlier run may have opened it: look, then open), or
        "cannot read" (its postmortem is unreadable: the run reports it and goes on)."""
        if self.unreadable is not None:
            return "cannot read"
        if self.claim is None:
            return "open"
        if self.claim.issue_url is not None:
            return "link again"
        return "in progress" if self.claim.claimed_at >= now - RUN_OVER_AFTER else "look for"


def plan(database: Database, items: list[ActionItemRecord]) -> list[Planned]:
    """What a run would do with each item, for --dry-run: the claims that hold them."""
    planned = []
    with database.reading() as session:
        claims: dict[str, list[EarlierClaim]] = {}
        documents: dict[str, Postmortem | UnreadableDocumentError] = {}
        for record in items:
            pid = record.postmortem_id
            if pid not in documents:
                try:
                    documents[pid] = postmortems.get(session, pid).postmortem
                except UnreadableDocumentError as error:
                    documents[pid] = error
                claims[pid] = exports.claims_of(session, pid)
            document = documents[pid]
            if isinstance(document, UnreadableDocumentError):
                planned.append(Planned(record, None, unreadable=str(document)))
                continue
            actions = document.action_items
            index = _locate(actions, record)
            if index is None:
                continue
            key = _claim_key(claims[pid], actions, index)
            held = next((claim for claim in claims[pid] if claim.item.key == key), None)
            planned.append(Planned(record, held))
    return planned


__all__ = [
    "LOOK_BACK",
    "RUN_OVER_AFTER",
    "EarlierClaim",
    "ExportReport",
    "Exported",
    "IssueTracker",
    "Planned",
    "export_issues",
    "exportable",
    "issue_for",
    "item_key",
    "items_to_export",
    "marker",
    "plan",
]
