"""Numbers, days and characters at the edges, over HTTP on SQLite and PostgreSQL: what
no postmortem can mean is refused with a 422 naming the field or parameter, nothing is
stored that cannot be read back, and a document stored before the bounds is reported
without stopping anything else."""

from __future__ import annotations

import html
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa

from hansei.model.access import Role
from hansei.store.tables import PostmortemRow, RevisionRow, table_of
from tests.conftest import DATABASE_KINDS, EXAMPLES
from tests.databases import fresh_database
from tests.factories import draft_markdown
from tests.web.site import Site, log_in, post_markdown, site_serving

WALK = draft_markdown((EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text("utf-8"))
BEYOND_INT8 = str(2**64)
BEYOND_INT4 = str(2**31)


@pytest.fixture(scope="module", params=DATABASE_KINDS)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """A server on SQLite and one on PostgreSQL, a user for every role."""
    folder: Path = tmp_path_factory.mktemp("site")
    with fresh_database(request.param, folder) as database, site_serving(database) as site:
        yield site


@pytest.fixture(scope="module")
def walk(site: Site) -> str:
    return post_markdown(site, WALK)


def _query_cases(walk: str) -> list[tuple[str, str, dict[str, str], str]]:
    """(method, path, query, the parameter the refusal names)"""
    one = f"/api/v1/postmortems/{walk}"
    return [
        ("GET", "/api/v1/postmortems", {"offset": BEYOND_INT8}, "offset"),
        ("GET", "/api/v1/postmortems", {"offset": BEYOND_INT4}, "offset"),
        ("GET", "/api/v1/postmortems", {"limit": BEYOND_INT8}, "limit"),
        ("GET", "/api/v1/postmortems", {"since": "0001-01-01"}, "since"),
        ("GET", "/api/v1/postmortems", {"until": "9999-12-31"}, "until"),
        ("GET", "/api/v1/postmortems", {"service": "Walk\x00API"}, "service"),
        ("GET", "/api/v1/postmortems", {"owner": "ksato\x1b"}, "owner"),
        ("GET", "/api/v1/search", {"q": "nil\x00"}, "q"),
        ("GET", "/api/v1/search", {"offset": BEYOND_INT8}, "offset"),
        ("GET", "/api/v1/search", {"since": "1969-12-31"}, "since"),
        ("GET", "/api/v1/action-items", {"owner": "\x00"}, "owner"),
        ("GET", "/api/v1/action-items", {"service": "a\x00b"}, "service"),
        ("GET", "/api/v1/action-items", {"limit": BEYOND_INT8}, "limit"),
        ("GET", one, {"revision": BEYOND_INT8}, "revision"),
        ("GET", one, {"revision": BEYOND_INT4}, "revision"),
        ("GET", f"{one}/diff", {"old": BEYOND_INT8, "new": "1"}, "old"),
        ("GET", f"{one}/diff", {"old": "1", "new": BEYOND_INT4}, "new"),
        ("GET", "/api/v1/postmortems/ab%00cd", {}, "postmortem_id"),
        ("DELETE", f"/api/v1/tokens/{BEYOND_INT8}", {}, "token_id"),
        ("DELETE", f"/api/v1/tokens/{BEYOND_INT4}", {}, "token_id"),
        ("DELETE", "/api/v1/users/a%00b/tokens/1", {}, "name"),
    ]


def test_parameters_past_the_bounds_are_refused_naming_them(site: Site, walk: str) -> None:
    for method, path, query, name in _query_cases(walk):
        with site.api(Role.admin) as api:
            answer = api.request(method, path, params=query)
        assert answer.status_code == 422, (path, query, answer.text)
        assert answer.json()["field"] == name, (path, query, answer.text)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"revision": 2**64}, "revision"),
        ({"revision": 2**31}, "revision"),
    ],
)
def test_a_restore_past_the_revisions_is_refused(
    site: Site, walk: str, body: dict[str, Any], field: str
) -> None:
    with site.api(Role.author) as api:
        answer = api.post(f"/api/v1/postmortems/{walk}/restore", json=body)
    assert answer.status_code == 422, answer.text
    assert answer.json()["field"] == field


