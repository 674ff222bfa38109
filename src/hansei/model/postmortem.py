"""The postmortem document: the canonical model of DESIGN.md."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hansei.config import TimezoneName
from hansei.model.actions import ActionItem
from hansei.model.appendix import Appendix
from hansei.model.enums import Language, Status
from hansei.model.impact import BusinessImpact, Impact
from hansei.model.limits import Day
from hansei.model.links import Link
from hansei.model.rca import Rca
from hansei.model.reviews import Review
from hansei.model.sections import ExtraSection
from hansei.model.slo import Slo
from hansei.model.stated import StatedMetrics
from hansei.model.steps import Prevention, Step
from hansei.model.text import Line, OptionalLine, OptionalText
from hansei.model.timeline import TimelineEvent
from hansei.model.times import TIME_FIELDS, Times

DEFAULT_TIMEZONE = "Asia/Tokyo"


class Postmortem(BaseModel):
    """One postmortem. Every field but the lists is nullable: missing is not an error here.

    Timestamps are kept in the document's timezone; a timestamp given without
    an offset is read in that timezone.
    """

    model_config = ConfigDict(extra="forbid")

    title: OptionalLine = None
    date: Day | None = None
    author: OptionalLine = None
    reviewers: list[Line] = Field(default_factory=list)
    status: Status = Status.draft
    language: Language = Language.ja
    timezone: TimezoneName = DEFAULT_TIMEZONE
    summary: OptionalText = None
    times: Times = Field(default_factory=Times)
    impact: Impact = Field(default_factory=Impact)
    slo: Slo = Field(default_factory=Slo)
    timeline: list[TimelineEvent] = Field(default_factory=list)
    rca: Rca = Field(default_factory=Rca)
    mitigation: list[Step] = Field(default_factory=list)
    resolution: list[Step] = Field(default_factory=list)
    went_well: list[Line] = Field(default_factory=list)
    went_wrong: list[Line] = Field(default_factory=list)
    learned: list[Line] = Field(default_factory=list)
    action_items: list[ActionItem] = Field(default_factory=list)
    prevention: Prevention = Field(default_factory=Prevention)
    related_docs: list[Link] = Field(default_factory=list)
    business_impact: BusinessImpact = Field(default_factory=BusinessImpact)
    reviews: list[Review] = Field(default_factory=list)
    appendix: Appendix = Field(default_factory=Appendix)
    extra_sections: list[ExtraSection] = Field(default_factory=list)
    stated: StatedMetrics = Field(default_factory=StatedMetrics)

    @model_validator(mode="after")
    def _times_in_document_timezone(self) -> Postmortem:
        # Copies, not edits: the caller's Times and rows may belong to other documents.
        zone = ZoneInfo(self.timezone)
        moved = {
            name: _in_zone(value, zone)
            for name in TIME_FIELDS
            if (value := getattr(self.times, name)) is not None and value.tzinfo is not zone
        }
        if moved:
            self.times = self.times.model_copy(update=moved)
        self.timeline = [
            row
            if row.at is None or row.at.tzinfo is zone
            else row.model_copy(update={"at": _in_zone(row.at, zone)})
            for row in self.timeline
        ]
        return self

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def to_json_dict(self) -> dict[str, Any]:
        """The canonical JSON form (ISO 8601 timestamps with offset)."""
        return self.model_dump(mode="json")


def _in_zone(value: datetime, zone: ZoneInfo) -> datetime:
    if value.tzinfo is None:
        return value.replace(tzinfo=zone)
    return value.astimezone(zone)
