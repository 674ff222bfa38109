"""Root cause analysis: direct causes, the 5 Whys and the root causes."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from hansei.model.text import Line, OptionalLine, OptionalText


class Why(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: OptionalLine = None
    answer: OptionalLine = None


class Rca(BaseModel):
    model_config = ConfigDict(extra="forbid")

    direct_causes: list[Line] = Field(default_factory=list)
    analysis: OptionalText = Field(
        default=None, description="The free-text deep dive the template asks for above the 5 Whys."
    )
    whys: list[Why] = Field(default_factory=list)
    root_causes: list[Line] = Field(default_factory=list)
