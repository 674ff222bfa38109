"""The review history of a postmortem."""

from __future__ import annotations

from datetime import date as Date

from pydantic import BaseModel, ConfigDict

from hansei.model.enums import ReviewStatus
from hansei.model.text import OptionalLine


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: Date | None = None
    reviewer: OptionalLine = None
    comment: OptionalLine = None
    status: ReviewStatus | None = None
