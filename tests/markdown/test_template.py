"""The team's template: read as mostly missing, and reproduced in layout by the renderer."""

from __future__ import annotations

import re

import pytest

from hansei.markdown import parse_markdown, render_markdown
from hansei.model import ActionStatus, Horizon, Language, Postmortem, Status
from tests.ci import running_in_ci
from tests.conftest import FIXTURES, SHARED_TEMPLATE


def test_the_copy_in_the_repository_is_the_team_template() -> None:
    if not SHARED_TEMPLATE.exists():
        if running_in_ci():
            pytest.fail(f"{SHARED_TEMPLATE} is missing")
        pytest.skip("the shared template is not beside this checkout")
    copy = (FIXTURES / "postmortem-template.ja.md").read_bytes()
    assert copy == SHARED_TEMPLATE.read_bytes()


def test_placeholders_read_as_missing(template_text: str) -> None:
    pm = parse_markdown(template_text).postmortem
    assert pm.title is None
    assert pm.date is None
    assert pm.author is None
    assert pm.reviewers == []
    assert pm.summary is None
    assert pm.times.detected is None
    assert pm.times.resolved is None
    assert pm.impact.services == []
    assert pm.impact.severity is None
    assert pm.impact.downtime_minutes is None
    assert pm.impact.data_loss is None
    assert pm.rca.direct_causes == []  # the **例** bullets are examples, not causes
    assert all(row.at is None for row in pm.timeline)
    assert all(item.due is None for item in pm.action_items)
    assert pm.business_impact.users_affected is None


def test_structure_of_the_template_is_read(template_text: str) -> None:
    result = parse_markdown(template_text)
    pm = result.postmortem
    assert pm.language == Language.ja
    assert [row.event for row in pm.timeline][:2] == ["インシデント発生", "アラート検知"]
    assert len(pm.rca.whys) == 5
    assert pm.rca.whys[0].answer == "nil pointer dereference が発生したため"
    assert [step.title for step in pm.mitigation] == [
        "ロールバック実施",
        "動作確認",
        "モニタリング強化",
    ]
    assert pm.mitigation[0].details[1].startswith("実行コマンド: `kubectl rollout undo")
    assert [item.horizon for item in pm.action_items].count(Horizon.short_term) == 3
    assert [item.status for item in pm.action_items][:3] == [
        ActionStatus.done,
        ActionStatus.in_progress,
        ActionStatus.todo,
    ]
    assert pm.went_well[0] == "アラートが迅速に発火し、5分以内に検知できた"
    assert pm.appendix.logs[0].title == "エラーログサンプル"
    assert "nil pointer dereference" in pm.appendix.logs[0].text
    assert len(pm.appendix.references) == 3
    assert pm.stated.ttd_minutes == 5
    assert pm.stated.ttf_minutes == 2880
    assert result.line_of("timeline[0]") == 46
    assert result.line_of("action_items[3]") == 161


def _skeleton(text: str) -> list[str]:
    """Headings, labels, table headers and separators: the layout without the values."""
    lines = text.split("\n")
    kept = []
    for index, line in enumerate(lines):
        if line.startswith("#") or line == "---":
            kept.append(line)
        elif label := re.match(r"^(?:- )?\*\*[^*]+\*\*(?:（[^）]*）| \([^)]*\))?:", line):
            if label.group(0) != "**例**:":  # the template's examples are guidance, not layout
                kept.append(label.group(0))
        elif line.startswith("|") and index + 1 < len(lines) and lines[index + 1].startswith("|--"):
            kept.extend([line, lines[index + 1]])
    return kept


def _shape(line: str) -> str:
    if line.startswith("#"):
        return line.split(" ", 1)[0]
    if line.startswith("|"):
        return f"table of {line.count('|') - 1}"
    return "label" if "**" in line else line


def test_empty_document_renders_in_the_template_layout(template_text: str) -> None:
    rendered = render_markdown(Postmortem())
    assert _skeleton(rendered) == _skeleton(template_text)


def test_empty_document_reads_back_as_empty() -> None:
    for language in Language:
        empty = Postmortem(language=language)
        assert parse_markdown(render_markdown(empty)).postmortem == empty


