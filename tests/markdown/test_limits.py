"""Documents past a limit are refused before they are read, the line and setting named."""

from __future__ import annotations

import pytest

from hansei.config import DocumentLimits
from hansei.errors import TooLargeError
from hansei.markdown import parse_markdown
from hansei.markdown.blocks import MAX_NESTING
from hansei.markdown.limits import check_text, megabytes
from tests.conftest import EXAMPLES

WALK = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")
SMALL = DocumentLimits(max_bytes=4_000, max_lines=40, max_line_chars=100, max_table_cells=30)
HEAD = "# ポストモーテム: 上限\n\n## 雑記\n\n"


def test_the_examples_are_far_inside_the_default_limits() -> None:
    for path in EXAMPLES.glob("*.md"):
        parse_markdown(path.read_text(encoding="utf-8"))


def test_bytes_up_to_the_limit_are_read_and_one_more_is_refused() -> None:
    # Japanese text: the limit counts bytes of UTF-8, not characters.
    inside = HEAD + ("あ" * 30 + "\n") * 30
    room = SMALL.max_bytes - len(inside.encode("utf-8"))
    at_limit = inside + "a" * (room - 1) + "\n"
    assert len(at_limit.encode("utf-8")) == SMALL.max_bytes
    limits = DocumentLimits(max_bytes=SMALL.max_bytes, max_line_chars=10_000)
    parse_markdown(at_limit, limits=limits)
    with pytest.raises(TooLargeError) as refused:
        parse_markdown(at_limit + "b", limits=limits, source="pm.md")
    assert str(refused.value) == (
        "pm.md: too large (4,001 bytes, limit 4,000 bytes): "
        "HANSEI_MAX_DOCUMENT_BYTES sets the limit"
    )


def test_lines_past_the_limit_are_refused_at_the_first_line_over() -> None:
    lines = HEAD.count("\n")
    text = HEAD + "x\n" * (SMALL.max_lines - lines - 1)
    parse_markdown(text, limits=SMALL)
    with pytest.raises(TooLargeError) as refused:
        parse_markdown(text + "y\n", limits=SMALL)
    assert refused.value.line == SMALL.max_lines + 1
    assert "too many lines (41, limit 40)" in refused.value.message
    assert "HANSEI_MAX_DOCUMENT_LINES" in refused.value.message


def test_a_line_too_long_is_named() -> None:
    parse_markdown(HEAD + "a" * 100 + "\n", limits=SMALL)
    with pytest.raises(TooLargeError) as refused:
        parse_markdown(HEAD + "ok\n" + "a" * 101 + "\n", limits=SMALL)
    assert refused.value.line == 6
    assert "line too long (101 characters, limit 100)" in refused.value.message


def test_table_cells_are_counted_across_tables() -> None:
    row = "| a | b | c |\n"  # four pipes: at most five cells
    tables = HEAD + row * 6  # 30 cells
    parse_markdown(tables, limits=SMALL)
    with pytest.raises(TooLargeError) as refused:
        parse_markdown(tables + "\n" + row, limits=SMALL)
    assert refused.value.line == HEAD.count("\n") + 8
    assert "HANSEI_MAX_TABLE_CELLS" in refused.value.message


@pytest.mark.parametrize(
    "opening",
    ["```\n", "~~~~\n", "```a`b\n", "- item\n\n  ```\n\n"],
    ids=["backtick fence", "tilde fence", "not a fence", "fence of a list item"],
)
def test_table_cells_count_after_anything_that_looks_like_a_fence(opening: str) -> None:
    # Lines after `a`b or a list item's fence are tables to the Markdown parser: a
    # guess that they were code let a 1 MB document hold 480,000 cells.
    row = "| a | b | c |\n"
    with pytest.raises(TooLargeError, match="HANSEI_MAX_TABLE_CELLS"):
        parse_markdown(HEAD + opening + row * 7, limits=SMALL)


def test_line_ends_of_every_kind_count_as_lines() -> None:
    for ending in ("\n", "\r\n", "\r"):
        text = (HEAD + "x\n" * 40).replace("\n", ending)
        with pytest.raises(TooLargeError):
            check_text(text.replace("\r\n", "\n").replace("\r", "\n"), SMALL)
        with pytest.raises(TooLargeError):
            parse_markdown(text, limits=SMALL)


def test_sizes_are_shown_in_megabytes_precise_enough_to_differ() -> None:
    assert megabytes(1_000_000) == "1 MB"
    assert megabytes(51_170_039, beside=1_000_000) == "51.2 MB"
    assert megabytes(1_500_000) == "1.5 MB"
    assert megabytes(1_000_400, beside=1_000_000) == "1,000,400 bytes"
    assert megabytes(999) == "999 bytes"


def _nested_list(depth: int) -> str:
    nested = "".join("  " * level + f"- level {level}\n" for level in range(depth))
    return (
        f"# Nested\n\n## 良かったこと（Good）\n\n{nested}\n## 改善が必要なこと（Bad）\n\n- after\n"
    )


def test_lists_nested_up_to_the_limit_are_read_to_the_end() -> None:
    # markdown-it's own limit (ten list levels) used to end the document there, silently.
    for depth in (10, 40, MAX_NESTING - 1):
        result = parse_markdown(_nested_list(depth))
        assert result.postmortem.went_wrong == ["after"], depth


@pytest.mark.parametrize(
    "text",
    [
        _nested_list(MAX_NESTING),
        _nested_list(MAX_NESTING * 5),
        "# Quoted\n\n"
        + ">" * (2 * MAX_NESTING)
        + " deep\n\n## 改善が必要なこと（Bad）\n\n- after\n",
    ],
    ids=["list at the limit", "list far past it", "block quotes"],
)
def test_nesting_past_the_limit_is_refused_naming_the_line(text: str) -> None:
    with pytest.raises(TooLargeError, match=f"nested {MAX_NESTING} levels deep or more") as refused:
        parse_markdown(text)
    assert refused.value.line is not None
    assert 3 <= refused.value.line <= text.count("\n")
