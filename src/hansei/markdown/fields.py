"""`**label**: value` lines, and the words used for statuses and severities."""

from __future__ import annotations

import re
from dataclasses import dataclass

from hansei.markdown.values import fold, is_placeholder
from hansei.model import ActionStatus, ReviewStatus, Severity, Status

_FIELD_LINE = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)?\s*(?P<label>[^:：*_\n]{1,60}?)\s*(?:\*\*|__)?\s*"
    r"(?:[（(][^)）\n]*[)）])?\s*[:：]\s*"
    r"(?:\*\*|__)?\s*(?P<value>.*?)\s*$"
)


@dataclass(frozen=True)
class FieldLine:
    label: str
    value: str
    line: int


def field_line(text: str, line: int) -> FieldLine | None:
    """`**検知**: …`, `**検知:** …`, `- 検知：…` as (label, value); None for other text."""
    match = _FIELD_LINE.match(text)
    if not match:
        return None
    return FieldLine(match.group("label").strip(), match.group("value").strip(), line)


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
    return kept


def strip_emphasis(text: str) -> str:
    stripped = text.strip()
    for mark in ("**", "__"):
        if stripped.startswith(mark) and stripped.endswith(mark) and len(stripped) > 2 * len(mark):
            return stripped[len(mark) : -len(mark)].strip()
    return stripped


_STATUS_WORDS: tuple[tuple[Status, tuple[str, ...]], ...] = (
    (Status.final, ("final", "確定", "最終", "完了", "承認済")),
    (Status.review, ("review", "レビュー", "確認中")),
    (Status.draft, ("draft", "下書き", "ドラフト", "作成中")),
)


def parse_status(text: str) -> Status | None:
    """The document status; None for the unchosen `Draft / Review / Final`."""
    folded = fold(chosen_option(text)).lower()
    found = [status for status, words in _STATUS_WORDS if any(word in folded for word in words)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1 and "/" in folded:
        return None
    if found:
        return found[0]
    raise ValueError(f"unknown status {text.strip()!r} (expected Draft, Review or Final)")


_SEVERITY_WORDS: tuple[tuple[Severity, tuple[str, ...]], ...] = (
    (Severity.critical, ("critical", "致命", "緊急", "sev1", "sev 1", "sev-1", "p1", "sev0", "p0")),
    (Severity.high, ("high", "高", "重大", "sev2", "sev 2", "sev-2", "p2")),
    (Severity.medium, ("medium", "中", "sev3", "sev 3", "sev-3", "p3")),
    (Severity.low, ("low", "低", "軽微", "sev4", "sev 4", "sev-4", "p4")),
)


def parse_severity(text: str) -> Severity | None:
    text = chosen_option(text)
    if is_placeholder(text):
        return None
    folded = fold(text).lower()
    found = [sev for sev, words in _SEVERITY_WORDS if any(word in folded for word in words)]
    if len(found) == 1:
        return found[0]
    if len(found) > 1 and "/" in folded:
        return None
    if found:
        return found[0]
    raise ValueError(f"unknown severity {text.strip()!r} (expected Critical, High, Medium or Low)")


_ACTION_MARKS: tuple[tuple[ActionStatus, tuple[str, ...]], ...] = (
    (ActionStatus.done, ("✅", "✔", "☑", "🟢")),
    (ActionStatus.in_progress, ("🔄", "⏳", "🚧", "🟡")),
    (ActionStatus.todo, ("📝", "⬜", "🔲", "☐", "🔴")),
)
_IN_PROGRESS_WORDS = ("in progress", "in-progress", "inprogress", "wip", "doing")
_ACTION_WORDS: tuple[tuple[ActionStatus, tuple[str, ...]], ...] = (
    (ActionStatus.in_progress, (*_IN_PROGRESS_WORDS, "対応中", "進行中", "作業中", "着手済")),
    (ActionStatus.todo, ("todo", "to do", "to-do", "未着手", "未対応", "not started", "open")),
    (ActionStatus.todo, ("予定", "pending")),
    (
        ActionStatus.done,
        ("done", "完了", "対応済", "済", "closed", "complete", "resolved", "fixed"),
    ),
)


def parse_action_status(text: str) -> ActionStatus | None:
    if is_placeholder(text):
        return None
    folded = fold(text).lower()
    for status, words in _ACTION_WORDS:
        if any(word in folded for word in words):
            return status
    for status, marks in _ACTION_MARKS:
        if any(mark in text for mark in marks):
            return status
    raise ValueError(f"unknown action status {text.strip()!r} (expected Todo, In Progress or Done)")


_REVIEW_WORDS: tuple[tuple[ReviewStatus, tuple[str, ...]], ...] = (
    (ReviewStatus.changes_requested, ("changes requested", "request changes", "rejected")),
    (ReviewStatus.changes_requested, ("差し戻し", "要修正", "修正依頼")),
    (ReviewStatus.approved, ("approved", "approve", "承認", "lgtm")),
    (ReviewStatus.final, ("final", "確定", "最終")),
    (ReviewStatus.review, ("review", "レビュー")),
    (ReviewStatus.draft, ("draft", "下書き", "ドラフト")),
)


def parse_review_status(text: str) -> ReviewStatus | None:
    if is_placeholder(text):
        return None
    folded = fold(text).lower()
    for status, words in _REVIEW_WORDS:
        if any(word in folded for word in words):
            return status
    raise ValueError(f"unknown review status {text.strip()!r} (expected Draft, Review or Final)")
