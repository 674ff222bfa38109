"""The review history of a postmortem."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from hansei.model.enums import ReviewStatus
from hansei.model.limits import Day
from hansei.model.text import OptionalLine


class Review(BaseModel):
    model_config = ConfigDict(extra="forbid")

    date: Day | None = None
    reviewer: OptionalLine = None
    comment: OptionalLine = None
    status: ReviewStatus | None = None


def person(name: str | None) -> str:
    """Who a name in a document means: `@Mori`, `mori` and ` @mori ` are one person."""
    return (name or "").strip().lstrip("@").lower()
