"""What cannot be read is reported with its line; a text that is no postmortem is refused."""

from __future__ import annotations

import pytest

from hansei.errors import DocumentError
from hansei.markdown import parse_markdown

DOC = """# ポストモーテム: 決済 API のタイムアウト

**日付**: 2025-06-16
**ステータス**: Review

## インシデント詳細

### 発生日時
- **検知**: 2025-06-16 25:99 JST
- **復旧**: 2025-06-16 10:40 JST

## タイムライン

| 時刻 | イベント | 担当者 | アクション |
|---|---|---|---|
| 10:05 | アラート検知 | PagerDuty | 通知 |
| そのうち | 対応開始 | @ito | 調査 |

## アクションアイテム

### 即座対応（1週間以内）
| # | タスク | 担当者 | 期限 | ステータス |
|---|---|---|---|---|
| 1 | タイムアウト値の見直し | @ito | 2025-06-20 | 検討中かも |
| 2 | ダッシュボード追加 | @ito | 来週 | Todo |
"""


def test_unreadable_values_become_missing_with_a_diagnostic_on_their_line() -> None:
    result = parse_markdown(DOC)
    found = {(d.code, d.line, d.field) for d in result.diagnostics}
    assert ("bad-timestamp", 9, "detected") in found
    assert ("unknown-status", 24, "action_items[0].status") in found
    assert ("bad-timestamp", 25, "action_items[1].due") in found
    pm = result.postmortem
    assert pm.times.detected is None
    assert pm.action_items[0].status is None
    assert pm.action_items[1].due is None
    assert pm.action_items[1].task == "ダッシュボード追加"


def test_unreadable_timeline_time_is_reported_and_the_rows_still_resolve() -> None:
    # Detection is unreadable, so the first row takes its date from the recovery time.
    result = parse_markdown(DOC)
    assert result.postmortem.timeline[0].at is not None
    assert result.postmortem.timeline[0].at.date().isoformat() == "2025-06-16"
    bad_rows = [d for d in result.diagnostics if d.field == "timeline.at"]
    assert [d.line for d in bad_rows] == [17]


def test_every_value_remembers_its_line() -> None:
    result = parse_markdown(DOC)
    assert result.line_of("title") == 1
    assert result.line_of("date") == 3
    assert result.line_of("status") == 4
    assert result.line_of("times.recovered") == 10
    assert result.line_of("timeline[1]") == 17
    assert result.line_of("action_items[1].due") == 25


@pytest.mark.parametrize(
    "text",
    ["just some notes\nabout a day\n", "## 買い物リスト\n\n- 牛乳\n"],
)
def test_a_text_that_is_no_postmortem_is_refused_with_a_line(text: str) -> None:
    with pytest.raises(DocumentError) as raised:
        parse_markdown(text, source="notes.md")
    assert str(raised.value).startswith("notes.md:1: not a postmortem")


def test_an_empty_document_is_refused() -> None:
    with pytest.raises(DocumentError, match="empty"):
        parse_markdown("  \n\n", source="empty.md")


def test_a_section_alone_is_enough_to_be_read() -> None:
    pm = parse_markdown(
        "## タイムライン\n\n| 時刻 | イベント |\n|--|--|\n| 2025-01-02 03:04 | 検知 |\n"
    ).postmortem
    assert pm.timeline[0].event == "検知"


def test_the_line_of_a_value_never_read_is_unknown() -> None:
    result = parse_markdown("# ポストモーテム: x\n")
    assert result.line_of("author") is None
    assert result.line_of("action_items[3].due") is None
    assert result.line_of("title") == 1
