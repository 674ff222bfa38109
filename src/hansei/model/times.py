"""The incident's key timestamps, as stated in the document."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from hansei.model.limits import Instant

TIME_FIELDS = ("occurred", "detected", "response_started", "mitigated", "recovered", "resolved")


class Times(BaseModel):
    """Each timestamp is ISO 8601 with an offset, or None when not stated.

    `occurred` and `mitigated` are often not stated: the metrics take them from
    the timeline (DESIGN.md, definitions).
    """

    model_config = ConfigDict(extra="forbid")

    occurred: Instant | None = None
    detected: Instant | None = None
    response_started: Instant | None = None
    mitigated: Instant | None = None
    recovered: Instant | None = None
    resolved: Instant | None = None
