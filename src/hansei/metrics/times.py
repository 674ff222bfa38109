"""The incident's key times: stated, or taken from the timeline (DESIGN.md)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from hansei.model import EventKind, Postmortem, classify_event


@dataclass(frozen=True)
class KeyTimes:
    occurred: datetime | None
    detected: datetime | None
    response_started: datetime | None
    mitigated: datetime | None
    recovered: datetime | None
    resolved: datetime | None


def key_times(postmortem: Postmortem) -> KeyTimes:
    """Stated times win; a missing one comes from the first timeline row that marks it.

    `mitigated` falls back to `recovered` (DESIGN.md: the first partial
    recovery, else recovery).
    """
    from_timeline: dict[EventKind, datetime] = {}
    for row in postmortem.timeline:
        kind = classify_event(row.event)
        if kind is not None and row.at is not None and kind not in from_timeline:
            from_timeline[kind] = row.at
    stated = postmortem.times

    def pick(value: datetime | None, kind: EventKind) -> datetime | None:
        return value if value is not None else from_timeline.get(kind)

    recovered = pick(stated.recovered, EventKind.recovered)
    mitigated = pick(stated.mitigated, EventKind.mitigated)
    return KeyTimes(
        occurred=pick(stated.occurred, EventKind.occurred),
        detected=pick(stated.detected, EventKind.detected),
        response_started=pick(stated.response_started, EventKind.response_started),
        mitigated=mitigated if mitigated is not None else recovered,
        recovered=recovered,
        resolved=pick(stated.resolved, EventKind.resolved),
    )


def minutes_between(start: datetime | None, end: datetime | None) -> float | None:
    """Minutes from start to end, computed in UTC; None when unknown or negative."""
    if start is None or end is None:
        return None
    # Subtracting two datetimes that share a tzinfo ignores DST offsets: go through UTC.
    seconds = (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds()
    if seconds < 0:
        return None
    return seconds / 60
