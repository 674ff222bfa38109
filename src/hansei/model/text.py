"""Text types shared by the model: one-line labels and free multi-line text."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, StringConstraints

from hansei.model.limits import check_text_characters


def _single_line(value: str) -> str:
    return check_text_characters(value)


def multiline_characters(value: str) -> str:
    return check_text_characters(value, multiline=True)


def _blank_to_none(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    return value


Line = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_single_line)
]
"""A non-empty single line of text (a title, a table cell, a list item)."""

OptionalLine = Annotated[Line | None, BeforeValidator(_blank_to_none)]
"""A single line, or None for missing; blank strings count as missing."""


def _trim_line_ends(value: str) -> str:
    return "\n".join(line.rstrip() for line in value.split("\n"))


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(multiline_characters),
    AfterValidator(_trim_line_ends),
]
"""Free text that may span lines (a summary, a log sample, a kept section)."""

OptionalText = Annotated[Text | None, BeforeValidator(_blank_to_none)]
