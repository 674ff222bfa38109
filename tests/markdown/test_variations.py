"""Variations seen in hand-written postmortems, each with the reading a person would give it."""

from __future__ import annotations

from hansei.markdown import parse_markdown, render_markdown
from hansei.metrics import compute_metrics
from hansei.model import ActionStatus, Horizon, Postmortem
from tests.factories import jst


def _row_times(pm: Postmortem) -> list[str | None]:
    return [row.at.isoformat() if row.at else None for row in pm.timeline]


HEAD = "# ポストモーテム: 検索の遅延\n\n- **検知**: 2025-01-16 12:05 JST\n\n"


def test_timeline_written_as_a_list() -> None:
    text = HEAD + (
        "## タイムライン\n\n"
        "- 12:00 インシデント発生\n"
        "- 12:05 - アラート検知（Cloud Monitoring）\n"
        "- **23:59** 対応開始\n"
        "- 00:10: 完全復旧\n"
    )
    result = parse_markdown(text)
    rows = [(row.at, row.event) for row in result.postmortem.timeline]
    assert rows == [
        (jst(2025, 1, 16, 12, 0), "インシデント発生"),
        (jst(2025, 1, 16, 12, 5), "アラート検知（Cloud Monitoring）"),
        (jst(2025, 1, 16, 23, 59), "対応開始"),
        (jst(2025, 1, 17, 0, 10), "完全復旧"),
    ]
    assert result.line_of("timeline[3].at") == 10


def test_metadata_directly_above_the_separator_is_not_a_heading() -> None:
    text = "# ポストモーテム: x\n\n**著者**: @ito\n**ステータス**: Final\n---\n\n## タイムライン\n"
    pm = parse_markdown(text).postmortem
    assert pm.author == "@ito"
    assert pm.status.value == "final"
    assert pm.extra_sections == []


def test_whys_in_several_hands() -> None:
    text = HEAD + (
        "## 根本原因分析\n\n### 根本原因\n\n"
        "**Why 1**: なぜ遅延したか？\n→ インデックス再構築が走ったため\n\n"
        "**Why 2:** なぜ日中に走ったか？\n→ 起動時刻の制限がなかったため\n\n"
        "3. なぜ制限がなかったか？ → 想定が見直されなかったため\n"
        "**根本原因**:\n"
        "- バッチの実行時間帯の前提が明文化されていない\n"
    )
    pm = parse_markdown(text).postmortem
    assert [(w.question, w.answer) for w in pm.rca.whys] == [
        ("なぜ遅延したか？", "インデックス再構築が走ったため"),
        ("なぜ日中に走ったか？", "起動時刻の制限がなかったため"),
        ("なぜ制限がなかったか？", "想定が見直されなかったため"),
    ]
    assert pm.rca.root_causes == ["バッチの実行時間帯の前提が明文化されていない"]


def test_a_subsection_named_like_a_section_stays_in_its_section() -> None:
    text = HEAD + "## 付録\n\n### HikariCP メトリクス（00:06 時点）\n```\nactive 20\n```\n"
    pm = parse_markdown(text).postmortem
    assert [log.title for log in pm.appendix.logs] == ["HikariCP メトリクス（00:06 時点）"]
    assert pm.appendix.logs[0].text == "active 20"