@pytest.mark.parametrize("base", [2**64, 2**31])
def test_a_base_revision_past_the_revisions_is_refused(site: Site, walk: str, base: int) -> None:
    with site.api(Role.author) as api:
        current = api.get(f"/api/v1/postmortems/{walk}").json()["postmortem"]
        saved = api.put(
            f"/api/v1/postmortems/{walk}", json={"base_revision": base, "postmortem": current}
        )
        reviewed = api.post(
            f"/api/v1/postmortems/{walk}/review",
            json={"action": "request_review", "base_revision": base},
        )
        matched = api.put(
            f"/api/v1/postmortems/{walk}",
            json={"postmortem": current},
            headers={"If-Match": f'"{base}"'},
        )
    assert (saved.status_code, saved.json()["field"]) == (422, "base_revision")
    assert (reviewed.status_code, reviewed.json()["field"]) == (422, "base_revision")
    assert matched.status_code == 400
    assert "If-Match" in matched.json()["message"]


@pytest.mark.parametrize(
    ("document", "field"),
    [
        ({"impact": {"downtime_minutes": 1e308}}, "postmortem.impact.downtime_minutes"),
        ({"times": {"detected": "0001-01-01T00:00:00+09:00"}}, "postmortem.times.detected"),
        ({"timeline": [{"at": "9999-12-31T23:59:00Z", "event": "x"}]}, "postmortem.timeline[0].at"),
        ({"date": "0001-01-01"}, "postmortem.date"),
        (
            {"action_items": [{"number": 2**64, "horizon": "immediate", "task": "x"}]},
            "postmortem.action_items[0].number",
        ),
        ({"slo": {"window_days": 2**63}}, "postmortem.slo.window_days"),
        ({"title": "NUL\x00inside"}, "postmortem.title"),
        ({"summary": "bell\x07"}, "postmortem.summary"),
    ],
)
def test_a_document_no_postmortem_can_mean_is_refused_and_not_stored(
    site: Site, document: dict[str, Any], field: str
) -> None:
    with site.api(Role.author) as api:
        before = api.get("/api/v1/postmortems").json()["total"]
        created = api.post("/api/v1/postmortems", json={"postmortem": {"title": "t", **document}})
        assert created.status_code == 422, created.text
        assert created.json()["field"] == field
        assert api.get("/api/v1/postmortems").json()["total"] == before


def test_markdown_out_of_bounds_is_stored_without_the_value_and_reads_back(site: Site) -> None:
    text = WALK.replace("| 12:08 | 対応開始 |", "| 0001-01-01 12:08 | 対応開始 |", 1).replace(
        "@ksato | アラート受領", "@ksato\x00 | アラート受領", 1
    )
    with site.api(Role.author) as api:
        created = api.post(
            "/api/v1/postmortems",
            content=text.encode(),
            headers={"Content-Type": "text/markdown"},
        )
        assert created.status_code == 201, created.text
        warnings = created.json()["warnings"]
        assert any("must be between 1970-01-01 and 2200-01-01" in w for w in warnings), warnings
        assert any("control character U+0000 removed" in w for w in warnings), warnings
        identifier = created.json()["id"]
        for suffix, query in [
            ("", {}),
            ("", {"format": "md"}),
            ("", {"format": "html"}),
            ("/metrics", {}),
            ("/lint", {}),
        ]:
            read = api.get(f"/api/v1/postmortems/{identifier}{suffix}", params=query)
            assert read.status_code == 200, (suffix, query, read.text)
    assert site.browser(Role.viewer).get(f"/postmortems/{identifier}").status_code == 200


