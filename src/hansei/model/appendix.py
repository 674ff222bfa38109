"""The appendix: log samples and references."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hansei.model.links import Link
from hansei.model.text import Line, OptionalLine, multiline_characters


class LogSample(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Line
    lang: OptionalLine = None
    text: str

    @field_validator("text")
    @classmethod
    def _trim_blank_lines(cls, value: str) -> str:
        trimmed = multiline_characters(value).strip("\n")
        if not trimmed.strip():
            raise ValueError("a log sample needs text")
        return trimmed


class Appendix(BaseModel):
    model_config = ConfigDict(extra="forbid")

    logs: list[LogSample] = Field(default_factory=list)
    references: list[Link] = Field(default_factory=list)
