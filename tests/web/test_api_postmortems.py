from __future__ import annotations

from hansei.model.access import Role
from hansei.web.api.schemas import PostmortemPage, PostmortemSummaryRead
from tests.conftest import EXAMPLES
from tests.factories import draft_markdown
from tests.web.site import Site, post_markdown

WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"


def _create_from_markdown(site: Site) -> str:
    """The example as a draft: these tests edit it, and a Final document takes no edits."""
    return post_markdown(site, draft_markdown(WALK.read_text(encoding="utf-8")))


def test_a_created_postmortem_is_located_and_tagged_with_its_revision(site: Site) -> None:
    with site.api(Role.author) as api:
        created = api.post(
            "/api/v1/postmortems",
            content=WALK.read_bytes(),
            headers={"Content-Type": "text/markdown"},
        )
    assert created.status_code == 201, created.text
    assert created.json()["outcome"] == "created"
    assert created.headers["ETag"] == '"1"'
    assert created.headers["Location"] == f"/api/v1/postmortems/{created.json()['id']}"


def test_markdown_in_json_and_markdown_out(site: Site) -> None:
    identifier = _create_from_markdown(site)
    with site.api(Role.viewer) as api:
        read = api.get(f"/api/v1/postmortems/{identifier}")
        assert read.status_code == 200
        body = read.json()
        assert body["postmortem"]["title"].startswith("Walk API")
        assert body["metrics"]["ttr_minutes"] == 30
        markdown = api.get(f"/api/v1/postmortems/{identifier}", params={"format": "md"})
        assert markdown.headers["content-type"].startswith("text/markdown")
        assert markdown.text.startswith(f"<!-- hansei-id: {identifier} revision: 1 -->\n# ")
        html = api.get(f"/api/v1/postmortems/{identifier}", params={"format": "html"})
        assert "<h1>" in html.text
        assert "Walk API" in html.text


def test_an_update_from_an_old_revision_is_a_409_and_nothing_is_lost(site: Site) -> None:
    identifier = _create_from_markdown(site)
    with site.api(Role.author) as api:
        current = api.get(f"/api/v1/postmortems/{identifier}").json()
        first = dict(current["postmortem"], summary="First change.")
        second = dict(current["postmortem"], summary="Second change, from the same revision.")
        saved = api.put(
            f"/api/v1/postmortems/{identifier}",
            json={"base_revision": 1, "postmortem": first},
        )
        assert saved.status_code == 200, saved.text
        assert saved.json()["revision"] == 2
        refused = api.put(
            f"/api/v1/postmortems/{identifier}",
            json={"base_revision": 1, "postmortem": second},
        )
        assert refused.status_code == 409
        assert "revision 2" in refused.json()["message"]
        revisions = api.get(f"/api/v1/postmortems/{identifier}/revisions").json()
        kinds = sorted((r["number"], r["kind"]) for r in revisions)
        assert kinds == [(1, "save"), (2, "save"), (3, "conflict")]
        kept = api.get(f"/api/v1/postmortems/{identifier}", params={"revision": 3}).json()
        assert kept["postmortem"]["summary"] == "Second change, from the same revision."


def test_a_wrong_field_is_named_in_the_error(site: Site) -> None:
    with site.api(Role.author) as api:
        refused = api.post(
            "/api/v1/postmortems",
            json={"postmortem": {"title": "x", "times": {"detected": "yesterday-ish"}}},
        )
    assert refused.status_code == 422
    body = refused.json()
    assert body["field"] == "postmortem.times.detected"
    assert "datetime" in body["message"]


def test_markdown_out_edited_and_posted_back_is_the_next_revision(site: Site) -> None:
    identifier = _create_from_markdown(site)
    with site.api(Role.author) as api:
        exported = api.get(f"/api/v1/postmortems/{identifier}", params={"format": "md"}).text
        edited = exported.replace("約3,200ユーザー", "約3,300ユーザー")
        assert edited != exported
        markdown = {"Content-Type": "text/markdown"}
        saved = api.post(f"/api/v1/postmortems/{identifier}", content=edited, headers=markdown)
        assert saved.status_code == 200, saved.text
        assert saved.json()["revision"] == 2
        stored = api.get(f"/api/v1/postmortems/{identifier}").json()["postmortem"]
        assert stored["impact"]["users_affected"].startswith("約3,300ユーザー")
        # The same export edited again still says revision 1: someone saved since.
        stale = exported.replace("約3,200ユーザー", "約3,400ユーザー")
        refused = api.put(f"/api/v1/postmortems/{identifier}", content=stale, headers=markdown)
        assert refused.status_code == 409
        bare = stale.split("\n", 1)[1]
        assert not bare.startswith("<!--")
        unknown = api.put(f"/api/v1/postmortems/{identifier}", content=bare, headers=markdown)
        assert unknown.status_code == 428
        assert "revision" in unknown.json()["message"]
        guarded = api.put(
            f"/api/v1/postmortems/{identifier}",
            content=bare,
            headers={**markdown, "If-Match": '"2"'},
        )
        assert guarded.status_code == 200, guarded.text
        assert guarded.headers["ETag"] == f'"{guarded.json()["revision"]}"'


