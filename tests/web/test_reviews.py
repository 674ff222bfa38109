"""Review steps through the API and the pages: every role against every step and state."""

from __future__ import annotations

import re

import pytest

from hansei.model import Postmortem, ReviewStatus, Status
from hansei.model.access import Role
from hansei.services import history, saving
from hansei.services.documents import load_document
from tests.conftest import EXAMPLES
from tests.web.site import Site, user_name

WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"


def _stored(site: Site, status: Status, author: Role = Role.author) -> str:
    """The example (lint-clean), written by the user of `author`'s role, in `status`."""
    document = load_document(WALK).postmortem.model_copy(
        update={
            "status": status,
            "author": f"@{user_name(author)}",
            "reviewers": [f"@{user_name(Role.reviewer)}"],
        }
    )
    return saving.create_postmortem(site.database, document, user="t").postmortem_id


def _document(site: Site, postmortem_id: str) -> Postmortem:
    return history.get_postmortem(site.database, postmortem_id).postmortem


STEP_FIELDS = {
    "request_review": {},
    "approve": {"comment": "LGTM"},
    "request_changes": {"comment": "one more why"},
    "reopen": {"comment": "new facts"},
}
# step, starting status, (viewer, author, reviewer, admin): 403 the role may not, 409 the
# workflow refuses (state, author, reason), 200 taken. The author role's user wrote it.
MATRIX = [
    ("request_review", Status.draft, (403, 200, 200, 200)),
    ("request_review", Status.review, (403, 409, 409, 409)),
    ("request_review", Status.final, (403, 409, 409, 409)),
    ("approve", Status.draft, (403, 403, 409, 409)),
    ("approve", Status.review, (403, 403, 200, 200)),
    ("approve", Status.final, (403, 403, 409, 409)),
    ("request_changes", Status.draft, (403, 403, 409, 409)),
    ("request_changes", Status.review, (403, 403, 200, 200)),
    ("request_changes", Status.final, (403, 403, 409, 409)),
    ("reopen", Status.draft, (403, 409, 409, 409)),
    ("reopen", Status.review, (403, 409, 409, 409)),
    ("reopen", Status.final, (403, 200, 409, 200)),
]
ROLES = (Role.viewer, Role.author, Role.reviewer, Role.admin)
CASES = [
    (step, status, role, expected)
    for step, status, answers in MATRIX
    for role, expected in zip(ROLES, answers, strict=True)
]


@pytest.mark.parametrize(("step", "status", "role", "expected"), CASES)
def test_every_step_for_every_role_in_every_state(
    site: Site, step: str, status: Status, role: Role, expected: int
) -> None:
    postmortem_id = _stored(site, status)
    before = _document(site, postmortem_id)
    with site.api(role) as api:
        answer = api.post(
            f"/api/v1/postmortems/{postmortem_id}/review",
            json={"action": step, "base_revision": 1, **STEP_FIELDS[step]},
        )
    assert answer.status_code == expected, answer.text
    after = _document(site, postmortem_id)
    if expected != 200:
        assert after == before
        return
    assert answer.json()["status"] == after.status.value != status.value
    (entry,) = after.reviews[len(before.reviews) :]
    assert entry.reviewer == f"@{user_name(role)}"
    assert entry.comment == STEP_FIELDS[step].get("comment")


def test_an_author_who_reviews_cannot_approve_their_own(site: Site) -> None:
    postmortem_id = _stored(site, Status.review, author=Role.reviewer)
    with site.api(Role.reviewer) as api:
        answer = api.post(
            f"/api/v1/postmortems/{postmortem_id}/review",
            json={"action": "approve", "base_revision": 1},
        )
    assert answer.status_code == 409
    assert "cannot approve their own" in answer.json()["message"]


def test_an_approval_names_the_revision_it_approves(site: Site) -> None:
    postmortem_id = _stored(site, Status.review)
    document = _document(site, postmortem_id).model_copy(update={"summary": "Changed."})
    saving.update_postmortem(site.database, postmortem_id, document, user="t", base_revision=1)
    with site.api(Role.reviewer) as api:
        url = f"/api/v1/postmortems/{postmortem_id}/review"
        unnamed = api.post(url, json={"action": "approve"})
        stale = api.post(url, json={"action": "approve", "base_revision": 1})
        current = api.post(url, json={"action": "approve", "base_revision": 2})
    assert (unnamed.status_code, stale.status_code, current.status_code) == (428, 409, 200)
    assert _document(site, postmortem_id).status == Status.final


