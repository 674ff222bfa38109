"""The pages as a browser gets them: what each shows, in which language, after changes."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from hansei.model.access import Role
from hansei.services import saving, searching
from hansei.services.documents import load_document
from hansei.store import listing
from hansei.web.pages import actions as actions_page
from hansei.web.pages import postmortems as postmortems_page
from tests.conftest import EXAMPLES
from tests.factories import as_draft, postmortem
from tests.web.site import Site

WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"


def _stored_example(site: Site) -> str:
    created = saving.create_postmortem(
        site.database, as_draft(load_document(WALK).postmortem), user="t"
    )
    return created.postmortem_id


def _section_with(html: str, heading: str) -> str:
    """The view's section whose heading is `heading`, with its findings beside it."""
    parts = html.split('<section class="doc-section')
    return next(part for part in parts if f">{heading}</h2>" in part)


def test_a_postmortem_shows_what_was_saved_last(site: Site) -> None:
    identifier = _stored_example(site)
    browser = site.browser(Role.viewer)
    before = browser.get(f"/postmortems/{identifier}").text
    assert "リビジョン 1" in before
    with site.api(Role.author) as api:
        current = api.get(f"/api/v1/postmortems/{identifier}").json()
        changed = dict(current["postmortem"], summary="要約を書き直した。")
        api.put(
            f"/api/v1/postmortems/{identifier}",
            json={"base_revision": 1, "postmortem": changed},
        ).raise_for_status()
    after = browser.get(f"/postmortems/{identifier}").text
    assert "リビジョン 2" in after
    assert "要約を書き直した。" in after
    assert "要約を書き直した。" not in before


def test_findings_stand_beside_the_section_they_concern(site: Site) -> None:
    document = postmortem(
        title="Few whys",
        language="en",
        rca={"whys": [{"question": "Why?", "answer": "Because."}]},
    )
    identifier = saving.create_postmortem(site.database, document, user="t").postmortem_id
    page = site.browser(Role.viewer).get(f"/postmortems/{identifier}").text
    assert "too-few-whys" in _section_with(page, "Root Cause Analysis (RCA)")
    assert "too-few-whys" not in _section_with(page, "Timeline")


def test_computed_figures_are_marked(site: Site) -> None:
    identifier = _stored_example(site)
    page = site.browser(Role.viewer).get(f"/postmortems/{identifier}").text
    # TTR 30 minutes and the downtime, in the figures and in the document itself.
    assert '<mark class="computed">30分</mark>' in page
    assert '<strong>ダウンタイム</strong>: <mark class="computed">35分</mark>' in page


def test_the_language_follows_the_user_then_the_browser(site: Site) -> None:
    browser = site.browser(Role.reviewer)
    english = browser.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).text
    assert "<h1>Postmortems</h1>" in english
    japanese = browser.get("/", headers={"Accept-Language": "ja"}).text
    assert "<h1>ポストモーテム一覧</h1>" in japanese
    chosen = browser.post_form("/language", {"language": "en", "next": "/actions"})
    assert chosen.status_code == 303
    assert chosen.headers["location"] == "/actions"
    kept = browser.get("/", headers={"Accept-Language": "ja"}).text
    assert "<h1>Postmortems</h1>" in kept
    browser.post_form("/language", {"language": "ja", "next": "/"})


def test_history_shows_the_change_and_restores_it(site: Site) -> None:
    identifier = _stored_example(site)
    with site.api(Role.author) as api:
        current = api.get(f"/api/v1/postmortems/{identifier}").json()
        changed = dict(current["postmortem"], summary="二度目の要約。")
        api.put(
            f"/api/v1/postmortems/{identifier}",
            json={"base_revision": 1, "postmortem": changed},
        ).raise_for_status()
    browser = site.browser(Role.author)
    history = browser.get(f"/postmortems/{identifier}/history").text
    assert re.search(r'<span class="added">\+[^<]*二度目の要約。', history)
    assert re.search(r'<span class="removed">-', history)
    restored = browser.post_form(f"/postmortems/{identifier}/restore", {"revision": "1"})
    assert restored.status_code == 303
    with site.api(Role.viewer) as api:
        now = api.get(f"/api/v1/postmortems/{identifier}").json()
    assert now["revision"] == 3
    assert now["postmortem"]["summary"] == current["postmortem"]["summary"]