def test_a_file_that_is_no_postmortem_is_refused_with_its_line(site: Site) -> None:
    with site.api(Role.author) as api:
        refused = api.post(
            "/api/v1/postmortems",
            content=b"# Shopping\n\n- milk\n- eggs\n",
            headers={"Content-Type": "text/markdown"},
        )
    assert refused.status_code == 422
    assert refused.json()["line"] == 1
    assert "not a postmortem" in refused.json()["message"]


def test_the_list_answers_in_its_documented_shape_and_names_a_wrong_filter(site: Site) -> None:
    identifier = _create_from_markdown(site)
    with site.api(Role.viewer) as api:
        listed = api.get("/api/v1/postmortems", params={"service": "Walk API", "limit": 200})
        assert listed.status_code == 200
        page = PostmortemPage.model_validate(listed.json())
        assert set(listed.json()["items"][0]) == set(PostmortemSummaryRead.model_fields)
        assert identifier in [item.id for item in page.items]
        assert page.total == len(page.items)
        assert all(item.services == ["Walk API"] for item in page.items)
        wrong = api.get("/api/v1/postmortems", params={"severity": "catastrophic"})
        assert wrong.status_code == 422
        assert wrong.json()["field"] == "severity"
        typo = api.get("/api/v1/postmortems", params={"servce": "Walk API"})
        assert typo.status_code == 422
        assert typo.json()["field"] == "servce"


def test_a_json_update_names_its_base_in_the_body_or_if_match(site: Site) -> None:
    identifier = _create_from_markdown(site)
    with site.api(Role.author) as api:
        current = api.get(f"/api/v1/postmortems/{identifier}").json()["postmortem"]
        changed = {"postmortem": dict(current, summary="Changed without a base.")}
        unknown = api.put(f"/api/v1/postmortems/{identifier}", json=changed)
        assert unknown.status_code == 428
        guarded = api.put(
            f"/api/v1/postmortems/{identifier}", json=changed, headers={"If-Match": '"1"'}
        )
        assert guarded.status_code == 200, guarded.text
        stale = api.put(
            f"/api/v1/postmortems/{identifier}",
            json={"postmortem": dict(current, summary="Again from 1."), "base_revision": 1},
        )
        assert stale.status_code == 409


def test_lint_lines_point_into_the_markdown_download(site: Site) -> None:
    markdown = WALK.read_text(encoding="utf-8").replace(
        "**ダウンタイム**: 35分", "**ダウンタイム**: 50分"
    )
    with site.api(Role.author) as api:
        created = api.post(
            "/api/v1/postmortems",
            content=markdown.encode(),
            headers={"Content-Type": "text/markdown"},
        )
        identifier = created.json()["id"]
        findings = api.get(f"/api/v1/postmortems/{identifier}/lint").json()
        download = api.get(f"/api/v1/postmortems/{identifier}", params={"format": "md"}).text
    (mismatch,) = [f for f in findings if f["code"] == "downtime-mismatch"]
    assert "ダウンタイム" in download.split("\n")[mismatch["line"] - 1]


def test_a_browser_form_sent_to_the_api_is_refused_cleanly(site: Site) -> None:
    browser = site.browser(Role.author)
    sent = browser.post_form("/api/v1/postmortems", {"title": "from a form"})
    assert sent.status_code == 422
    assert sent.headers["content-type"].startswith("application/json")


def test_a_conflict_says_which_revisions_to_compare(site: Site) -> None:
    identifier = _create_from_markdown(site)
    with site.api(Role.author) as api:
        current = api.get(f"/api/v1/postmortems/{identifier}").json()["postmortem"]
        for summary in ("One.", "Two."):
            answer = api.put(
                f"/api/v1/postmortems/{identifier}",
                json={"base_revision": 1, "postmortem": dict(current, summary=summary)},
            )
    assert answer.status_code == 409
    assert (answer.json()["current_revision"], answer.json()["kept_revision"]) == (2, 3)
