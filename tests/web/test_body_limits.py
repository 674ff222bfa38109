"""Request bodies past the limit get a 413 before they are read; nothing is stored."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from hansei.config import Settings
from hansei.model.access import Role
from hansei.services import searching
from tests.conftest import EXAMPLES
from tests.databases import fresh_database
from tests.factories import draft_markdown
from tests.web.site import Site, site_serving

LIMIT = 40_000
WALK = draft_markdown((EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text("utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder: Path = tmp_path_factory.mktemp("limits")
    settings = Settings(max_document_bytes=LIMIT, max_document_lines=400)
    with fresh_database("sqlite", folder) as database, site_serving(database, settings) as site:
        yield site


def stored(site: Site) -> int:
    _, total = searching.list_postmortems(site.database, limit=1)
    return total


def over_limit() -> bytes:
    padding = "\n## 雑記\n\n" + ("長い記録の行です。" * 10 + "\n\n") * 200
    body = (WALK + padding).encode("utf-8")
    assert len(body) > LIMIT
    return body


def test_a_body_declared_too_large_is_refused_with_the_limit(site: Site) -> None:
    before = stored(site)
    with site.api(Role.author) as api:
        refused = api.post(
            "/api/v1/postmortems",
            content=over_limit(),
            headers={"Content-Type": "text/markdown"},
        )
    assert refused.status_code == 413
    assert refused.json()["status"] == 413
    assert "limit 40,000 bytes" in refused.json()["message"]
    assert "HANSEI_MAX_DOCUMENT_BYTES" in refused.json()["message"]
    assert stored(site) == before


def test_a_chunked_body_is_counted_as_it_streams_in(site: Site) -> None:
    body = over_limit()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 4096):
            yield body[start : start + 4096]

    before = stored(site)
    with site.api(Role.author) as api:
        refused = api.post(
            "/api/v1/postmortems", content=chunks(), headers={"Content-Type": "text/markdown"}
        )
        assert refused.request.headers.get("transfer-encoding") == "chunked"
        assert refused.status_code == 413
        assert "too large" in refused.json()["message"]
        accepted = api.post(
            "/api/v1/postmortems",
            content=iter([WALK.encode("utf-8")]),
            headers={"Content-Type": "text/markdown"},
        )
        assert accepted.status_code == 201, accepted.text
    assert stored(site) == before + 1


def test_the_answer_comes_before_the_body_is_sent(site: Site) -> None:
    """50 MB announced: the server answers 413 after the headers, reading none of it."""
    address = urlsplit(site.url)
    with socket.create_connection((address.hostname, address.port), timeout=10) as client:
        client.sendall(
            b"POST /api/v1/preview HTTP/1.1\r\nHost: test\r\n"
            + f"Authorization: Bearer {site.tokens[Role.viewer]}\r\n".encode()
            + b"Content-Type: text/markdown\r\nContent-Length: 50000000\r\n\r\n"
            + b"# x\n" * 1000
        )
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.rstrip().endswith(b"}"):
            received = client.recv(65536)
            if not received:
                break
            answer += received
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 413 ")
    assert "50 MB" in json.loads(body)["message"]


def test_preview_is_bounded_too_although_viewers_may_use_it(site: Site) -> None:
    with site.api(Role.viewer) as api:
        refused = api.post(
            "/api/v1/preview", content=over_limit(), headers={"Content-Type": "text/markdown"}
        )
        assert refused.status_code == 413
        fine = api.post(
            "/api/v1/preview", content=WALK.encode(), headers={"Content-Type": "text/markdown"}
        )
        assert fine.status_code == 200, fine.text


def test_json_whose_markdown_would_be_over_a_limit_is_refused(site: Site) -> None:
    """Small as JSON, 500 lines as Markdown: it could not be read back, so it is not kept."""
    before = stored(site)
    document = {"title": "多すぎる", "went_well": [f"項目 {n}" for n in range(500)]}
    with site.api(Role.author) as api:
        refused = api.post("/api/v1/postmortems", json={"postmortem": document})
        assert refused.status_code == 413
        assert "too many lines" in refused.json()["message"]
        assert refused.json()["line"] == 401
        document["went_well"] = document["went_well"][:50]
        assert api.post("/api/v1/postmortems", json={"postmortem": document}).status_code == 201
    assert stored(site) == before + 1


def test_a_form_may_be_three_times_the_limit_then_it_is_refused(site: Site) -> None:
    browser = site.browser(Role.author)
    before = stored(site)
    # 20 KB of UTF-8 and 60 KB percent-encoded: over the document limit as a form, in it
    # as a document.
    summary = "あ" * (LIMIT // 6)
    within = browser.post_form("/postmortems/new", {"title": "フォーム", "summary": summary})
    assert within.status_code == 303, within.text
    refused = browser.post_form("/postmortems/new", {"title": "大きすぎる", "summary": summary * 4})
    assert refused.status_code == 413
    assert "HANSEI_MAX_DOCUMENT_BYTES" in refused.text
    assert stored(site) == before + 1


def test_a_content_type_sent_twice_is_held_to_the_stricter_limit(site: Site) -> None:
    # The form limit (three times the document's) must not apply to a body the app may
    # read as JSON: Starlette reads the first of two headers.
    document = {"title": "二重", "summary": "あ" * (LIMIT // 2)}
    body = json.dumps({"postmortem": document}, ensure_ascii=False).encode("utf-8")
    assert LIMIT < len(body) < 3 * LIMIT
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Type", "application/x-www-form-urlencoded"),
    ]
    before = stored(site)
    with site.api(Role.author) as api:
        refused = api.post("/api/v1/postmortems", content=body, headers=headers)
    assert refused.status_code == 413, refused.text
    # Refused as a body, unread: not read whole and then found too large as a document.
    assert "the request body is too large" in refused.json()["message"]
    assert stored(site) == before


@pytest.fixture(scope="module")
def roomy_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """Limits past the form parser's own (1 MB a field, 1,000 fields)."""
    folder: Path = tmp_path_factory.mktemp("roomy")
    settings = Settings(max_document_bytes=2_000_000, max_document_lines=20_000)
    with fresh_database("sqlite", folder) as database, site_serving(database, settings) as site:
        yield site


