"""The parser's work in progress: values found so far, their lines, and diagnostics."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from hansei.markdown.lines import split_lines


@dataclass(frozen=True)
class Diagnostic:
    """Something the parser could not take as written; lint reports these."""

    code: str
    line: int
    field: str
    message: str


@dataclass
class RawValues:
    """What the walk over the sections found, before values are interpreted."""

    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    summary_fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    """Fields written into the summary: used where their own section does not give them."""
    timeline: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    timeline_zone: str | None = None
    action_dues: list[tuple[int, str, int]] = field(default_factory=list)


class Draft:
    """The model as a plain dict being filled in, with the line of every value."""

    def __init__(self, text: str, *, default_timezone: str) -> None:
        self.text = text
        self.default_timezone = default_timezone
        self.source_lines = split_lines(text)
        self.data: dict[str, Any] = {}
        self.lines: dict[str, int] = {}
        self.diagnostics: list[Diagnostic] = []
        self.raw = RawValues()

    def note(self, code: str, line: int, path: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(code, line, path, message))

    def put(self, path: str, value: Any, line: int) -> None:
        """Set `a.b.c` in the data and remember its line."""
        target = self.data
        *parents, last = path.split(".")
        for name in parents:
            target = target.setdefault(name, {})
        target[last] = value
        self.lines[path] = line

    def append(self, path: str, value: Any, line: int) -> int:
        """Append to the list at `a.b`, remember the item's line, return its index."""
        target = self.data
        *parents, last = path.split(".")
        for name in parents:
            target = target.setdefault(name, {})
        items: list[Any] = target.setdefault(last, [])
        items.append(value)
        index = len(items) - 1
        self.lines[f"{path}[{index}]"] = line
        return index

    @property
    def language(self) -> str:
        return str(self.data.get("language", "ja"))


_LAST_STEP = re.compile(r"(\.[^.\[]+|\[\d+\])$")


def nearest_line(lines: dict[str, int], path: str) -> int | None:
    """The line of `path`, else of the nearest value that holds it."""
    while path:
        if path in lines:
            return lines[path]
        shorter = _LAST_STEP.sub("", path)
        if shorter == path:
            return None
        path = shorter
    return None
