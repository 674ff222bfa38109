"""Timeline rows, and what a row's event means for the incident's key times."""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from hansei.model.text import OptionalLine


class TimelineEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    at: datetime | None = None
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


# Checked in this order: "部分復旧" must win over "復旧", "完全解決" over "解決".
_EVENT_PATTERNS: tuple[tuple[EventKind, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(pattern, re.IGNORECASE))
    for kind, pattern in (
        (
            EventKind.occurred,
            r"インシデント発生|障害発生|incident (start|began|begins)|impact start",
        ),
        (EventKind.mitigated, r"部分復旧|暫定復旧|mitigat|partial(ly)? recover"),
        (EventKind.resolved, r"完全解決|恒久対応完了|fully resolved|^resolved$"),
        (
            EventKind.recovered,
            r"完全復旧|^復旧$|復旧確認|^recovered$|full(y)? recover|service restored",
        ),
        (
            EventKind.detected,
            r"アラート検知|^検知$|障害検知|^detected$|alert (fired|detected|received)",
        ),
        (EventKind.response_started, r"対応開始|response started|investigation started"),
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
