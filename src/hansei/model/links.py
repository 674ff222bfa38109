"""A titled link (related documents, references)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict

from hansei.model.text import Line, OptionalLine

# Schemes that make a link run code or carry a document of its own when clicked.
# Browsers skip control characters and spaces inside a scheme, so those are ignored.
_UNSAFE_SCHEME = re.compile(r"^(?:javascript|vbscript|data):", re.IGNORECASE)
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")


def is_unsafe_url(url: str) -> bool:
    return bool(_UNSAFE_SCHEME.match(_IGNORED_BY_BROWSERS.sub("", url)))


def _safe_url(url: str | None) -> str | None:
    if url is not None and is_unsafe_url(url):
        raise ValueError("a link may not use javascript:, vbscript: or data:")
    return url


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Line
    url: Annotated[OptionalLine, AfterValidator(_safe_url)] = None
