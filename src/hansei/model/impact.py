"""Who and what the incident hurt."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hansei.model.enums import Severity
from hansei.model.limits import Minutes
from hansei.model.text import Line, OptionalLine


class Impact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    services: list[Line] = Field(default_factory=list)
    users_affected: OptionalLine = None
    severity: Severity | None = None
    downtime_minutes: Minutes | None = Field(
        default=None, description="Downtime as stated in the document (computed is separate)."
    )
    data_loss: bool | None = None


class BusinessImpact(BaseModel):
    model_config = ConfigDict(extra="forbid")

    users_affected: OptionalLine = None
    failed_requests: OptionalLine = None
    estimated_loss: OptionalLine = None