def test_one_field_may_be_as_large_as_the_document(roomy_site: Site) -> None:
    browser = roomy_site.browser(Role.author)
    summary = "\n".join(["a" * 99] * 11_000)  # 1.1 MB, lines within the line limit
    saved = browser.post_form("/postmortems/new", {"title": "長い概要", "summary": summary})
    assert saved.status_code == 303, saved.text[:500]
    postmortem_id = saved.headers["location"].rsplit("/", 1)[-1]
    with roomy_site.api(Role.viewer) as api:
        kept = api.get(f"/api/v1/postmortems/{postmortem_id}").json()
    assert kept["postmortem"]["summary"] == summary


def test_an_editor_form_may_hold_more_than_a_thousand_fields(roomy_site: Site) -> None:
    browser = roomy_site.browser(Role.author)
    rows: list[tuple[str, str]] = [("title", "長いタイムライン")]
    for minute in range(400):
        at = f"2025-01-16T{10 + minute // 60:02}:{minute % 60:02}"
        rows += [
            ("timeline.at", at),
            ("timeline.event", f"出来事 {minute}"),
            ("timeline.actor", "@mori"),
            ("timeline.action", "確認"),
        ]
    saved = browser.post_form("/postmortems/new", rows)
    assert saved.status_code == 303, saved.text[:500]
    postmortem_id = saved.headers["location"].rsplit("/", 1)[-1]
    with roomy_site.api(Role.viewer) as api:
        kept = api.get(f"/api/v1/postmortems/{postmortem_id}").json()
    assert len(kept["postmortem"]["timeline"]) == 400
