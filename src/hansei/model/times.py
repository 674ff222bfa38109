"""The incident's key timestamps, as stated in the document."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

TIME_FIELDS = ("occurred", "detected", "response_started", "mitigated", "recovered", "resolved")


class Times(BaseModel):
    """Each timestamp is ISO 8601 with an offset, or None when not stated.

    `occurred` and `mitigated` are often not stated: the metrics take them from
    the timeline (DESIGN.md, definitions).
    """

    model_config = ConfigDict(extra="forbid")

    occurred: datetime | None = None
    detected: datetime | None = None
    response_started: datetime | None = None
    mitigated: datetime | None = None
    recovered: datetime | None = None
    resolved: datetime | None = None
