"""Action items: the follow-up work, in three horizons."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from hansei.model.enums import HORIZON_DAYS, ActionStatus, Horizon
from hansei.model.limits import MAX_ACTION_NUMBER, Day
from hansei.model.links import IssueReference
from hansei.model.text import OptionalLine


class ActionItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    number: int | None = Field(default=None, ge=0, le=MAX_ACTION_NUMBER)
    horizon: Horizon
    task: OptionalLine = None
    owner: OptionalLine = None
    due: Day | None = None
    status: ActionStatus | None = None
    issue_url: IssueReference = None
    """The tracker issue that follows this item up (written by `hansei actions export`)."""


def due_in_horizon(horizon: Horizon, due: date, detected_on: date) -> bool:
    """Whether `due` falls within the horizon's days from the day of detection."""
    return 0 <= (due - detected_on).days <= HORIZON_DAYS[horizon]
