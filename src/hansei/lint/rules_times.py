"""Times that go backwards: key times out of order, timeline rows out of order."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import pairwise

from hansei.lint.context import LintContext
from hansei.lint.findings import Finding, Severity
from hansei.lint.registry import rule
from hansei.metrics import key_times

_ORDER = (
    ("occurred", "発生", "impact start"),
    ("detected", "検知", "detection"),
    ("response_started", "対応開始", "response start"),
    ("mitigated", "部分復旧", "mitigation"),
    ("recovered", "復旧", "recovery"),
    ("resolved", "完全解決", "resolution"),
)


@rule(
    "time-order",
    Severity.error,
    summary="A time comes before one it must follow.",
    explanation="Impact start ≤ detection ≤ response start ≤ mitigation ≤ recovery ≤ resolution, "
    "and timeline rows go forward. A time out of order is usually a typo (a wrong day or "
    "hour) and makes every duration that uses it wrong or missing.",
    fix="Correct the time; a timeline row after midnight may need its date (MM-DD HH:MM).",
)
def time_order(context: LintContext) -> Iterator[Finding]:
    times = key_times(context.postmortem)
    known = [
        (name, ja, en, value)
        for name, ja, en in _ORDER
        if (value := getattr(times, name)) is not None
    ]
    for (_, ja_before, en_before, before), (name, ja, en, value) in pairwise(known):
        if value < before:
            yield context.finding(
                "time-order",
                Severity.error,
                context.line_of(f"times.{name}", context.line_of("timeline")),
                f"{ja}（{value:%Y-%m-%d %H:%M}）が{ja_before}（{before:%Y-%m-%d %H:%M}）より前です",
                f"{en} ({value:%Y-%m-%d %H:%M}) is before {en_before} ({before:%Y-%m-%d %H:%M})",
            )
    previous = None
    for index, row in enumerate(context.postmortem.timeline):
        if row.at is None:
            continue
        if previous is not None and row.at < previous:
            yield context.finding(
                "time-order",
                Severity.error,
                context.line_of(f"timeline[{index}]"),
                f"タイムラインの行（{row.at:%m-%d %H:%M}）が前の行より前の時刻です",
                f"timeline row ({row.at:%m-%d %H:%M}) is earlier than the row before it",
            )
        previous = row.at
