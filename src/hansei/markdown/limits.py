"""Refusing a document too large to read before any work is done on it.

The limits (config.DocumentLimits) keep reading, linting and rendering one
document well under a second whatever it holds; each refusal names the line
and the setting that raises the limit.
"""

from __future__ import annotations

from hansei.config import DocumentLimits
from hansei.errors import TooLargeError
from hansei.markdown.lines import split_lines
from hansei.markdown.render import render_markdown
from hansei.model import Postmortem


def megabytes(size: int, *, beside: int | None = None) -> str:
    """`51.2 MB`: decimal megabytes; in bytes where one decimal would not tell `size`
    from `beside`, or from nothing."""
    shown = _one_decimal(size)
    if shown == "0" or (beside not in (None, size) and shown == _one_decimal(beside)):
        return f"{size:,} bytes"
    return f"{shown} MB"


def _one_decimal(size: int | None) -> str:
    return f"{(size or 0) / 1_000_000:.1f}".removesuffix(".0")


def check_size(size: int, limits: DocumentLimits) -> None:
    """Refuse `size` bytes of UTF-8 over the limit: `too large (N MB, limit M MB)`."""
    if size > limits.max_bytes:
        raise TooLargeError(
            f"too large ({megabytes(size, beside=limits.max_bytes)}, "
            f"limit {megabytes(limits.max_bytes)}): HANSEI_MAX_DOCUMENT_BYTES sets the limit"
        )


def check_text(text: str, limits: DocumentLimits) -> None:
    """Refuse a text that is over any limit, naming the line."""
    if len(text) > limits.max_bytes or len(text.encode("utf-8")) > limits.max_bytes:
        check_size(len(text.encode("utf-8")), limits)
    lines = split_lines(text)
    if len(lines) > limits.max_lines:
        raise TooLargeError(
            f"too many lines ({len(lines):,}, limit {limits.max_lines:,}): "
            "HANSEI_MAX_DOCUMENT_LINES sets the limit",
            line=limits.max_lines + 1,
        )
    cells = 0
    for number, line in enumerate(lines, start=1):
        if len(line) > limits.max_line_chars:
            raise TooLargeError(
                f"line too long ({len(line):,} characters, limit {limits.max_line_chars:,}): "
                "HANSEI_MAX_LINE_CHARS sets the limit",
                line=number,
            )
        if "|" in line:
            # Each `|` may start a cell: an upper bound on what the table reader builds.
            # Lines in code blocks count too: whether a line is in one is for the Markdown
            # parser to say (a fence in a list item ends with the item, a backtick fence
            # takes no backtick after it), and guessing it here let tables past the limit in.
            cells += line.count("|") + 1
            if cells > limits.max_table_cells:
                raise TooLargeError(
                    f"too many table cells (over {limits.max_table_cells:,} by this line): "
                    "HANSEI_MAX_TABLE_CELLS sets the limit",
                    line=number,
                )


def check_postmortem(postmortem: Postmortem, limits: DocumentLimits) -> None:
    """Refuse a document (sent as JSON) whose Markdown would be refused when read back."""
    check_text(render_markdown(postmortem), limits)
