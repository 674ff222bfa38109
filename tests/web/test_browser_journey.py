"""A new member's first postmortem, in a real browser (Debian's chromium).

Log in, start from the template, give the timeline its times and watch the
figures follow, save, find it again by a Japanese word, export the Markdown
and read back what was typed. Screenshots of the main pages go to
build/screenshots/ for the docs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from hansei.markdown import parse_markdown
from hansei.model import Severity
from hansei.model.access import Role
from hansei.services import saving
from hansei.services.documents import load_document
from tests.conftest import ROOT
from tests.factories import as_draft
from tests.web.site import PASSWORDS, Site, user_name

SCREENSHOTS = ROOT / "build" / "screenshots"
TITLE = "決済 API の接続障害"


@pytest.fixture
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    """A Japanese browser on a laptop-sized screen."""
    return {
        **browser_context_args,
        "locale": "ja-JP",
        "timezone_id": "Asia/Tokyo",
        "viewport": {"width": 1280, "height": 900},
    }


def _shoot(page: Page, name: str) -> None:
    """What the screen shows (not the whole page: the docs want a glance, not a scroll)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def _log_in(page: Page, site: Site, role: Role) -> None:
    page.goto(f"{site.url}/")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    _shoot(page, "login")
    page.get_by_label("ユーザー名").fill(user_name(role))
    page.get_by_label("パスワード").fill(PASSWORDS[role])
    page.get_by_role("button", name="ログイン").click()
    expect(page.get_by_role("heading", name="ポストモーテム一覧")).to_be_visible()


def _timeline_row(page: Page, index: int) -> Any:
    return page.locator("table[data-rows=timeline] tbody tr").nth(index)


def _set_row(page: Page, index: int, at: str, event: str) -> None:
    row = _timeline_row(page, index)
    row.locator("input[name='timeline.at']").fill(at)
    row.locator("input[name='timeline.event']").fill(event)


def test_write_find_and_export_a_postmortem(page: Page, site: Site, tmp_path: Path) -> None:
    _log_in(page, site, Role.author)
    page.get_by_role("link", name="新規作成").click()
    expect(page.get_by_role("heading", name="テンプレートから作成")).to_be_visible()

    page.get_by_label("タイトル", exact=True).first.fill(TITLE)
    page.locator("input[name='impact.services']").fill("Payment API")
    page.locator("select[name='impact.severity']").select_option("high")
    summary = "決済 API が DB 接続の枯渇で 30 分間エラーを返した。"
    page.locator("textarea[name=summary]").fill(summary)

    # The template starts the timeline with its key moments; keep the first three.
    rows = page.locator("table[data-rows=timeline] tbody tr")
    expect(rows).to_have_count(5)
    _set_row(page, 0, "2026-11-20T10:00", "インシデント発生")
    _set_row(page, 1, "2026-11-20T10:05", "アラート検知")
    _set_row(page, 2, "2026-11-20T10:08", "対応開始")
    for _ in range(2):
        rows.nth(3).get_by_role("button", name="削除").click()
    expect(rows).to_have_count(3)
    expect(page.locator("#figure-ttd")).to_have_text("5分")
    expect(page.locator("#figure-ttr")).to_have_text("—")

    page.get_by_role("button", name="＋ 行を追加").first.click()
    _set_row(page, 3, "2026-11-20T10:35", "復旧")
    expect(rows).to_have_count(4)
    expect(page.locator("#figure-ttr")).to_have_text("30分")
    expect(page.locator("#figure-downtime")).to_have_text("35分")

    # A row added above in time order is moved up: the figures follow the times, not rows.
    page.get_by_role("button", name="＋ 行を追加").first.click()
    _set_row(page, 4, "2026-11-20T10:20", "部分復旧")
    _timeline_row(page, 4).get_by_role("button", name="上へ").click()
    expect(page.locator("#figure-ttm")).to_have_text("15分")
    page.locator("table[data-rows=timeline]").scroll_into_view_if_needed()
    _shoot(page, "editor")

    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name=re.compile("ポストモーテム: " + TITLE))).to_be_visible()
    expect(page.locator(".figures mark.computed").first).to_be_visible()
    _shoot(page, "postmortem")

    page.get_by_role("link", name="ポストモーテム一覧").first.click()
    page.get_by_label("検索").fill("接続")
    page.get_by_role("button", name="絞り込む").click()
    found = page.locator("ol.results li a.title")
    expect(found).to_have_text([TITLE])
    _shoot(page, "search")
    found.first.click()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Markdown をダウンロード").click()
    exported = tmp_path / "exported.md"
    download_info.value.save_as(exported)
    text = exported.read_text(encoding="utf-8")
    assert text.startswith("<!-- hansei-id: ")
    postmortem = parse_markdown(text).postmortem
    assert postmortem.title == TITLE
    assert postmortem.impact.services == ["Payment API"]
    assert postmortem.summary == summary
    assert postmortem.impact.severity == Severity.high
    tokyo = dt.timezone(dt.timedelta(hours=9))
    assert [(row.at, row.event) for row in postmortem.timeline] == [
        (dt.datetime(2026, 11, 20, 10, 0, tzinfo=tokyo), "インシデント発生"),
        (dt.datetime(2026, 11, 20, 10, 5, tzinfo=tokyo), "アラート検知"),
        (dt.datetime(2026, 11, 20, 10, 8, tzinfo=tokyo), "対応開始"),
        (dt.datetime(2026, 11, 20, 10, 20, tzinfo=tokyo), "部分復旧"),
        (dt.datetime(2026, 11, 20, 10, 35, tzinfo=tokyo), "復旧"),
    ]
    assert "**MTTR (Mean Time To Resolve)**: 30分" in text


