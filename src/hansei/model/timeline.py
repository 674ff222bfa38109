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
_EVENT_PATTERNS: tuple[tuple[EventKind, re.Pattern[str]], ...] = (
    (EventKind.occurred, re.compile(r"インシデント発生|障害発生|incident (start|began|begins)|impact start", re.I)),
    (EventKind.mitigated, re.compile(r"部分復旧|暫定復旧|mitigat|partial(ly)? recover", re.I)),
    (EventKind.resolved, re.compile(r"完全解決|恒久対応完了|fully resolved|^resolved$", re.I)),
    (EventKind.recovered, re.compile(r"完全復旧|^復旧$|復旧確認|^recovered$|full(y)? recover|service restored", re.I)),
    (EventKind.detected, re.compile(r"アラート検知|^検知$|障害検知|^detected$|alert (fired|detected|received)", re.I)),
    (EventKind.response_started, re.compile(r"対応開始|response started|investigation started", re.I)),
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
