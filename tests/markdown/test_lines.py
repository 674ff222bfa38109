"""One definition of a line: `\r\n`, a lone `\r` or `\n` ends one, nothing else does."""

from __future__ import annotations

import pytest

from hansei.markdown import parse_markdown, render_markdown
from hansei.markdown.html import html_sections
from hansei.markdown.lines import (
    first_line,
    line_count,
    line_starts,
    normalise_line_endings,
    split_keeping_ends,
    split_lines,
)
from tests.conftest import EXAMPLES

WALK = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")

# What str.splitlines ends a line at, and markdown-it does not.
NOT_LINE_ENDS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("a\nb", ["a", "b"]),
        ("a\r\nb", ["a", "b"]),
        ("a\rb", ["a", "b"]),
        ("a\r\r\nb", ["a", "", "b"]),
        ("a\n\rb", ["a", "", "b"]),
        ("a\n", ["a", ""]),
        ("", [""]),
        ("a\rb\r\nc\nd", ["a", "b", "c", "d"]),
    ],
)
def test_a_line_ends_at_crlf_cr_or_lf(text: str, lines: list[str]) -> None:
    assert split_lines(text) == lines
    assert line_count(text) == len(lines)
    assert normalise_line_endings(text) == "\n".join(lines)
    assert first_line(text) == lines[0]


@pytest.mark.parametrize("character", NOT_LINE_ENDS)
def test_other_separators_are_part_of_a_line(character: str) -> None:
    text = f"a{character}b\nc"
    assert split_lines(text) == [f"a{character}b", "c"]
    assert line_count(text) == 2
    assert split_keeping_ends(text) == [(f"a{character}b", "\n"), ("c", "")]


@pytest.mark.parametrize("text", ["a\r\r\nb\rc\n", "", "\n\n", "x\r", "é\r\nü\u2028"])
def test_the_ends_kept_give_the_text_back(text: str) -> None:
    kept = split_keeping_ends(text)
    assert "".join(line + end for line, end in kept) == text
    assert [line for line, _ in kept] == split_lines(text)


def test_line_starts_count_bytes_of_utf8() -> None:
    source = "é\r\nü\rx\ny".encode()
    assert line_starts(source) == [0, 4, 7, 9]


@pytest.mark.parametrize("character", NOT_LINE_ENDS)
def test_the_parser_does_not_end_a_line_at_other_separators(character: str) -> None:
    text = WALK.replace("全面的に停止しました。", f"全面的に停止しました。{character}", 1)
    assert parse_markdown(text).lines["impact.downtime_minutes"] == 29


def test_html_sections_number_lines_as_the_parser_does() -> None:
    # A lone `\r` kept in the summary ends a line when the rendition is read back.
    pm = parse_markdown(WALK).postmortem.model_copy(update={"summary": "first\rsecond"})
    markdown = render_markdown(pm)
    read = parse_markdown(markdown).lines
    sections = {section.heading: section for section in html_sections(pm, markdown)}
    assert sections["タイムライン"].first_line == read["sections.timeline"]
    assert sections["付録"].last_line == line_count(markdown)
