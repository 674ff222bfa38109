"""The closed vocabularies of the model."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    draft = "draft"
    review = "review"
    final = "final"


class Language(StrEnum):
    ja = "ja"
    en = "en"


class Severity(StrEnum):
    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"


class Horizon(StrEnum):
    """How soon an action item is due: within 7, 30 or 90 days of detection."""

    immediate = "immediate"
    short_term = "short_term"
    long_term = "long_term"


class ActionStatus(StrEnum):
    todo = "todo"
    in_progress = "in_progress"
    done = "done"


class ReviewStatus(StrEnum):
    """A review history entry: the document status it moved to, or a reviewer's verdict."""

    draft = "draft"
    review = "review"
    final = "final"
    approved = "approved"
    changes_requested = "changes_requested"


HORIZON_DAYS: dict[Horizon, int] = {
    Horizon.immediate: 7,
    Horizon.short_term: 30,
    Horizon.long_term: 90,
}