def test_action_items_mark_what_is_overdue_and_outside_its_horizon(site: Site) -> None:
    document = postmortem(
        title="Overdue things",
        times={"detected": "2020-01-10T10:00:00+09:00"},
        action_items=[
            {"horizon": "immediate", "task": "rotate the key", "owner": "@viewer-user",
             "due": "2020-01-12", "status": "todo"},
            {"horizon": "immediate", "task": "write the runbook", "owner": "@someone",
             "due": "2020-03-01", "status": "done",
             "issue_url": "https://github.com/acme/ops/issues/12"},
            {"horizon": "long_term", "task": "tracked in Jira", "issue_url": "OPS-7"},
        ],
    )  # fmt: skip
    saving.create_postmortem(site.database, document, user="t")
    browser = site.browser(Role.viewer)
    mine = browser.get("/actions", params={"mine": "true", "overdue": "true"}).text
    assert "rotate the key" in mine
    assert "write the runbook" not in mine
    assert 'class="badge overdue"' in mine
    everyone = browser.get("/actions").text
    runbook = everyone[everyone.index("write the runbook") :].split("</tr>")[0]
    assert 'class="badge warning"' in runbook
    assert 'class="badge overdue"' not in runbook
    assert '<a href="https://github.com/acme/ops/issues/12">acme/ops#12</a>' in runbook
    by_owner = browser.get("/actions", params={"group": "owner"}).text
    headings = [part.split("</h2>")[0] for part in by_owner.split("<h2>")[1:]]
    assert {"@someone", "@viewer-user"} <= set(headings)
    assert headings == [*sorted(headings[:-1], key=str.casefold), "-"]
    viewer_section = by_owner.split("<h2>@viewer-user</h2>")[1].split("</section>")[0]
    assert "rotate the key" in viewer_section
    assert "write the runbook" not in viewer_section
    assert '<option value="owner" selected>' in by_owner
    jira = everyone[everyone.index("tracked in Jira") :].split("</tr>")[0]
    assert "OPS-7" in jira
    assert "<a href" not in jira.split("</td>")[0]


def test_the_list_filters_sorts_and_searches(site: Site) -> None:
    for title, severity in (("Alpha 接続障害", "low"), ("Beta 遅延", "critical")):
        saving.create_postmortem(
            site.database,
            postmortem(title=title, impact={"severity": severity, "services": ["Pages API"]}),
            user="t",
        )
    browser = site.browser(Role.viewer)
    by_severity = browser.get("/", params={"service": "Pages API", "sort": "severity"}).text
    assert by_severity.index("Beta 遅延") < by_severity.index("Alpha 接続障害")
    low = browser.get("/", params={"service": "Pages API", "severity": "low"}).text
    assert "Alpha 接続障害" in low
    assert "Beta 遅延" not in low
    found = browser.get("/", params={"q": "接続"}).text
    assert "Alpha 接続障害" in found
    assert "Beta 遅延" not in found


def test_times_are_shown_in_the_teams_timezone(site: Site) -> None:
    # 04:09 in Tokyo is still the day before in UTC.
    document = postmortem(title="Early hours", times={"detected": "2025-09-13T04:09:00+09:00"})
    saving.create_postmortem(site.database, document, user="t")
    listed = site.browser(Role.viewer).get("/", params={"q": "Early hours"}).text
    assert ">2025-09-13</time>" in listed
    assert ">2025-09-12</time>" not in listed


def test_action_items_come_a_page_at_a_time_in_due_order(site: Site) -> None:
    per_page = actions_page.PAGE_SIZE
    items = [
        {
            "number": number,
            "horizon": "long_term",
            "task": f"paged task {number:03}",
            "owner": "@pager",
            "due": (dt.date(2030, 1, 1) + dt.timedelta(days=number)).isoformat(),
            "status": "todo",
        }
        for number in range(1, per_page + 6)
    ]
    saving.create_postmortem(site.database, postmortem(action_items=items), user="t")
    browser = site.browser(Role.viewer)
    first = browser.get("/actions", params={"owner": "@pager", "group": "owner"}).text
    tasks = re.findall(r"paged task (\d{3})", first)
    assert tasks == [f"{n:03}" for n in range(1, per_page + 1)]
    assert f"1〜{per_page} 件目" in first
    next_link = re.search(r'<a href="([^"]+)" rel="next">', first)
    assert next_link is not None
    second = browser.get(html.unescape(next_link.group(1))).text
    assert re.findall(r"paged task (\d{3})", second) == [
        f"{n:03}" for n in range(per_page + 1, per_page + 6)
    ]
    assert f"{per_page + 1}〜{per_page + 5} 件目" in second
    assert 'rel="next"' not in second
    assert 'rel="prev"' in second
    with site.api(Role.viewer) as api:
        rest = api.get(
            "/api/v1/action-items", params={"owner": "pager", "limit": 3, "offset": per_page}
        ).json()
    assert [item["task"] for item in rest] == [
        f"paged task {n:03}" for n in range(per_page + 1, per_page + 4)
    ]


