"""The service level objective the incident is measured against."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hansei.model.limits import MAX_SLO_TARGET, MAX_WINDOW_DAYS


class Slo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    target: float | None = Field(
        default=None,
        gt=0,
        le=MAX_SLO_TARGET,
        allow_inf_nan=False,
        description="e.g. 0.999 for 99.9%",
    )
    window_days: int = Field(default=30, gt=0, le=MAX_WINDOW_DAYS)
