from __future__ import annotations

from hansei.model.access import Role
from tests.conftest import EXAMPLES
from tests.web.site import Site

WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"


def _create_from_markdown(site: Site) -> str:
    with site.api(Role.author) as api:
        created = api.post(
            "/api/v1/postmortems",
            content=WALK.read_bytes(),
            headers={"Content-Type": "text/markdown"},
        )
    assert created.status_code == 201, created.text
    assert created.headers["ETag"] == '"1"'
    identifier: str = created.json()["id"]
    assert created.headers["Location"] == f"/api/v1/postmortems/{identifier}"
    return identifier


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
