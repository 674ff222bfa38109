"""A titled link (related documents, references)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from hansei.model.text import Line, OptionalLine


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Line
    url: OptionalLine = None
