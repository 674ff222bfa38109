"""Sections the template does not know, kept verbatim."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from hansei.model.text import Line, OptionalLine, multiline_characters


class ExtraSection(BaseModel):
    """A section kept as written.

    `after` names the template section it followed (e.g. `timeline`), so that
    rendering puts it back in place; None means right after the header.
    """

    model_config = ConfigDict(extra="forbid")

    title: Line
    level: int = Field(default=2, ge=1, le=6)
    body: str = ""
    after: OptionalLine = None

    @field_validator("body")
    @classmethod
    def _trim_blank_lines(cls, value: str) -> str:
        value = multiline_characters(value)
        return "\n".join(line.rstrip() for line in value.strip("\n").split("\n")).strip("\n")