def test_the_list_counts_up_to_a_bound_and_pages_on_past_it(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    impact = {"severity": "low", "services": ["Bounded API"]}
    for number in range(3):
        counted = postmortem(title=f"counted {number}", impact=impact)
        saving.create_postmortem(site.database, counted, user="t")
    monkeypatch.setattr(listing, "COUNTED_AT_MOST", 2)
    monkeypatch.setattr(searching, "COUNTED_AT_MOST", 2)
    monkeypatch.setattr(postmortems_page, "PAGE_SIZE", 2)
    browser = site.browser(Role.viewer)
    # The totals of all postmortems and of one status are kept: exact however many.
    everything = browser.get("/").text
    assert re.search(r"<span>1 / \d+</span>", everything) is not None
    assert "件超" not in everything
    first = browser.get("/", params={"service": "Bounded API"}).text
    assert "2 件超" in first
    assert 'rel="next"' in first
    assert re.search(r"<span>1 / \d+</span>", first) is None
    with site.api(Role.viewer) as api:
        page = api.get("/api/v1/postmortems", params={"limit": 1, "severity": "low"}).json()
        kept = api.get("/api/v1/postmortems", params={"limit": 1, "status": "draft"}).json()
    assert (page["total"], page["total_exact"]) == (3, False)
    assert kept["total_exact"] is True
    assert kept["total"] >= 3
    titles = set()
    url: str | None = "/?service=Bounded+API"
    while url is not None:
        html_page = browser.get(url).text
        titles |= set(re.findall(r"counted \d", html_page))
        found = re.search(r'<a href="([^"]+)" rel="next">', html_page)
        url = html.unescape(found.group(1)) if found else None
    assert titles == {"counted 0", "counted 1", "counted 2"}


def test_a_page_past_the_end_leads_back_to_the_last_one(site: Site) -> None:
    for number in range(3):
        saving.create_postmortem(site.database, postmortem(title=f"edge {number}"), user="t")
    browser = site.browser(Role.viewer)
    total = int(re.findall(r"(\d+) 件", browser.get("/").text)[0])
    last = -(-total // postmortems_page.PAGE_SIZE)
    beyond = browser.get("/", params={"page": last + 5}).text
    back = re.search(r'<a href="([^"]+)" rel="prev">', beyond)
    assert back is not None
    assert f"page={last}" in html.unescape(back.group(1))
    actions = browser.get("/actions", params={"page": 999, "overdue": "true"}).text
    assert "件目" not in actions
    assert "見つかりませんでした" in actions
    back = re.search(r'<a href="([^"]+)" rel="prev">', actions)
    assert back is not None
    link = html.unescape(back.group(1))
    assert "page=1" in link
    assert "overdue=true" in link
    assert "False" not in link
    assert "mine=" not in link


def test_the_list_api_filters_by_reviewer_longest_waiting_first(site: Site) -> None:
    for title in ("waits longest", "waits less"):
        saving.create_postmortem(
            site.database,
            postmortem(title=title, status="review", reviewers=["@Api-Reviewer"]),
            user="t",
        )
    with site.api(Role.viewer) as api:
        found = api.get(
            "/api/v1/postmortems",
            params={"reviewer": "api-reviewer", "status": "review", "sort": "waiting"},
        ).json()
        refused = api.get("/api/v1/postmortems", params={"reviewers": "x"})
    assert [item["title"] for item in found["items"]] == ["waits longest", "waits less"]
    assert (found["total"], found["total_exact"]) == (2, True)
    assert refused.status_code == 422
