"""What a line is, for every part of hansei that counts or splits them.

A line ends at `\\r\\n`, a lone `\\r` or `\\n`, and at nothing else. `str.splitlines`
also ends lines at `\\x0b`, `\\x0c`, `\\x1c`–`\\x1e`, `\\x85`, U+2028 and U+2029, which
markdown-it does not: a parser, lint and `lint --fix` that split differently point
at different lines. `\\r\\r\\n` is two line ends (a lone `\\r`, then `\\r\\n`), as in
markdown-it.
"""

from __future__ import annotations

import re

_LINE_END = re.compile(r"\r\n|\r|\n")


def normalise_line_endings(text: str) -> str:
    """`text` with every line end written `\\n`: the same lines, the same numbers."""
    return _LINE_END.sub("\n", text)


def split_lines(text: str) -> list[str]:
    """The lines without their ends; one more than there are line ends
    (`"a\\n"` is `["a", ""]`), so that line N is `split_lines(text)[N - 1]`."""
    return normalise_line_endings(text).split("\n")


def split_keeping_ends(text: str) -> list[tuple[str, str]]:
    """Each line and the end it was written with (`""` for the last), numbered as
    `split_lines`; joining them all gives `text` back unchanged."""
    pieces = _LINE_END.split(text)
    ends = _LINE_END.findall(text)
    return list(zip(pieces, [*ends, ""], strict=True))


def line_count(text: str) -> int:
    """How many lines `split_lines` gives: the line ends, plus one."""
    return len(_LINE_END.findall(text)) + 1


def first_line(text: str) -> str:
    """The text up to its first line end."""
    return _LINE_END.split(text, maxsplit=1)[0]


_LINE_END_BYTES = re.compile(rb"\r\n|\r|\n")


def line_starts(source: bytes) -> list[int]:
    """The offset in UTF-8 `source` at which each line starts (line N at index N - 1)."""
    return [0, *(found.end() for found in _LINE_END_BYTES.finditer(source))]
