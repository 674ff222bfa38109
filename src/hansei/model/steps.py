"""Steps taken or planned: mitigation, resolution and prevention."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hansei.model.text import Line


class Step(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Line
    details: list[Line] = Field(default_factory=list)


class Prevention(BaseModel):
    model_config = ConfigDict(extra="forbid")

    process: list[Step] = Field(default_factory=list)
    technical: list[Step] = Field(default_factory=list)