def test_main_pages_on_a_phone(browser: Browser, site: Site) -> None:
    """The list, a postmortem, its history and the action items fit a phone's width."""
    with site.api(Role.author) as api:
        created = api.post(
            "/api/v1/postmortems",
            content=(ROOT / "examples" / "2025-01-16-walk-api-nil-pointer.ja.md").read_bytes(),
            headers={"Content-Type": "text/markdown"},
        )
        identifier = created.json()["id"]
    context = browser.new_context(
        locale="ja-JP", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    try:
        _log_in(page, site, Role.viewer)
        for name, path in (
            ("phone-list", "/"),
            ("phone-postmortem", f"/postmortems/{identifier}"),
            ("history", f"/postmortems/{identifier}/history"),
            ("actions", "/actions"),
        ):
            page.goto(f"{site.url}{path}")
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path} is {width}px wide on a 390px screen"
            _shoot(page, name)
    finally:
        context.close()


def _example(site: Site) -> str:
    with site.api(Role.author) as api:
        created = api.post(
            "/api/v1/postmortems",
            content=(ROOT / "examples" / "2025-03-02-auth-db-pool-exhaustion.ja.md").read_bytes(),
            headers={"Content-Type": "text/markdown"},
        )
    identifier: str = created.json()["id"]
    return identifier


def test_reading_needs_no_javascript(browser: Browser, site: Site) -> None:
    identifier = _example(site)
    context = browser.new_context(locale="ja-JP", java_script_enabled=False)
    page = context.new_page()
    try:
        _log_in(page, site, Role.viewer)
        page.goto(f"{site.url}/postmortems/{identifier}")
        title = page.get_by_role("heading", name=re.compile("DB コネクションプール"))
        expect(title).to_be_visible()
        expect(page.locator(".figures mark.computed").first).to_be_visible()
        expect(page.get_by_role("heading", name="タイムライン")).to_be_visible()
        page.goto(f"{site.url}/?q=コネクション")
        expect(page.locator("ol.results li a.title").first).to_be_visible()
    finally:
        context.close()


def test_the_keyboard_alone_finds_and_edits(page: Page, site: Site) -> None:
    identifier = _example(site)
    _log_in(page, site, Role.author)
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="本文へスキップ")).to_be_focused()
    page.get_by_label("検索").focus()
    page.keyboard.type("コネクション")
    page.keyboard.press("Enter")
    expect(page.locator("ol.results li a.title").first).to_be_visible()

    page.goto(f"{site.url}/postmortems/{identifier}/edit")
    rows = page.locator("table[data-rows=timeline] tbody tr")
    count = rows.count()
    page.get_by_role("button", name="＋ 行を追加").first.focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(count + 1)
    # The new row's first field has the focus, ready to type.
    expect(rows.nth(count).locator("input[name='timeline.at']")).to_be_focused()
    rows.nth(count).get_by_role("button", name="削除").focus()
    page.keyboard.press("Enter")
    expect(rows).to_have_count(count)


def test_an_author_asks_and_a_reviewer_makes_it_final(browser: Browser, site: Site) -> None:
    walk = load_document(ROOT / "examples" / "2025-01-16-walk-api-nil-pointer.ja.md").postmortem
    draft = as_draft(walk).model_copy(
        update={"author": f"@{user_name(Role.author)}", "title": "レビューの流れ", "reviewers": []}
    )
    identifier = saving.create_postmortem(site.database, draft, user="t").postmortem_id
    contexts = [browser.new_context(locale="ja-JP") for _ in range(2)]
    author, reviewer = (context.new_page() for context in contexts)
    try:
        _log_in(author, site, Role.author)
        author.goto(f"{site.url}/postmortems/{identifier}")
        panel = author.locator("section.review-panel")
        panel.get_by_label("レビュアー").fill(f"@{user_name(Role.reviewer)}")
        panel.get_by_role("button", name="レビューを依頼").click()
        expect(author.locator("section.review-panel .badge")).to_have_text("レビュー中")

        _log_in(reviewer, site, Role.reviewer)
        waiting = reviewer.locator("section.waiting")
        expect(waiting).to_contain_text("自分のレビュー待ち (1)")
        waiting.get_by_role("link", name="レビューの流れ").click()
        reviewer.locator("form.review-step", has_text="承認").get_by_label("コメント").fill("LGTM")
        _shoot(reviewer, "review")
        reviewer.get_by_role("button", name="承認して最終版にする").click()
        expect(reviewer.locator("section.review-panel .badge")).to_have_text("最終版")
        history_table = reviewer.locator("h2:has-text('レビュー履歴') + table")
        expect(history_table).to_contain_text("LGTM")
        expect(history_table).to_contain_text(f"@{user_name(Role.reviewer)}")
    finally:
        for context in contexts:
            context.close()
