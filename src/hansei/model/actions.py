"""Action items: the follow-up work, in three horizons."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from hansei.model.enums import ActionStatus, Horizon
from hansei.model.text import OptionalLine


class ActionItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int | None = Field(default=None, ge=0)
    horizon: Horizon
    task: OptionalLine = None
    owner: OptionalLine = None
    due: date | None = None
    status: ActionStatus | None = None