def test_lint_errors_hold_a_review_request_back(site: Site) -> None:
    broken = load_document(WALK).postmortem
    broken = broken.model_copy(
        update={
            "status": Status.draft,
            "times": broken.times.model_copy(update={"recovered": broken.times.detected}),
            "timeline": [],
        }
    )
    postmortem_id = saving.create_postmortem(site.database, broken, user="t").postmortem_id
    with site.api(Role.author) as api:
        answer = api.post(
            f"/api/v1/postmortems/{postmortem_id}/review",
            json={"action": "request_review", "reviewers": ["@reviewer-user"]},
        )
    assert answer.status_code == 409
    assert "lint errors remain" in answer.json()["message"]


def test_a_final_postmortem_takes_only_action_item_status_changes(site: Site) -> None:
    postmortem_id = _stored(site, Status.final)
    document = _document(site, postmortem_id)
    with site.api(Role.author) as api:
        url = f"/api/v1/postmortems/{postmortem_id}"
        retitled = dict(document.to_json_dict(), title="Changed after Final")
        refused = api.put(url, json={"base_revision": 1, "postmortem": retitled})
        items = [dict(item, status="done") for item in document.to_json_dict()["action_items"]]
        done = dict(document.to_json_dict(), action_items=items)
        allowed = api.put(url, json={"base_revision": 1, "postmortem": done})
        moved = api.put(url, json={"base_revision": 2, "postmortem": dict(done, status="draft")})
    assert refused.status_code == 409
    assert "reopen it first" in refused.json()["message"]
    assert allowed.status_code == 200, allowed.text
    assert moved.status_code == 409
    assert "review steps" in moved.json()["message"]


def test_reviewers_see_what_waits_for_them_and_step_from_the_page(site: Site) -> None:
    postmortem_id = _stored(site, Status.draft)
    author = site.browser(Role.author)
    page = author.get(f"/postmortems/{postmortem_id}").text
    assert 'value="request_review"' in page
    assert 'value="approve"' not in page
    asked = author.post_form(
        f"/postmortems/{postmortem_id}/review",
        {"action": "request_review", "base_revision": "1", "reviewers": "@reviewer-user"},
    )
    assert asked.status_code == 303
    reviewer = site.browser(Role.reviewer)
    listed = reviewer.get("/").text
    waiting = listed.split('<section class="waiting"', 1)[1].split("</section>", 1)[0]
    with site.api(Role.reviewer) as api:
        answer = api.get("/api/v1/reviews/waiting", params={"limit": 1000})
    mine = answer.json()
    assert postmortem_id in [item["id"] for item in mine]
    total = int(answer.headers["X-Total-Count"])
    assert total == len(mine)
    assert f"({total})" in waiting
    # The section holds the longest waiting; the list filtered by reviewer holds them all,
    # this one first when the most recently changed come first.
    shown = re.findall(r'href="/postmortems/(\w+)"', waiting)
    assert shown == [item["id"] for item in mine][: len(shown)]
    everything = reviewer.get(
        "/", params={"status": "review", "reviewer": "@Reviewer-User", "sort": "updated"}
    ).text
    table = everything.split('<table class="list">', 1)[1]
    assert re.findall(r'href="/postmortems/(\w+)"', table)[0] == postmortem_id
    assert 'value="approve"' in reviewer.get(f"/postmortems/{postmortem_id}").text
    approved = reviewer.post_form(
        f"/postmortems/{postmortem_id}/review",
        {"action": "approve", "base_revision": "2", "comment": "LGTM"},
    )
    assert approved.status_code == 303
    final = _document(site, postmortem_id)
    assert final.status == Status.final
    assert final.reviews[-1].status == ReviewStatus.approved
    with site.api(Role.reviewer) as api:
        still = api.get("/api/v1/reviews/waiting").json()
    assert postmortem_id not in [item["id"] for item in still]


def test_a_postmortem_sent_as_final_starts_as_a_draft(site: Site) -> None:
    with site.api(Role.author) as api:
        created = api.post(
            "/api/v1/postmortems",
            content=WALK.read_bytes(),
            headers={"Content-Type": "text/markdown"},
        )
    assert created.status_code == 201
    assert "status final → draft: the review steps move it" in created.json()["warnings"]
    assert _document(site, created.json()["id"]).status == Status.draft
