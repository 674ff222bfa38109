"""Timeline rows, and what a row's event means for the incident's key times."""

from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from hansei.model.limits import Instant
from hansei.model.text import OptionalLine


class TimelineEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: Instant | None = None
    event: OptionalLine = None
    actor: OptionalLine = None
    action: OptionalLine = None


class EventKind(StrEnum):
    """The key moments a timeline row can mark (DESIGN.md, definitions)."""

    occurred = "occurred"
    detected = "detected"
    response_started = "response_started"
    mitigated = "mitigated"
    recovered = "recovered"
    resolved = "resolved"


# Checked in this order: a row names the moment it reached, so "部分復旧" wins over
# "復旧", "障害発生を検知" is a detection, and "Mitigation started" names no moment.
_EVENT_PATTERNS: tuple[tuple[EventKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            EventKind.mitigated,
            r"部分復旧|暫定復旧|一部復旧|\bmitigated\b|partial(ly)? (recover|restor)",
        ),
        (
            EventKind.resolved,
            r"完全解決|恒久対応完了|恒久対策完了|\bresolved\b|\bfix(ed)? deployed",
        ),
        (
            EventKind.recovered,
            r"完全復旧|復旧完了|復旧確認|サービス復旧|^復旧$"
            r"|\brecovered\b|\brestored\b|full(y)? recover",
        ),
        (
            EventKind.detected,
            r"検知|検出|アラート発火|アラート発報"
            r"|\bdetected\b|alert (fired|triggered|received)|\bpaged\b",
        ),
        (EventKind.response_started, r"対応開始|調査開始|response started|investigation started"),
        (
            EventKind.occurred,
            r"インシデント発生|障害発生|影響開始|incident (start|began)|impact start",
        ),
    )
)


def classify_event(event: str | None) -> EventKind | None:
    """Which key moment a timeline event names, if any."""
    if not event:
        return None
    text = event.strip()
    for kind, pattern in _EVENT_PATTERNS:
        if pattern.search(text):
            return kind
    return None
