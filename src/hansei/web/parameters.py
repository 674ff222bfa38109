"""The bounds of what a request names besides the document: query, path and form parameters.

One place for them, so that the API and the pages refuse the same things with a 422
naming the parameter (a page for a browser) before any work is done: numbers past
what the store can hold (PostgreSQL's `integer`), days outside the model's bounds,
and control characters, which PostgreSQL refuses in text (NUL) and no name holds.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from pydantic import AfterValidator, Field

from hansei.model.limits import (
    MAX_REVISION,
    Day,
    describe_character,
    forbidden_character,
)

RevisionNumber = Annotated[int, Field(ge=1, le=MAX_REVISION)]
"""A revision number, or a row id: 1 to 2^31 - 1."""

Offset = Annotated[int, Field(ge=0, le=MAX_REVISION)]

# A day filter (`since`, `until`) is bounded as the model's dates are: `Day` is theirs.
__all__ = ["Day", "FormLine", "Offset", "RevisionNumber", "refuse_control_characters"]


def _problem(location: str, name: str, message: str) -> dict[str, object]:
    return {"loc": (location, name), "msg": message, "type": "value_error"}


# The sign-in page's `next` is a redirect target that is made safe, never looked up:
# a browser skips tabs and line breaks in it, and so does the page (tests/web).
_MADE_SAFE = frozenset({"next"})


async def refuse_control_characters(request: Request) -> None:
    """Refuse any query or path parameter holding a control character, naming it."""
    problems = [
        _problem("query", name, _message(character))
        for name, value in request.query_params.multi_items()
        if name not in _MADE_SAFE and (character := forbidden_character(name + value)) is not None
    ] + [
        _problem("path", name, _message(character))
        for name, value in request.path_params.items()
        if isinstance(value, str) and (character := forbidden_character(value)) is not None
    ]
    if problems:
        raise RequestValidationError(problems)


def _message(character: str) -> str:
    return f"a control character ({describe_character(character)}) is not allowed"


def _one_line(value: str) -> str:
    character = forbidden_character(value)
    if character is not None:
        raise ValueError(_message(character))
    return value


FormLine = Annotated[str, AfterValidator(_one_line)]
"""A one-line text field of a form or a JSON body (a name, a label): no control characters."""