def test_numbered_and_decorated_headings_and_full_width_colons() -> None:
    text = (
        "# ポストモーテム：決済の失敗\n\n"
        "## 2. インシデント詳細\n\n### 2.1 発生日時\n"
        "- 検知：2025-06-16 10:05\n- **復旧：** 2025-06-16 10:40 JST\n\n"
        "## 🔥 アクションアイテム\n\n### 短期（1ヶ月以内）\n"
        "| # | タスク | 担当者 | 期限 | ステータス |\n|---|---|---|---|---|\n"
        "| 1 | 監視追加 | ito | 2025/07/01 | 対応中 |\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.title == "決済の失敗"
    assert pm.times.detected == jst(2025, 6, 16, 10, 5)
    assert pm.times.recovered == jst(2025, 6, 16, 10, 40)
    item = pm.action_items[0]
    assert (item.horizon, item.owner, item.status) == (
        Horizon.short_term,
        "ito",
        ActionStatus.in_progress,
    )


def test_kept_sections_nest_until_a_rule() -> None:
    text = HEAD + (
        "## 顧客対応\n\n本文\n\n### 連絡経緯\n\n- 12:30 告知\n\n---\n\n### 別のメモ\n\nメモ本文\n"
    )
    pm = parse_markdown(text).postmortem
    assert [(s.title, s.level) for s in pm.extra_sections] == [("顧客対応", 2), ("別のメモ", 3)]
    assert "### 連絡経緯" in pm.extra_sections[0].body


def test_action_items_outside_a_horizon_table_get_the_horizon_of_their_due_date() -> None:
    text = HEAD + (
        "## アクションアイテム\n\n"
        "| # | タスク | 担当者 | 期限 | ステータス |\n|---|---|---|---|---|\n"
        "| 1 | a | x | 2025-01-20 | TODO |\n| 2 | b | x | 2025-02-10 | TODO |\n"
        "| 3 | c | x | 2025-04-01 | TODO |\n"
    )
    horizons = [item.horizon for item in parse_markdown(text).postmortem.action_items]
    assert horizons == [Horizon.immediate, Horizon.short_term, Horizon.long_term]


def test_byte_order_mark_and_crlf() -> None:
    pm = parse_markdown("\ufeff" + HEAD.replace("\n", "\r\n")).postmortem
    assert pm.title == "検索の遅延"
    assert pm.times.detected == jst(2025, 1, 16, 12, 5)


def test_options_chosen_by_striking_or_bold() -> None:
    text = (
        "# ポストモーテム: x\n\n**ステータス**: ~~Draft~~ / ~~Review~~ / Final\n\n"
        "## インシデント詳細\n\n### 影響範囲\n"
        "- **影響度**: Critical / **High** / Medium / Low\n- **データ損失**: ~~あり~~ / なし\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.status.value == "final"
    assert pm.impact.severity is not None
    assert pm.impact.severity.value == "high"
    assert pm.impact.data_loss is False


def test_japanese_dates_with_weekday_and_clock() -> None:
    text = (
        "# ポストモーテム: x\n\n## インシデント詳細\n\n### 発生日時\n"
        "- **検知**: 2025年1月16日(木) 12時05分\n- **復旧**: 2025/01/16（木） 12:40 JST\n\n"
        "## タイムライン\n\n| 時刻 | イベント |\n|---|---|\n| 12時00分 | インシデント発生 |\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.times.detected == jst(2025, 1, 16, 12, 5)
    assert pm.times.recovered == jst(2025, 1, 16, 12, 40)
    assert pm.timeline[0].at == jst(2025, 1, 16, 12, 0)


def test_timezones_named_by_abbreviation() -> None:
    text = (
        "# Postmortem: billing\n\n**Timezone**: JST\n\n## Timeline\n\n"
        "| Time | Event |\n|---|---|\n| 2025-03-09 01:40 | Incident start |\n"
    )
    assert parse_markdown(text).postmortem.timezone == "Asia/Tokyo"
    pacific = (
        "# Postmortem: billing\n\n## Timeline\n\n| Time (PST) | Event |\n|---|---|\n"
        "| 2025-03-09 01:40 | Incident start |\n| 03:30 PDT | Recovered |\n"
    )
    pm = parse_markdown(pacific).postmortem
    assert pm.timezone == "America/Los_Angeles"
    assert _row_times(pm) == ["2025-03-09T01:40:00-08:00", "2025-03-09T03:30:00-07:00"]


def test_an_unknown_zone_in_the_timeline_header_is_reported() -> None:
    text = (
        "# Postmortem: x\n\n## Timeline\n\n"
        "| Time (XYZT) | Event |\n|---|---|\n| 2025-01-02 03:04 | a |\n"
    )
    result = parse_markdown(text)
    assert [(d.code, d.line) for d in result.diagnostics] == [("bad-timestamp", 5)]


def test_negated_and_qualified_words_keep_their_meaning() -> None:
    text = HEAD + (
        "## アクションアイテム\n\n### 即座対応（1週間以内）\n"
        "| # | タスク | 担当者 | 期限 | ステータス |\n|---|---|---|---|---|\n"
        "| 1 | a | x | 1/20 | 未完了 |\n| 2 | b | x | 2025-01-20 | not done yet |\n"
        "| 3 | c | x | 2025-01-20 | 保留 |\n| 4 | d | x | 2025-01-20 | ✅ 完了 |\n"
    )
    items = parse_markdown(text).postmortem.action_items
    assert [item.status for item in items] == [
        ActionStatus.todo,
        ActionStatus.todo,
        ActionStatus.todo,
        ActionStatus.done,
    ]
    assert items[0].due is not None
    assert items[0].due.isoformat() == "2025-01-20"  # the year comes from the detection


def test_severity_word_wins_over_an_incident_level() -> None:
    text = HEAD + "## インシデント詳細\n\n- **影響度**: High (P1)\n"
    severity = parse_markdown(text).postmortem.impact.severity
    assert severity is not None
    assert severity.value == "high"


def test_a_duration_is_the_leading_figure_only() -> None:
    text = HEAD + "## メトリクス\n\n- **MTTR**: 88 min (incl. 10 min verification)\n"
    assert parse_markdown(text).postmortem.stated.ttr_minutes == 88


def test_whys_as_q_and_a_lines_and_answers_without_arrows() -> None:
    text = HEAD + (
        "## RCA\n\n### 根本原因\n\n**5 Whys 分析**:\n\n"
        "Q1. なぜログインできなかったか？\nA1. トークン検証が失敗したため\n\n"
        "Q2. なぜ失敗したか？\nA2. 鍵が更新されていなかったため\n\n"
        "3. **Why**: なぜ更新されなかったか？\n   キャッシュの有効期限が長すぎたため\n"
    )
    whys = parse_markdown(text).postmortem.rca.whys
    assert [(w.question, w.answer) for w in whys] == [
        ("なぜログインできなかったか？", "トークン検証が失敗したため"),
        ("なぜ失敗したか？", "鍵が更新されていなかったため"),
        ("なぜ更新されなかったか？", "キャッシュの有効期限が長すぎたため"),
    ]


def test_the_template_prompts_beside_a_real_summary_are_dropped() -> None:
    text = (
        "# ポストモーテム: x\n\n## エグゼクティブサマリー\n\n"
        "**概要**:\n- 決済が30分失敗した\n- いつ起こったか\n- 影響範囲\n"
    )
    assert parse_markdown(text).postmortem.summary == "- 決済が30分失敗した"


def test_timeline_event_words_mark_the_key_moments() -> None:
    text = HEAD + (
        "## タイムライン\n\n| 時刻 | イベント |\n|---|---|\n"
        "| 11:50 | 障害発生 |\n| 12:05 | 障害発生を検知 |\n| 12:10 | Mitigation started |\n"
        "| 12:30 | 一部復旧 |\n| 12:45 | サービス復旧 |\n"
    )
    m = compute_metrics(parse_markdown(text).postmortem)
    assert (m.ttd_minutes, m.ttm_minutes, m.ttr_minutes) == (15, 25, 40)


def test_table_rows_after_a_blank_line_extra_columns_and_stray_text() -> None:
    text = HEAD + (
        "## タイムライン\n\n"
        "| 時刻 | イベント | 担当者 | アクション | 備考 |\n|---|---|---|---|---|\n"
        "| 12:00 | インシデント発生 | - | デプロイ | PR #512 |\n"
        "\n"
        "| 12:05 | アラート検知 | PagerDuty | 通知 | |\n\n"
        "> 12:10 頃に顧客から問い合わせあり\n"
    )
    result = parse_markdown(text)
    rows = result.postmortem.timeline
    assert [row.event for row in rows] == ["インシデント発生", "アラート検知"]
    assert rows[0].action == "デプロイ (備考: PR #512)"
    assert [(d.code, d.line) for d in result.diagnostics] == [("ignored-content", 13)]


def test_headings_that_only_mention_a_section_are_kept_as_written() -> None:
    text = HEAD + (
        "## Customer communication timeline\n\n- 12:30 status page updated\n\n"
        "## Good to know\n\n- the runbook moved\n"
    )
    pm = parse_markdown(text).postmortem
    assert [s.title for s in pm.extra_sections] == [
        "Customer communication timeline",
        "Good to know",
    ]
    assert pm.timeline == []
    assert pm.went_well == []


def test_subsections_written_as_sections_and_a_mistyped_heading() -> None:
    text = (
        "# ポストモーテム: x\n\n## 発生日時\n- **検知**: 2025-01-16 12:05\n\n"
        "## 3. タイムラン\n\n| 時刻 | イベント |\n|---|---|\n| 12:00 | インシデント発生 |\n"
    )
    result = parse_markdown(text)
    assert result.postmortem.times.detected == jst(2025, 1, 16, 12, 5)
    assert [row.event for row in result.postmortem.timeline] == ["インシデント発生"]
    assert [(d.code, d.line) for d in result.diagnostics] == [("section-heading", 6)]


def test_a_value_on_the_line_under_its_label_and_nested_lessons() -> None:
    text = (
        "# ポストモーテム: x\n\n## インシデント詳細\n\n- **検知**:\n  2025-04-10 10:00\n\n"
        "## うまくいったこと\n\n- ✅ 検知が早かった\n  - アラートが5分で発火\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.times.detected == jst(2025, 4, 10, 10, 0)
    assert pm.went_well == ["検知が早かった", "アラートが5分で発火"]


def test_twelve_hour_times_and_generic_zone_names() -> None:
    text = (
        "# Postmortem: x\n\n## Incident Details\n\n- **Detected**: 2025-06-16 3:05 PM\n\n"
        "## Timeline\n\n| Time (PT) | Event |\n|---|---|\n| 2:58 PM | Incident start |\n"
        "| 午後3時20分 | Recovered |\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.timezone == "America/Los_Angeles"
    assert _row_times(pm) == ["2025-06-16T14:58:00-07:00", "2025-06-16T15:20:00-07:00"]


def test_why_answers_on_the_next_line_outside_a_list() -> None:
    text = HEAD + (
        "## RCA\n\n### 根本原因\n\n"
        "**Why 1**: なぜ二重送信したか？\nリトライが冪等でなかったため\n\n"
        "**Why 2**: なぜ冪等でなかったか？\n冪等キーの設計がなかったため\n"
    )
    whys = parse_markdown(text).postmortem.rca.whys
    assert [(w.question, w.answer) for w in whys] == [
        ("なぜ二重送信したか？", "リトライが冪等でなかったため"),
        ("なぜ冪等でなかったか？", "冪等キーの設計がなかったため"),
    ]


def test_emphasis_in_values_is_not_part_of_them() -> None:
    text = HEAD + (
        "## インシデント詳細\n\n- **影響を受けたサービス**: **Payment API**, Checkout Web\n"
        "- **ダウンタイム**: なし（誤送信のみ）\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.impact.services == ["Payment API", "Checkout Web"]
    assert pm.impact.downtime_minutes == 0


def test_only_a_resolution_time_does_not_place_the_timeline() -> None:
    text = (
        "# ポストモーテム: x\n\n**日付**: 2025-11-20\n\n## インシデント詳細\n\n"
        "- **完全解決**: 2025-11-21 15:00\n\n## タイムライン\n\n"
        "| 時刻 | イベント |\n|---|---|\n| 23:50 | インシデント発生 |\n| 00:20 | 完全復旧 |\n"
    )
    result = parse_markdown(text)
    assert [row.at for row in result.postmortem.timeline] == [
        jst(2025, 11, 20, 23, 50),
        jst(2025, 11, 21, 0, 20),
    ]
    assert [(d.code, d.line) for d in result.diagnostics] == [("bad-timestamp", 13)]


def test_rows_after_a_clock_change_do_not_go_back_in_time() -> None:
    text = (
        "# Postmortem: x\n\n**Timezone**: America/Los_Angeles\n\n## Timeline\n\n"
        "| Time | Event |\n|---|---|\n| 2025-11-02 01:50 PDT | Incident start |\n"
        "| 01:00 PST | Alert fired |\n| 01:07 | Response started |\n"
    )
    rows = parse_markdown(text).postmortem.timeline
    assert [row.at.isoformat() if row.at else None for row in rows] == [
        "2025-11-02T01:50:00-07:00",
        "2025-11-02T01:00:00-08:00",
        "2025-11-02T01:07:00-08:00",
    ]


def test_action_items_as_a_checklist() -> None:
    text = HEAD + (
        "## Action Items\n\n"
        "- [x] 冪等キーの導入 — @sato — 期限 2025-01-20\n"
        "- [ ] 監視追加 (@ito, 1/31)\n"
        "- 手順書の更新 | 担当: 田中\n"
    )
    items = parse_markdown(text).postmortem.action_items
    assert [(i.task, i.owner, i.due.isoformat() if i.due else None, i.status) for i in items] == [
        ("冪等キーの導入", "@sato", "2025-01-20", ActionStatus.done),
        ("監視追加", "@ito", "2025-01-31", ActionStatus.todo),
        ("手順書の更新", "田中", None, None),
    ]


def test_ditto_marks_empty_rows_and_a_merged_good_bad_section() -> None:
    text = HEAD + (
        "## タイムライン\n\n| 時刻 | イベント | 担当者 |\n|---|---|---|\n"
        "| 12:00 | インシデント発生 | - |\n| 〃 | デプロイ完了 | 〃 |\n\n"
        "## アクションアイテム\n\n### 短期対応\n| # | タスク | 担当者 | 期限 | ステータス |\n"
        "|---|---|---|---|---|\n| 1 | 監視 | @ito | 2025-02-01 | Todo |\n| 2 | | | | |\n\n"
        "## うまくいったこと / 改善が必要なこと\n\n- ✅ 検知が早かった\n- ❌ 手順書が古かった\n"
    )
    pm = parse_markdown(text).postmortem
    assert [row.at for row in pm.timeline] == [jst(2025, 1, 16, 12, 0)] * 2
    assert len(pm.action_items) == 1
    assert pm.went_well == ["検知が早かった"]
    assert pm.went_wrong == ["手順書が古かった"]


def test_impact_written_into_the_summary_and_renamed_sections() -> None:
    text = (
        "# ポストモーテム: x\n\n## サマリー & 影響\n\n"
        "決済が 21:00 に復旧するまで失敗した。\n\n- **影響度**: High\n"
        "- **検知**: 2025-06-16 20:00\n\n"
        "## 原因\n\n1. **Why**: なぜ？\n   → 設定漏れ\n\n"
        "## アクション\n\n| # | タスク | 担当者 | 期限 | ステータス |\n|---|---|---|---|---|\n"
        "| 1 | 設定の自動検証 | @ito | 2025-06-30 | Todo |\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.summary == "決済が 21:00 に復旧するまで失敗した。"
    assert pm.impact.severity is not None
    assert pm.times.detected == jst(2025, 6, 16, 20, 0)
    assert len(pm.rca.whys) == 1
    assert [item.task for item in pm.action_items] == ["設定の自動検証"]


def test_a_summary_sentence_with_a_colon_is_prose_and_sections_win() -> None:
    text = (
        "# ポストモーテム: x\n\n## エグゼクティブサマリー\n\n**概要**:\n決済APIが5xxを返した。\n"
        "復旧: ロールバックで対応した。\n- **影響度**: Critical\n\n"
        "## インシデント詳細\n\n- **復旧**: 2025-01-16 12:40\n- **影響度**: High\n"
    )
    pm = parse_markdown(text).postmortem
    assert pm.times.recovered == jst(2025, 1, 16, 12, 40)
    assert pm.impact.severity is not None
    assert pm.impact.severity.value == "high"
    assert pm.summary == "決済APIが5xxを返した。\n復旧: ロールバックで対応した。"


def test_the_repeated_hour_is_passed_through_twice_and_a_skipped_time_moves_forward() -> None:
    fall = (
        "# Postmortem: x\n\n- **Detected**: 2025-11-02 01:20 PDT\n\n## Timeline\n\n"
        "| Time (PT) | Event |\n|---|---|\n| 01:15 | Deploy |\n| 01:20 | Alert fired |\n"
        "| 01:10 | Rollback started |\n| 01:40 | Recovered |\n"
    )
    pm = parse_markdown(fall).postmortem
    expected = [
        "2025-11-02T01:15:00-07:00",
        "2025-11-02T01:20:00-07:00",
        "2025-11-02T01:10:00-08:00",
        "2025-11-02T01:40:00-08:00",
    ]
    assert _row_times(pm) == expected
    assert _row_times(parse_markdown(render_markdown(pm)).postmortem) == expected
    spring = (
        "# Postmortem: x\n\n- **Detected**: 2025-03-09 01:50 PST\n\n## Timeline\n\n"
        "| Time (PT) | Event |\n|---|---|\n| 01:50 | Alert fired |\n| 02:30 | Rollback |\n"
    )
    pm = parse_markdown(spring).postmortem
    assert _row_times(pm) == ["2025-03-09T01:50:00-08:00", "2025-03-09T03:30:00-07:00"]
    assert parse_markdown(render_markdown(pm)).postmortem == pm


def test_small_things_written_by_hand() -> None:
    text = HEAD + (
        "## インシデント詳細\n\n- **影響を受けたサービス**: __init__, **Walk API**\n\n"
        "## タイムライン\n\n- 12:00 インシデント発生\n- 2 回目のアラートは誤報\n\n"
        "## RCA\n\n### 根本原因\n\n**5 Whys 分析**:\n1. **Why**: なぜ？\n   → 設定漏れ\n\n"
        "（この分析はチームで30分かけて行った）\n\n"
        "## アクションアイテム\n\n- Runbook 更新 — 完了\n\n"
        "## アクションの振り返り\n\n- 概ね適切\n\n"
        "## 関連ドキュメント\n\n- ✅ [Runbook](./README.md)\n"
    )
    result = parse_markdown(text)
    pm = result.postmortem
    assert pm.impact.services == ["__init__", "Walk API"]
    assert [(d.code, d.line) for d in result.diagnostics] == [("ignored-content", 12)]
    assert pm.rca.analysis == "（この分析はチームで30分かけて行った）"
    assert [(i.task, i.status) for i in pm.action_items] == [("Runbook 更新", ActionStatus.done)]
    assert [s.title for s in pm.extra_sections] == ["アクションの振り返り"]
    assert [(d.title, d.url) for d in pm.related_docs] == [("Runbook", "./README.md")]


def test_an_issue_column_links_each_item_to_its_tracker() -> None:
    text = HEAD + (
        "## アクションアイテム\n\n"
        "### 即座対応（1週間以内）\n"
        "| # | タスク | 担当者 | 期限 | ステータス | Issue |\n"
        "|---|---|---|---|---|---|\n"
        "| 1 | a | @a | 2025-01-17 | Todo | [acme/api#3](https://github.com/acme/api/issues/3) |\n"
        "| 2 | b | @a | 2025-01-17 | Todo | https://jira.example/browse/OPS-1 |\n"
        "| 3 | c | @a | 2025-01-17 | Todo | <https://tracker.example/1> |\n"
        "| 4 | d | @a | 2025-01-17 | Todo |  |\n"
        "| 5 | e | @a | 2025-01-17 | Todo | OPS-12 |\n"
        "| 6 | f | @a | 2025-01-17 | Todo | javascript:alert(1) |\n"
        "| 7 | g | @a | 2025-01-17 | Todo | see the board |\n"
        "| 8 | h | @a | 2025-01-17 | Todo | [x](javascript:alert(1)) |\n"
    )
    result = parse_markdown(text)
    assert [item.issue_url for item in result.postmortem.action_items] == [
        "https://github.com/acme/api/issues/3",
        "https://jira.example/browse/OPS-1",
        "https://tracker.example/1",
        None,
        "OPS-12",
        None,
        None,
        None,
    ]
    refused = [(d.code, d.line, d.field) for d in result.diagnostics if "issue_url" in d.field]
    assert refused == [
        ("invalid-value", 15, "action_items[5].issue_url"),
        ("invalid-value", 16, "action_items[6].issue_url"),
        ("invalid-value", 17, "action_items[7].issue_url"),
    ]
    rendered = render_markdown(result.postmortem)
    assert "| ステータス | イシュー |" in rendered
    assert "| [acme/api#3](https://github.com/acme/api/issues/3) |" in rendered
    assert "| <https://jira.example/browse/OPS-1> |" in rendered
    assert "| Todo | OPS-12 |" in rendered.replace("📝 Todo", "Todo")


def test_without_any_issue_the_action_tables_keep_the_templates_columns() -> None:
    text = HEAD + (
        "## アクションアイテム\n\n"
        "### 即座対応（1週間以内）\n"
        "| # | タスク | 担当者 | 期限 | ステータス |\n"
        "|---|---|---|---|---|\n"
        "| 1 | a | @a | 2025-01-17 | Todo |\n"
    )
    rendered = render_markdown(parse_markdown(text).postmortem)
    assert "| # | タスク | 担当者 | 期限 | ステータス |\n" in rendered
    assert "イシュー" not in rendered
