"""Rules on the document as a whole: placeholders, missing fields, unreadable values, approval."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from hansei.lint.context import LintContext
from hansei.lint.findings import Finding, Severity
from hansei.lint.registry import rule
from hansei.markdown.vocabulary import PLACEHOLDERS
from hansei.metrics import key_times
from hansei.model import ReviewStatus, Status
from hansei.model.reviews import person


@lru_cache(maxsize=1)
def _placeholder_pattern() -> re.Pattern[str]:
    words = {
        text.replace(" {tz}", "")
        for table in PLACEHOLDERS.values()
        for text in table.values()
        if text not in ("-",)
    }
    alternatives = sorted((re.escape(word) for word in words), key=len, reverse=True)
    return re.compile(
        r"\[(?:例|e\.g\.)\s*[:：][^\]]*\]|YYYY-MM-DD|(?<![\w:])HH:MM(?::SS)?|"
        + "|".join(alternatives)
    )


def _may_hold_placeholder(line: str) -> bool:
    # Every placeholder has a bracket, a slash between choices, or YYYY / HH.
    return "[" in line or " / " in line or "YYYY" in line or "HH:" in line


@rule(
    "placeholder",
    Severity.warning,
    summary="A placeholder from the template is still in the document.",
    explanation="Markers such as [担当者名], [例: 15分], YYYY-MM-DD, HH:MM or "
    "'Draft / Review / Final' mean a value was never filled in; hansei reads them as missing.",
    fix="Replace the marker with the real value, or delete the line or row.",
)
def placeholders(context: LintContext) -> Iterator[Finding]:
    in_fence = False
    pattern = _placeholder_pattern()
    for number, line in enumerate(context.lines, start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        found = pattern.search(line) if _may_hold_placeholder(line) else None
        if found:
            yield context.finding(
                "placeholder",
                Severity.warning,
                number,
                f"テンプレートのプレースホルダー {found.group(0)!r} が残っています",
                f"template placeholder {found.group(0)!r} is still here",
            )


_REQUIRED: tuple[tuple[str, str, str], ...] = (
    ("title", "タイトル", "title"),
    ("date", "日付", "date"),
    ("author", "著者", "author"),
    ("summary", "概要", "summary"),
    ("times.detected", "検知時刻", "detection time"),
    ("times.recovered", "復旧時刻", "recovery time"),
    ("impact.services", "影響を受けたサービス", "affected services"),
    ("impact.severity", "影響度", "severity"),
)


@rule(
    "missing-field",
    Severity.warning,
    summary="A field every postmortem needs is empty.",
    explanation="Title, date, author, summary, detection and recovery times, affected services "
    "and severity are what readers and the metrics depend on. Detection and recovery may "
    "also come from the timeline (アラート検知, 完全復旧).",
    fix="Fill the field in the section the template gives it.",
)
def missing_fields(context: LintContext) -> Iterator[Finding]:
    pm = context.postmortem
    times = key_times(pm)
    present = {
        "title": pm.title,
        "date": pm.date,
        "author": pm.author,
        "summary": pm.summary,
        "times.detected": times.detected,
        "times.recovered": times.recovered,
        "impact.services": pm.impact.services or None,
        "impact.severity": pm.impact.severity,
    }
    for path, ja, en in _REQUIRED:
        if present[path] is None:
            yield context.finding(
                "missing-field",
                Severity.warning,
                context.line_of(path),
                f"{ja}が記入されていません",
                f"the {en} is missing",
            )


@rule(
    "bad-timestamp",
    Severity.error,
    summary="A time, date, duration or timezone cannot be read.",
    explanation="hansei reads many spellings (2025-01-16 12:05 JST, 2025/1/16 12:05, "
    "午後3時5分, 3:05 PM, 15分, 1時間30分); a value in none of them is read as missing, "
    "so every figure that needs it is missing too.",
    fix="Write the value as YYYY-MM-DD HH:MM:SS JST (times), YYYY-MM-DD (dates) or 15分 "
    "(durations).",
)
def bad_timestamps(context: LintContext) -> Iterator[Finding]:
    yield from _diagnostics(context, "bad-timestamp", Severity.error)


@rule(
    "unknown-status",
    Severity.error,
    summary="A status, severity or yes/no word cannot be read.",
    explanation="Statuses are Draft / Review / Final, action items ✅ Done / 🔄 In Progress / "
    "📝 Todo, severities Critical / High / Medium / Low; other words are read as missing.",
    fix="Use one of the template's words.",
)
def unknown_statuses(context: LintContext) -> Iterator[Finding]:
    yield from _diagnostics(context, "unknown-status", Severity.error)


@rule(
    "invalid-value",
    Severity.error,
    summary="A value is out of the bounds a postmortem can mean, or holds control characters.",
    explanation="Times and dates run from 1970-01-01 to 2200-01-01 (UTC), durations up to "
    "230 years, SLO targets up to 99.9999%, action-item numbers up to 10,000 "
    "(docs/format.md, Bounds). A value outside them is read as missing; a control "
    "character (NUL, escape, bell …) is removed from the text around it.",
    fix="Correct the value, or delete the stray character.",
)
def invalid_values(context: LintContext) -> Iterator[Finding]:
    yield from _diagnostics(context, "invalid-value", Severity.error)


def _diagnostics(context: LintContext, code: str, severity: Severity) -> Iterator[Finding]:
    for found in context.result.diagnostics:
        if found.code == code:
            yield Finding(found.line, code, severity, found.message)


@rule(
    "final-without-approval",
    Severity.error,
    summary="The status is Final, but no reviewer other than the author approved it.",
    explanation="A postmortem is trusted once reviewed: Final needs a review history entry "
    "that approves it (Approved, 承認 or Final) by someone who is not the author.",
    fix="Ask a reviewer to approve and record it in レビュー履歴, or set the status back "
    "to Review.",
)
def final_without_approval(context: LintContext) -> Iterator[Finding]:
    pm = context.postmortem
    if pm.status != Status.final:
        return
    approving = (ReviewStatus.approved, ReviewStatus.final)
    author = person(pm.author)
    approved = any(
        review.status in approving and review.reviewer and person(review.reviewer) != author
        for review in pm.reviews
    )
    if not approved:
        yield context.finding(
            "final-without-approval",
            Severity.error,
            context.line_of("status"),
            "ステータスが Final ですが、著者以外のレビュアーによる承認がありません",
            "status is Final but no reviewer other than the author approved it",
        )
