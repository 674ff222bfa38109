"""The parser, lint and `lint --fix` count lines alike, whatever ends them."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hansei.lint import lint_text
from hansei.lint.fix import fix_text
from hansei.markdown import parse_markdown
from hansei.markdown.lines import split_keeping_ends
from tests.conftest import EXAMPLES

WALK = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")
DOWNTIME = "- **ダウンタイム**: 35分"
MTTR = "- **MTTR (Mean Time To Resolve)**: 30分"
DOWNTIME_LINE = WALK.split("\n").index(DOWNTIME) + 1
MTTR_LINE = WALK.split("\n").index(MTTR) + 1
BROKEN = WALK.replace(DOWNTIME, "- **ダウンタイム**: 20分").replace(
    MTTR, "- **MTTR (Mean Time To Resolve)**: [例: 5分]"
)

# Never a lone `\r` before a blank line that ends in `\n`: that would be one `\r\n`.
_MIXED = ("\n", "\r", "\r\n")
# Each kind of ending: the end of line i, and how many lines that end makes of one.
ENDINGS: dict[str, tuple[Callable[[int], str], int]] = {
    "lf": (lambda _: "\n", 1),
    "crlf": (lambda _: "\r\n", 1),
    "cr": (lambda _: "\r", 1),
    "mixed": (lambda number: _MIXED[number % 3], 1),
    "doubled": (lambda _: "\r\r\n", 2),  # a lone `\r`, then `\r\n`: a blank line between
}


def _ended(text: str, end: Callable[[int], str]) -> str:
    *lines, last = text.split("\n")
    return "".join(line + end(number) for number, line in enumerate(lines)) + last


def _lines_found(text: str) -> tuple[int | None, set[int], list[int]]:
    parsed = parse_markdown(text).lines.get("impact.downtime_minutes")
    linted = {f.line for f in lint_text(text) if f.code == "downtime-mismatch"}
    fixed = [change.line for change in fix_text(text)[1]]
    return parsed, linted, fixed


@pytest.mark.parametrize("kind", ENDINGS)
def test_parser_lint_and_fix_point_at_the_same_line(kind: str) -> None:
    end, lines_per_end = ENDINGS[kind]
    text = _ended(BROKEN, end)
    expected = (DOWNTIME_LINE - 1) * lines_per_end + 1
    parsed, linted, fixed_lines = _lines_found(text)
    assert (parsed, linted) == (expected, {expected})
    assert expected in fixed_lines
    assert (MTTR_LINE - 1) * lines_per_end + 1 in fixed_lines
    fixed, changes = fix_text(text)
    flagged = {f.line for f in lint_text(text) if f.code.endswith("-mismatch")}
    assert {change.line for change in changes} - {(MTTR_LINE - 1) * lines_per_end + 1} == flagged
    # Only the lines fixed change, each to its figure; every line keeps the end it had.
    before, after = split_keeping_ends(text), split_keeping_ends(fixed)
    assert [end for _, end in after] == [end for _, end in before]
    changed = {n for n, (old, new) in enumerate(zip(before, after, strict=True), 1) if old != new}
    assert changed == {change.line for change in changes}
    for change in changes:
        assert after[change.line - 1][0].endswith(f": {change.after}")
    assert fix_text(fixed)[1] == []
    assert not [f for f in lint_text(fixed) if f.code.endswith("-mismatch")]


@pytest.mark.parametrize("kind", ["lf", "crlf", "cr", "mixed"])
def test_fix_gives_back_the_document_as_it_was_written(kind: str) -> None:
    end, _ = ENDINGS[kind]
    assert fix_text(_ended(BROKEN, end))[0] == _ended(WALK, end)


@pytest.mark.parametrize("inserted", ["\r", "\r\r", "\n\r"])
def test_a_lone_cr_inside_a_line_moves_every_line_below_for_all_three(inserted: str) -> None:
    text = BROKEN.replace("全面的に停止しました。", f"全面的に停止しました。{inserted}", 1)
    below = DOWNTIME_LINE + len(inserted)
    assert _lines_found(text) == (below, {below}, [below, MTTR_LINE + len(inserted)])
    # The wrong figure is the one rewritten, and the inserted ends stay as written.
    expected = WALK.replace("全面的に停止しました。", f"全面的に停止しました。{inserted}", 1)
    assert fix_text(text)[0] == expected


def test_a_byte_order_mark_does_not_move_the_lines() -> None:
    text = "\ufeff" + _ended(BROKEN, lambda _: "\r\n")
    assert _lines_found(text) == (DOWNTIME_LINE, {DOWNTIME_LINE}, [DOWNTIME_LINE, MTTR_LINE])
    assert fix_text(text)[0] == "\ufeff" + _ended(WALK, lambda _: "\r\n")
