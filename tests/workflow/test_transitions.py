"""Every review step, allowed and refused, for every kind of person taking it."""

from __future__ import annotations

import datetime as dt

import pytest

from hansei.errors import TransitionError
from hansei.model import ActionStatus, Postmortem, ReviewStatus, Status
from hansei.workflow import (
    Actor,
    ReviewAction,
    Step,
    changes_allowed_when_final,
    check_edit,
    take_step,
)
from tests.factories import postmortem

DAY = dt.date(2025, 3, 4)
AUTHOR = Actor("mori", may_review=False, is_admin=False)
AUTHOR_WHO_REVIEWS = Actor("mori", may_review=True, is_admin=False)
REVIEWER = Actor("sato", may_review=True, is_admin=False)
WRITER = Actor("ito", may_review=False, is_admin=False)
ADMIN = Actor("root", may_review=True, is_admin=True)


def _document(status: Status = Status.draft) -> Postmortem:
    return postmortem(
        title="t",
        author="@mori",
        status=status,
        action_items=[{"horizon": "immediate", "task": "fix", "status": "todo"}],
    )


def _step(action: ReviewAction, actor: Actor, **extra: object) -> Step:
    return Step(action=action, actor=actor, day=DAY, **extra)  # type: ignore[arg-type]


def test_the_whole_way_writes_the_review_history() -> None:
    document = _document()
    asked = take_step(
        document,
        _step(ReviewAction.request_review, AUTHOR, reviewers=["sato", "@suzuki"]),
    )
    assert (asked.status, asked.reviewers) == (Status.review, ["@sato", "@suzuki"])
    changes = take_step(
        asked, _step(ReviewAction.request_changes, REVIEWER, comment="5 Whys are thin")
    )
    assert changes.status == Status.draft
    again = take_step(changes, _step(ReviewAction.request_review, AUTHOR))
    assert again.reviewers == ["@sato", "@suzuki"]
    final = take_step(again, _step(ReviewAction.approve, REVIEWER, comment="LGTM"))
    reopened = take_step(final, _step(ReviewAction.reopen, AUTHOR, comment="new facts"))
    assert reopened.status == Status.review
    assert [(r.reviewer, r.status, r.comment, r.date) for r in reopened.reviews] == [
        ("@mori", ReviewStatus.review, None, DAY),
        ("@sato", ReviewStatus.changes_requested, "5 Whys are thin", DAY),
        ("@mori", ReviewStatus.review, None, DAY),
        ("@sato", ReviewStatus.approved, "LGTM", DAY),
        ("@mori", ReviewStatus.review, "new facts", DAY),
    ]
    assert final.status == Status.final


# (action, status it starts from, actor, extra fields, the reason's words), refused.
REFUSED = [
    (ReviewAction.request_review, Status.review, AUTHOR, {"reviewers": ["sato"]}, "in draft"),
    (ReviewAction.request_review, Status.final, AUTHOR, {"reviewers": ["sato"]}, "in draft"),
    (ReviewAction.request_review, Status.draft, AUTHOR, {}, "at least one reviewer"),
    (ReviewAction.request_review, Status.draft, AUTHOR, {"reviewers": ["@Mori"]}, "other than"),
    (ReviewAction.approve, Status.draft, REVIEWER, {}, "in review"),
    (ReviewAction.approve, Status.final, REVIEWER, {}, "in review"),
    (ReviewAction.approve, Status.review, WRITER, {}, "may not review"),
    (ReviewAction.approve, Status.review, AUTHOR, {}, "may not review"),
    (ReviewAction.approve, Status.review, AUTHOR_WHO_REVIEWS, {}, "own postmortem"),
    (ReviewAction.request_changes, Status.review, WRITER, {"comment": "x"}, "may not review"),
    (ReviewAction.request_changes, Status.review, REVIEWER, {}, "comment is needed"),
    (ReviewAction.request_changes, Status.draft, REVIEWER, {"comment": "x"}, "in review"),
    (ReviewAction.reopen, Status.review, ADMIN, {"comment": "x"}, "in final"),
    (ReviewAction.reopen, Status.final, REVIEWER, {"comment": "x"}, "author or an admin"),
    (ReviewAction.reopen, Status.final, WRITER, {"comment": "x"}, "author or an admin"),
    (ReviewAction.reopen, Status.final, AUTHOR, {}, "comment is needed"),
]


@pytest.mark.parametrize(("action", "status", "actor", "extra", "reason"), REFUSED)
def test_a_refused_step_says_why_and_changes_nothing(
    action: ReviewAction, status: Status, actor: Actor, extra: dict[str, object], reason: str
) -> None:
    document = _document(status)
    with pytest.raises(TransitionError, match=reason):
        take_step(document, _step(action, actor, **extra))
    assert document == _document(status)


@pytest.mark.parametrize(
    ("action", "status", "actor", "extra"),
    [
        (ReviewAction.approve, Status.review, ADMIN, {}),
        (ReviewAction.request_changes, Status.review, AUTHOR_WHO_REVIEWS, {"comment": "oops"}),
        (ReviewAction.reopen, Status.final, ADMIN, {"comment": "audit"}),
    ],
)
def test_allowed_steps_for_other_people(
    action: ReviewAction, status: Status, actor: Actor, extra: dict[str, object]
) -> None:
    moved = take_step(_document(status), _step(action, actor, **extra))
    assert moved.status != status


def test_a_final_document_takes_only_action_item_status_and_issue_changes() -> None:
    final = _document(Status.final)
    done = final.model_copy(
        update={
            "action_items": [final.action_items[0].model_copy(update={"status": ActionStatus.done})]
        }
    )
    assert changes_allowed_when_final(final, done)
    tracked = final.action_items[0].model_copy(
        update={"issue_url": "https://github.com/acme/api/issues/7"}
    )
    assert changes_allowed_when_final(final, final.model_copy(update={"action_items": [tracked]}))
    assert not changes_allowed_when_final(final, final.model_copy(update={"title": "other"}))
    more = final.model_copy(update={"action_items": [*final.action_items, *final.action_items]})
    assert not changes_allowed_when_final(final, more)
    retitled = final.action_items[0].model_copy(update={"task": "something else"})
    assert not changes_allowed_when_final(
        final, final.model_copy(update={"action_items": [retitled]})
    )


def test_only_a_named_reviewer_or_an_admin_approves() -> None:
    asked = take_step(_document(), _step(ReviewAction.request_review, AUTHOR, reviewers=["sato"]))
    other = Actor("kato", may_review=True, is_admin=False)
    with pytest.raises(TransitionError, match="kato is not among the reviewers asked"):
        take_step(asked, _step(ReviewAction.approve, other))
    assert take_step(asked, _step(ReviewAction.approve, REVIEWER)).status == Status.final


def test_the_author_and_reviewers_stay_while_in_review_or_final() -> None:
    asked = take_step(_document(), _step(ReviewAction.request_review, AUTHOR, reviewers=["sato"]))
    for changed in (
        asked.model_copy(update={"author": "@someone-else"}),
        asked.model_copy(update={"reviewers": ["@mori-friend"]}),
    ):
        with pytest.raises(TransitionError, match="stay as they were asked"):
            check_edit(asked, changed)
    draft = _document()
    check_edit(draft, draft.model_copy(update={"author": "@someone-else"}))
