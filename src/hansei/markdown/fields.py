"""`**label**: value` lines, and the words used for statuses and severities."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

from hansei.markdown.values import fold, is_placeholder
from hansei.model import ActionStatus, ReviewStatus, Severity, Status

_T = TypeVar("_T")

# Each run of spaces belongs to one part (possessive `*+`), and the value's ends are
# stripped after the match: a line of 20,000 spaces is one pass, not billions of ways
# to share the spaces out.
_FIELD_LINE = re.compile(
    r"^\s*+(?:[-*+]\s++)?(?:\*\*|__)?\s*+(?P<label>[^:：*_\n]{1,40}?)\s*+(?:\*\*|__)?\s*+"
    r"(?:[（(][^)）\n]*+[)）])?\s*+[:：](?:\*\*|__)?"
    r"(?P<value>.*)$"
)


# Emphasis is how a value looks, not what it is: `**Payment API**, Checkout` → `Payment API, …`.
_EMPHASIS = re.compile(r"\*\*(.+?)\*\*")  # not `__`: `__init__` is a name, not emphasis


@dataclass(frozen=True)
class FieldLine:
    label: str
    value: str
    line: int


def field_line(text: str, line: int) -> FieldLine | None:
    """`**検知**: …`, `**検知:** …`, `- 検知：…` as (label, value); None for other text."""
    parts = _field_parts(text)
    return None if parts is None else FieldLine(parts[0], parts[1], line)


@lru_cache(maxsize=8192)
def _field_parts(text: str) -> tuple[str, str] | None:
    match = _FIELD_LINE.match(text)
    return None if match is None else (match["label"].strip(), match["value"].strip())


def without_emphasis(text: str) -> str:
    return _EMPHASIS.sub(r"\1", text).strip()


_STRUCK = re.compile(r"~~.*?~~")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


def chosen_option(text: str) -> str:
    """The option picked in `Draft / Review / Final`: the one left unstruck, or the bold one."""
    kept = _STRUCK.sub("", text)
    if kept != text:
        kept = re.sub(r"^[\s/]+|[\s/]+$", "", re.sub(r"(?:\s*/\s*){2,}", " / ", kept))
    if "/" in kept:
        bold = [match.group(1) or match.group(2) for match in _BOLD.finditer(kept)]
        if len(bold) == 1:
            return str(bold[0])
    return without_emphasis(kept)


def strip_emphasis(text: str) -> str:
    stripped = text.strip()
    for mark in ("**", "__"):
        if stripped.startswith(mark) and stripped.endswith(mark) and len(stripped) > 2 * len(mark):
            return stripped[len(mark) : -len(mark)].strip()
    return stripped


def _words(*words: str) -> re.Pattern[str]:
    """A pattern for whole words: `done` not inside `undone`, `完了` not after `未` (not yet)."""
    parts = []
    for word in words:
        escaped = re.escape(word).replace("\\ ", r"\s*")
        if word.isascii():
            parts.append(rf"(?<![a-z]){escaped}(?![a-z])")
        else:
            parts.append(rf"(?<![未非不]){escaped}")
    return re.compile("|".join(parts))


def _first(text: str, table: tuple[tuple[_T, re.Pattern[str]], ...]) -> list[_T]:
    folded = fold(text).lower()
    return [value for value, pattern in table if pattern.search(folded)]


_STATUS_WORDS: tuple[tuple[Status, re.Pattern[str]], ...] = (
    (Status.draft, _words("draft", "下書き", "ドラフト", "作成中", "未確定", "未承認")),
    (Status.review, _words("review", "in review", "レビュー", "確認中")),
    (Status.final, _words("final", "確定", "最終", "完了", "承認済")),
)


@lru_cache(maxsize=4096)
def parse_status(text: str) -> Status | None:
    """The document status; None for the unchosen `Draft / Review / Final`."""
    chosen = chosen_option(text)
    found = _first(chosen, _STATUS_WORDS)
    if len(found) > 1 and "/" in chosen:
        return None
    if found:
        return found[0]
    raise ValueError(f"unknown status {text.strip()!r} (expected Draft, Review or Final)")


_SEVERITY_WORDS: tuple[tuple[Severity, re.Pattern[str]], ...] = (
    (Severity.critical, _words("critical", "致命", "緊急")),
    (Severity.high, _words("high", "重大", "高")),
    (Severity.medium, _words("medium", "moderate", "中")),
    (Severity.low, _words("low", "minor", "軽微", "低")),
)
# Incident levels, read only when no severity word is written (`High (P1)` is high).
_SEVERITY_LEVELS: tuple[tuple[Severity, re.Pattern[str]], ...] = tuple(
    (severity, re.compile(rf"(?<![a-z0-9])(?:sev\s*-?\s*{levels}|p{levels})(?![0-9])"))
    for severity, levels in (
        (Severity.critical, "[01]"),
        (Severity.high, "2"),
        (Severity.medium, "3"),
        (Severity.low, "[45]"),
    )
)


@lru_cache(maxsize=4096)
def parse_severity(text: str) -> Severity | None:
    chosen = chosen_option(text)
    if is_placeholder(chosen):
        return None
    found = _first(chosen, _SEVERITY_WORDS) or _first(chosen, _SEVERITY_LEVELS)
    if len(found) > 1 and "/" in chosen:
        return None
    if found:
        return found[0]
    raise ValueError(f"unknown severity {text.strip()!r} (expected Critical, High, Medium or Low)")


_ACTION_MARKS: tuple[tuple[ActionStatus, tuple[str, ...]], ...] = (
    (ActionStatus.done, ("✅", "✔", "☑", "🟢")),
    (ActionStatus.in_progress, ("🔄", "⏳", "🚧", "🟡")),
    (ActionStatus.todo, ("📝", "⬜", "🔲", "☐", "🔴")),
)
# Checked in order: "not done" is todo before "done" is done.
_ACTION_WORDS: tuple[tuple[ActionStatus, re.Pattern[str]], ...] = (
    (
        ActionStatus.todo,
        _words("not done", "not started", "not yet", "incomplete", "未完了", "未着手", "未対応"),
    ),
    (
        ActionStatus.in_progress,
        _words("in progress", "in-progress", "wip", "doing", "in review", "ongoing"),
    ),
    (
        ActionStatus.in_progress,
        _words("対応中", "進行中", "作業中", "実施中", "着手", "レビュー中"),
    ),
    (ActionStatus.todo, _words("todo", "to do", "to-do", "open", "pending", "planned", "backlog")),
    (ActionStatus.todo, _words("blocked", "on hold", "予定", "保留", "待ち", "未実施")),
    (
        ActionStatus.done,
        _words("done", "closed", "complete", "completed", "resolved", "fixed", "merged"),
    ),
    (ActionStatus.done, _words("完了", "対応済", "済み", "済", "実施済", "リリース済")),
)


@lru_cache(maxsize=4096)
def parse_action_status(text: str) -> ActionStatus | None:
    """Todo, in progress or done, from words (first) or emoji; blocked and on hold are todo."""
    if is_placeholder(text):
        return None
    found = _first(text, _ACTION_WORDS)
    if found:
        return found[0]
    for status, marks in _ACTION_MARKS:
        if any(mark in text for mark in marks):
            return status
    raise ValueError(f"unknown action status {text.strip()!r} (expected Todo, In Progress or Done)")


_REVIEW_WORDS: tuple[tuple[ReviewStatus, re.Pattern[str]], ...] = (
    (ReviewStatus.changes_requested, _words("changes requested", "request changes", "rejected")),
    (ReviewStatus.changes_requested, _words("差し戻し", "要修正", "修正依頼")),
    (ReviewStatus.approved, _words("approved", "approve", "承認", "lgtm")),
    (ReviewStatus.final, _words("final", "確定", "最終")),
    (ReviewStatus.review, _words("review", "レビュー")),
    (ReviewStatus.draft, _words("draft", "下書き", "ドラフト")),
)


@lru_cache(maxsize=4096)
def parse_review_status(text: str) -> ReviewStatus | None:
    if is_placeholder(text):
        return None
    found = _first(text, _REVIEW_WORDS)
    if found:
        return found[0]
    raise ValueError(f"unknown review status {text.strip()!r} (expected Draft, Review or Final)")
