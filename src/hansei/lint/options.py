"""What a team can set for lint, in hansei.toml or [tool.hansei] of pyproject.toml.

timezone = "Asia/Tokyo"        # for documents that name none
disable = ["too-few-whys"]     # rules turned off
min_whys = 5
blame_words = ["戦犯"]         # more blaming words to flag

[slo]
target = 0.999                 # for documents that state none
[slo.services."Walk API"]
target = 0.9995                # for documents about this service
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hansei.config import DEFAULT_LIMITS, DocumentLimits, known_timezone
from hansei.model.limits import MAX_SLO_TARGET, MAX_WINDOW_DAYS


class ServiceSlo(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    target: float = Field(gt=0, le=MAX_SLO_TARGET)
    window_days: int | None = Field(default=None, gt=0, le=MAX_WINDOW_DAYS)


class SloSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    target: float | None = Field(default=None, gt=0, le=MAX_SLO_TARGET)
    window_days: int | None = Field(default=None, gt=0, le=MAX_WINDOW_DAYS)
    services: dict[str, ServiceSlo] = Field(default_factory=dict)


class LintOptions(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    timezone: str | None = None
    disable: tuple[str, ...] = ()
    min_whys: int = Field(default=5, ge=1)
    blame_words: tuple[str, ...] = ()
    slo: SloSettings = Field(default_factory=SloSettings)
    limits: DocumentLimits = DEFAULT_LIMITS

    @field_validator("timezone")
    @classmethod
    def _known(cls, value: str | None) -> str | None:
        return None if value is None else known_timezone(value)

    @property
    def disabled(self) -> tuple[str, ...]:
        return self.disable

    def slo_for(self, services: list[str]) -> tuple[float | None, int | None]:
        """The team's SLO target and window for a document about these services."""
        for service in services:
            if service in self.slo.services:
                chosen = self.slo.services[service]
                return chosen.target, chosen.window_days or self.slo.window_days
        return self.slo.target, self.slo.window_days
