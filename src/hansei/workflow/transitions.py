"""Draft → Review → Final, and back, each step recorded in the review history.

- request_review: draft → review; the author names the reviewers.
- approve: review → final; by someone who may review and is not the author.
- request_changes: review → draft; with a comment saying what to change.
- reopen: final → review; by an admin or the author, with a reason.

Whether the step starts from the current revision (an approval of an older
one does not count) and whether lint errors block it are the caller's to
check: this module knows the document and the people, nothing else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from hansei.errors import TransitionError
from hansei.model import Postmortem, Review, ReviewStatus, Status
from hansei.model.reviews import person


class ReviewAction(StrEnum):
    request_review = "request_review"
    approve = "approve"
    request_changes = "request_changes"
    reopen = "reopen"


@dataclass(frozen=True)
class Actor:
    name: str
    may_review: bool
    is_admin: bool


@dataclass(frozen=True)
class Step:
    action: ReviewAction
    actor: Actor
    day: dt.date
    """The day in the team's timezone, for the review history."""
    comment: str | None = None
    reviewers: list[str] = field(default_factory=list)


_FROM: dict[ReviewAction, Status] = {
    ReviewAction.request_review: Status.draft,
    ReviewAction.approve: Status.review,
    ReviewAction.request_changes: Status.review,
    ReviewAction.reopen: Status.final,
}
_TO: dict[ReviewAction, tuple[Status, ReviewStatus]] = {
    ReviewAction.request_review: (Status.review, ReviewStatus.review),
    ReviewAction.approve: (Status.final, ReviewStatus.approved),
    ReviewAction.request_changes: (Status.draft, ReviewStatus.changes_requested),
    ReviewAction.reopen: (Status.review, ReviewStatus.review),
}


def _handle(name: str) -> str:
    return name if name.startswith("@") else f"@{name}"


def is_author(postmortem: Postmortem, name: str) -> bool:
    return bool(postmortem.author) and person(postmortem.author) == person(name)


def take_step(postmortem: Postmortem, step: Step) -> Postmortem:
    """The document after the step, with its review history entry; TransitionError
    with the reason when the step is not allowed."""
    expected = _FROM[step.action]
    if postmortem.status != expected:
        raise TransitionError(
            f"{step.action.value} needs a postmortem in {expected.value}; "
            f"this one is {postmortem.status.value}"
        )
    comment = (step.comment or "").strip() or None
    reviewers = list(postmortem.reviewers)
    actor = step.actor
    if step.action == ReviewAction.request_review:
        reviewers = list(dict.fromkeys(_handle(r.strip()) for r in step.reviewers if r.strip()))
        reviewers = reviewers or list(postmortem.reviewers)
        if not [r for r in reviewers if not is_author(postmortem, r)]:
            raise TransitionError("name at least one reviewer other than the author")
    elif step.action in (ReviewAction.approve, ReviewAction.request_changes):
        if not actor.may_review:
            raise TransitionError(f"{actor.name} may not review: the role does not allow it")
        if step.action == ReviewAction.approve:
            if is_author(postmortem, actor.name):
                raise TransitionError("the author cannot approve their own postmortem")
            named = {person(reviewer) for reviewer in postmortem.reviewers}
            if not actor.is_admin and person(actor.name) not in named:
                raise TransitionError(
                    f"{actor.name} is not among the reviewers asked ({', '.join(reviewers)})"
                )
        if step.action == ReviewAction.request_changes and comment is None:
            raise TransitionError("say what should change: a comment is needed")
    elif step.action == ReviewAction.reopen:
        if not (actor.is_admin or is_author(postmortem, actor.name)):
            raise TransitionError("only the author or an admin may reopen a Final postmortem")
        if comment is None:
            raise TransitionError("give the reason for reopening: a comment is needed")
    status, recorded = _TO[step.action]
    entry = Review(date=step.day, reviewer=_handle(actor.name), comment=comment, status=recorded)
    return postmortem.model_copy(
        update={
            "status": status,
            "reviewers": reviewers,
            "reviews": [*postmortem.reviews, entry],
        }
    )


def changes_allowed_when_final(stored: Postmortem, changed: Postmortem) -> bool:
    """Whether `changed` differs from a Final `stored` only in action items' status and
    issue links: the follow-up goes on after the document is agreed."""
    if len(stored.action_items) != len(changed.action_items):
        return False
    with_old_status = [
        item.model_copy(update={"status": old.status, "issue_url": old.issue_url})
        for item, old in zip(changed.action_items, stored.action_items, strict=True)
    ]
    return changed.model_copy(update={"action_items": with_old_status}) == stored


def check_edit(stored: Postmortem, changed: Postmortem) -> None:
    """Refuse an edit that does what only review steps may: move the status, write the
    review history, or change a Final document beyond its action items' status."""
    if changed.status != stored.status:
        raise TransitionError(
            "the status moves only by review steps (request review, approve, request "
            "changes, reopen)"
        )
    if changed.reviews != stored.reviews:
        raise TransitionError("the review history is written by the review steps alone")
    asked = (changed.author, changed.reviewers) != (stored.author, stored.reviewers)
    if stored.status != Status.draft and asked:
        raise TransitionError(
            "the author and the reviewers stay as they were asked until the postmortem is "
            "back in draft"
        )
    if stored.status == Status.final and not changes_allowed_when_final(stored, changed):
        raise TransitionError(
            "a Final postmortem is read-only but for its action items' status and issue links: "
            "reopen it first"
        )
