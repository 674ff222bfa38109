"""The canonical postmortem model (DESIGN.md): pydantic models and enums, no I/O."""

from hansei.model.actions import ActionItem
from hansei.model.appendix import Appendix, LogSample
from hansei.model.enums import (
    HORIZON_DAYS,
    ActionStatus,
    Horizon,
    Language,
    ReviewStatus,
    Severity,
    Status,
)
from hansei.model.impact import BusinessImpact, Impact
from hansei.model.links import Link, is_absolute_url, issue_label
from hansei.model.postmortem import DEFAULT_TIMEZONE, Postmortem
from hansei.model.rca import Rca, Why
from hansei.model.reviews import Review
from hansei.model.sections import ExtraSection
from hansei.model.slo import Slo
from hansei.model.stated import StatedMetrics
from hansei.model.steps import Prevention, Step
from hansei.model.timeline import EventKind, TimelineEvent, classify_event
from hansei.model.times import TIME_FIELDS, Times

__all__ = [
    "DEFAULT_TIMEZONE",
    "HORIZON_DAYS",
    "TIME_FIELDS",
    "ActionItem",
    "ActionStatus",
    "Appendix",
    "BusinessImpact",
    "EventKind",
    "ExtraSection",
    "Horizon",
    "Impact",
    "Language",
    "Link",
    "LogSample",
    "Postmortem",
    "Prevention",
    "Rca",
    "Review",
    "ReviewStatus",
    "Severity",
    "Slo",
    "StatedMetrics",
    "Status",
    "Step",
    "TimelineEvent",
    "Times",
    "Why",
    "classify_event",
    "is_absolute_url",
    "issue_label",
]