def test_english_rendition_has_the_same_structure(template_text: str) -> None:
    japanese = _skeleton(render_markdown(Postmortem()))
    english = _skeleton(render_markdown(Postmortem(language=Language.en)))
    assert [_shape(line) for line in japanese] == [_shape(line) for line in english]
    assert "## Root Cause Analysis (RCA)" in english


def test_computed_figures_are_filled_in() -> None:
    pm = Postmortem.model_validate(
        {
            "status": "review",
            "slo": {"target": 0.999},
            "times": {
                "detected": "2025-01-16T12:05:00+09:00",
                "recovered": "2025-01-16T12:20:00+09:00",
                "resolved": "2025-01-18T12:05:00+09:00",
            },
            "timeline": [{"at": "2025-01-16T12:05:00+09:00", "event": "アラート検知"}],
        }
    )
    text = render_markdown(pm)
    assert "- **ステータス**: Review" not in text
    assert "**ステータス**: Review" in text
    assert "- **ダウンタイム**: 15分" in text
    assert "- **Availability**: 99.965% (目標: 99.9%)" in text
    assert "- **Error Budget 消費**: 15分のダウンタイム = 0.03%（Error Budget の 34.7%）" in text
    assert "- **残りError Budget**: 0.07% / 0.1%" in text
    assert "- **MTTR (Mean Time To Resolve)**: 15分" in text
    assert "- **MTTF (Mean Time To Fix)**: 2日（完全修正まで）" in text
    assert "| 12:05 | アラート検知 | - |  |" in text
    english = render_markdown(pm, language=Language.en)
    assert (
        "- **Error budget consumed**: 15 min of downtime = 0.03% (34.7% of the error budget)"
        in english
    )


def test_stated_figures_are_kept_and_computed_ones_are_not_stored() -> None:
    text = render_markdown(
        Postmortem.model_validate(
            {
                "slo": {"target": 0.999},
                "times": {
                    "detected": "2025-01-16T12:05:00+09:00",
                    "recovered": "2025-01-16T12:20:00+09:00",
                },
            }
        )
    )
    assert parse_markdown(text).postmortem.impact.downtime_minutes is None
    typed = text.replace("- **ダウンタイム**: 15分", "- **ダウンタイム**: 20分")
    reread = parse_markdown(typed).postmortem
    assert reread.impact.downtime_minutes == 20
    assert "- **ダウンタイム**: 20分" in render_markdown(reread)


def test_status_placeholder_reads_as_draft(template_text: str) -> None:
    assert parse_markdown(template_text).postmortem.status == Status.draft


def test_budget_lines_say_what_is_left_or_overspent_and_of_which_downtime() -> None:
    def rendered(recovered: str, downtime: float | None = None) -> str:
        return render_markdown(
            Postmortem.model_validate(
                {
                    "slo": {"target": 0.999},
                    "impact": {"downtime_minutes": downtime},
                    "times": {"detected": "2025-01-16T12:00:00+09:00", "recovered": recovered},
                }
            )
        )

    within = rendered("2025-01-16T12:15:00+09:00")
    assert "- **残りError Budget**: 0.07% / 0.1%（残り 28分12秒）" in within
    over = rendered("2025-01-16T13:00:00+09:00")
    assert "- **残りError Budget**: -0.04% / 0.1%（16分48秒 超過）" in over
    # A typed downtime that differs stays in its line; the budget is of the computed one.
    typed = rendered("2025-01-16T12:15:00+09:00", downtime=20)
    assert "- **ダウンタイム**: 20分" in typed
    assert "- **Error Budget 消費**: 15分のダウンタイム = 0.03%（Error Budget の 34.7%）" in typed


def test_the_analysis_placeholder_only_while_the_root_cause_part_is_empty() -> None:
    filled = Postmortem.model_validate({"rca": {"whys": [{"question": "なぜ？", "answer": "x"}]}})
    assert "[なぜその問題が発生したかの深掘り分析]" not in render_markdown(filled)
    assert "[なぜその問題が発生したかの深掘り分析]" in render_markdown(Postmortem())