def test_a_document_stored_before_the_bounds_is_reported_and_the_rest_is_served(
    site: Site,
) -> None:
    older = post_markdown(site, WALK)
    with site.database.transaction() as session:
        document = dict(session.get(PostmortemRow, older).document)  # type: ignore[union-attr]
        document["impact"] = {"downtime_minutes": 1e308}
        session.execute(
            sa.update(table_of(PostmortemRow))
            .where(table_of(PostmortemRow).c.id == older)
            .values(document=document)
        )
        session.execute(
            sa.update(table_of(RevisionRow))
            .where(table_of(RevisionRow).c.postmortem_id == older)
            .values(document=document)
        )
    with site.api(Role.viewer) as api:
        for suffix, query in [("", {}), ("", {"format": "md"}), ("/metrics", {}), ("/lint", {})]:
            read = api.get(f"/api/v1/postmortems/{older}{suffix}", params=query)
            assert read.status_code == 500, read.text
            assert f"postmortem {older} revision 1 cannot be read" in read.json()["message"]
            assert "impact.downtime_minutes" in read.json()["message"]
        listed = api.get("/api/v1/postmortems", params={"limit": 200})
        assert listed.status_code == 200
        assert older in {item["id"] for item in listed.json()["items"]}
        assert api.get("/api/v1/search", params={"q": "nil"}).status_code == 200
        assert api.get("/api/v1/action-items").status_code == 200
    browser = site.browser(Role.viewer)
    page = browser.get(f"/postmortems/{older}")
    assert page.status_code == 500
    assert "cannot be read" in html.unescape(page.text)
    assert browser.get("/").status_code == 200
    assert browser.get("/actions").status_code == 200


@pytest.mark.parametrize(
    ("path", "query", "name"),
    [
        ("/", {"page": BEYOND_INT8}, "page"),
        ("/", {"q": "nil\x00"}, "q"),
        ("/", {"service": "Walk\x00"}, "service"),
        ("/actions", {"owner": "\x00"}, "owner"),
        ("/actions", {"service": "\x07"}, "service"),
        ("history", {"old": BEYOND_INT8}, "old"),
        ("history", {"old": "1", "new": BEYOND_INT4}, "new"),
    ],
)
def test_a_page_asked_for_past_the_bounds_says_which_parameter(
    site: Site, walk: str, path: str, query: dict[str, str], name: str
) -> None:
    target = f"/postmortems/{walk}/history" if path == "history" else path
    page = site.browser(Role.viewer).get(target, params=query)
    assert page.status_code == 422
    assert f"{name}: " in html.unescape(page.text)


def test_forms_past_the_bounds_are_refused_naming_the_field(site: Site, walk: str) -> None:
    browser = site.browser(Role.admin)
    restored = browser.post_form(f"/postmortems/{walk}/restore", {"revision": BEYOND_INT8})
    assert restored.status_code == 422
    assert "revision: " in html.unescape(restored.text)
    reviewed = browser.post_form(
        f"/postmortems/{walk}/review", {"action": "request_review", "base_revision": BEYOND_INT4}
    )
    assert reviewed.status_code == 422
    assert "base_revision: " in html.unescape(reviewed.text)
    labelled = browser.post_form(
        "/account/tokens", {"password": "admin-password", "label": "ci\x00"}
    )
    assert labelled.status_code == 422
    assert "label: " in html.unescape(labelled.text)
    with site.api(Role.admin) as api:
        token = api.post("/api/v1/tokens", json={"label": "ci\x00", "password": "admin-password"})
    assert (token.status_code, token.json()["field"]) == (422, "label")


@pytest.mark.parametrize("name", ["viewer-user\x00", "\x00", "a\x1bb"])
def test_a_sign_in_name_with_a_control_character_is_refused_naming_it(
    site: Site, name: str
) -> None:
    with httpx.Client(base_url=site.url, timeout=30) as client:
        answer = log_in(client, name, "viewer-password")
    assert answer.status_code == 422
    assert "name: " in html.unescape(answer.text)
