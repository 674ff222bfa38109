"""Long runs of spaces read as the short ones do (bench/fuzz.py whitespace_runs
measures how long they take)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pytest

from hansei.lint.fix import fix_text
from hansei.markdown import parse_markdown
from hansei.markdown.fields import field_line
from hansei.markdown.values import parse_timestamp
from hansei.markdown.vocabulary import normalise
from tests.conftest import EXAMPLES

WALK = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")
SPACES = " " * 5000


def test_a_field_padded_with_spaces_reads_its_value() -> None:
    found = field_line(f"{SPACES}- **検知**{SPACES}:{SPACES}12:05{SPACES}", 3)
    assert found is not None
    assert (found.label, found.value, found.line) == ("検知", "12:05", 3)
    assert field_line(f"{SPACES}x", 1) is None
    assert field_line(f"- **a**{SPACES}({SPACES}", 1) is None


def test_headings_and_fields_with_long_space_runs_read_as_written() -> None:
    text = WALK.replace("- **ダウンタイム**: 35分", f"- **ダウンタイム**:{SPACES}35分{SPACES}x")
    text = text.replace("## タイムライン", f"## タイムライン{SPACES}🔥")
    result = parse_markdown(text)
    assert result.postmortem == parse_markdown(WALK).postmortem
    assert result.diagnostics == []


def test_fix_rewrites_a_padded_figure_and_keeps_its_label() -> None:
    text = WALK.replace("- **ダウンタイム**: 35分", f"- **ダウンタイム**:{SPACES}20分{SPACES}")
    fixed, changes = fix_text(text)
    assert [(change.before, change.after) for change in changes] == [("20分", "35分")]
    assert f"- **ダウンタイム**:{SPACES}35分\n" in fixed


def test_normalise_drops_marks_around_the_words_only() -> None:
    assert normalise(f"🔥{SPACES}概要{SPACES}!!") == "概要"
    assert normalise("(a) [b]") == "(a) [b]"
    assert normalise("#") == "#"


def test_a_bare_link_after_long_space_runs_reads_its_title_and_url() -> None:
    text = WALK.replace(
        "- [ロールバック手順](https://example.com/runbooks/walk-api/rollback)",
        f"- ロールバック手順{SPACES}：{SPACES}<https://example.com/rollback>\n"
        f"- 手順{SPACES}x{SPACES}y",
    )
    related = parse_markdown(text).postmortem.related_docs
    assert (related[1].title, related[1].url) == (
        "ロールバック手順",
        "https://example.com/rollback",
    )
    assert (related[2].title, related[2].url) == (f"手順{SPACES}x{SPACES}y", None)


def test_whys_with_long_space_runs_read_as_written() -> None:
    text = WALK.replace(
        "   → 全 Pod が panic",
        f"   {SPACES}→{SPACES}全 Pod が panic",
    ).replace("## 対応内容", f"{SPACES}x\n\n## 対応内容", 1)
    read = parse_markdown(text).postmortem.rca
    assert read.whys == parse_markdown(WALK).postmortem.rca.whys


def test_times_padded_with_spaces_read_as_written() -> None:
    zone = ZoneInfo("Asia/Tokyo")
    padded = parse_timestamp(f"2025-01-16{SPACES}(木){SPACES}12:05{SPACES}JST", zone)
    assert padded == parse_timestamp("2025-01-16 12:05 JST", zone)
    with pytest.raises(ValueError, match="not a date and time"):
        parse_timestamp(f"2025-01-16{SPACES}x", zone)


def test_a_timeline_written_as_lines_with_long_space_runs() -> None:
    head, rest = WALK.split("## タイムライン\n", 1)
    tail = rest.split("\n---", 1)[1]
    lines = f"- 12:00{SPACES}-{SPACES}インシデント発生\n- 12:05 アラート検知\n- 12:06{SPACES}\n"
    text = f"{head}## タイムライン\n\n{lines}\n---{tail}"
    timeline = parse_markdown(text).postmortem.timeline
    assert [row.event for row in timeline] == ["インシデント発生", "アラート検知"]
