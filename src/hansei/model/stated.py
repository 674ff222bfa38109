"""Figures the document states although they can be computed.

hansei computes these from the timestamps. A document may still state them
(typed by hand, or with timestamps missing); they are kept here so that
nothing written is lost, and lint compares them with the computed figures.
A stated figure that reads exactly as the computed one is not kept: the
document then simply shows the computed figure.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hansei.model.limits import Minutes, Percent


class StatedMetrics(BaseModel):
    model_config = ConfigDict(extra="forbid")

    availability_pct: Percent | None = Field(default=None, ge=0, le=100)
    budget_consumed_window_pct: Percent | None = Field(default=None, ge=0)
    budget_remaining_window_pct: Percent | None = None
    budget_window_pct: Percent | None = Field(default=None, ge=0)
    ttd_minutes: Minutes | None = None
    ttm_minutes: Minutes | None = None
    ttr_minutes: Minutes | None = None
    ttf_minutes: Minutes | None = None

    def is_empty(self) -> bool:
        return all(value is None for value in self.model_dump().values())
