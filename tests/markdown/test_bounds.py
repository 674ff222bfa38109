"""Values out of the model's bounds in Markdown: read as missing with a diagnostic that
names the line and the field, never a traceback; control characters removed, reported."""

from __future__ import annotations

import pytest

from hansei.lint import lint_text
from hansei.markdown import parse_markdown, render_markdown
from hansei.metrics import compute_metrics
from tests.conftest import EXAMPLES

WALK = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.split("\n"), start=1) if fragment in line)


# (replace this, with this, the field reported) in the Walk API example
OUT_OF_BOUNDS = [
    ("**検知**: 2025-01-16 12:05:00 JST", "**検知**: 0001-01-01 00:00", "detected"),
    ("**検知**: 2025-01-16 12:05:00 JST", "**検知**: 9999-12-31 23:59:59 JST", "detected"),
    ("**検知**: 2025-01-16 12:05:00 JST", "**検知**: 1969-12-31 23:59:59 +00:00", "detected"),
    ("**日付**: 2025-01-16", "**日付**: 0001-01-01", "date"),
    ("| 12:08 | 対応開始 |", "| 0001-01-01 12:08 | 対応開始 |", "timeline[2].at"),
    ("| 12:08 | 対応開始 |", "| 2200-01-02 12:08 | 対応開始 |", "timeline[2].at"),
    ("| @ksato | 2025-01-20 | ✅ Done |", "| @ksato | 2200-01-20 | ✅ Done |", "due"),
    ("(目標: 99.9%)", "(目標: 99.99999%)", "slo.target"),
    ("(目標: 99.9%)", "(目標: " + "9" * 400 + "%)", "slo.target"),
]


@pytest.mark.parametrize(
    ("old", "new", "field"), OUT_OF_BOUNDS, ids=[f"{o[2]}: {o[1][:40]}" for o in OUT_OF_BOUNDS]
)
def test_a_value_out_of_bounds_is_a_diagnostic_on_its_line(old: str, new: str, field: str) -> None:
    assert old in WALK
    text = WALK.replace(old, new, 1)
    result = parse_markdown(text)
    line = _line_of(text, new)
    assert any(found.line == line and field in found.field for found in result.diagnostics), (
        result.diagnostics
    )
    # The rest of the document is read, and every command over it works.
    assert result.postmortem.title
    compute_metrics(result.postmortem)
    parse_markdown(render_markdown(result.postmortem))
    assert any(finding.line == line for finding in lint_text(text))


@pytest.mark.parametrize(
    "duration",
    ["1" + "0" * 400 + "分", "999999999999分", "300000 日", "9" * 400],
    ids=["1e400 minutes", "1e12 minutes", "300,000 days", "400 nines"],
)
def test_a_duration_too_long_to_hold_is_reported_not_read(duration: str) -> None:
    text = WALK.replace("Resolve)**: 30分", f"Resolve)**: {duration}", 1)
    assert text != WALK
    result = parse_markdown(text)
    found = [d for d in result.diagnostics if d.field == "ttr"]
    assert found
    assert found[0].line == _line_of(text, "**MTTR (")
    assert "230 years" in found[0].message
    assert result.postmortem.stated.ttr_minutes is None


def test_control_characters_are_removed_and_each_line_reported() -> None:
    text = WALK.replace("| 12:08 | 対応開始 | @ksato |", "| 12:08 | 対応開始 | @k\x00sato\x07 |", 1)
    text = text.replace("# ポストモーテム: Walk API", "# ポストモーテム: Walk\x1b[0m API", 1)
    result = parse_markdown(text)
    removed = {(d.line, d.message) for d in result.diagnostics if d.code == "invalid-value"}
    assert removed == {
        (1, "control character U+001B removed"),
        (_line_of(text, "@k\x00sato"), "control characters U+0000, U+0007 removed"),
    }
    assert result.postmortem.timeline[2].actor == "@ksato"
    assert result.postmortem.title is not None
    assert result.postmortem.title.startswith("Walk[0m API")


def test_a_document_without_control_characters_gets_no_such_diagnostic() -> None:
    assert not [d for d in parse_markdown(WALK.replace("@ksato", "@k\tsato")).diagnostics]


@pytest.mark.parametrize("zone", ["Asia", "America", "x" * 300, "a/" * 200], ids=lambda z: z[:12])
def test_a_time_in_a_zone_that_is_no_zone_is_a_diagnostic(zone: str) -> None:
    old = "**検知**: 2025-01-16 12:05:00 JST"
    assert old in WALK
    text = WALK.replace(old, f"**検知**: 2025-01-16 12:05:00 {zone}", 1)
    result = parse_markdown(text)
    line = _line_of(text, zone)
    assert any(found.line == line for found in result.diagnostics), result.diagnostics
    assert any(finding.line == line for finding in lint_text(text))
    timeline_zone = WALK.replace("## タイムライン", f"## タイムライン（{zone}）", 1)
    assert parse_markdown(timeline_zone).postmortem.title
