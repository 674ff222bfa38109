"""The service level objective the incident is measured against."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Slo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: float | None = Field(default=None, gt=0, lt=1, description="e.g. 0.999 for 99.9%")
    window_days: int = Field(default=30, gt=0)
