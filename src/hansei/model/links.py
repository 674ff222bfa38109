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


_GITHUB_ISSUE = re.compile(r"^https?://[^/]+/([^/]+/[^/]+)/issues/(\d+)$")


def issue_label(url: str) -> str:
    """`owner/repo#12` for a GitHub (or GitHub Enterprise) issue, else the URL itself."""
    github = _GITHUB_ISSUE.match(url)
    return f"{github[1]}#{github[2]}" if github else url


def _safe_url(url: str | None) -> str | None:
    if url is not None and is_unsafe_url(url):
        raise ValueError("a link may not use javascript:, vbscript: or data:")
    return url


OptionalUrl = Annotated[OptionalLine, AfterValidator(_safe_url)]
"""A link target, or None; never one that runs code when clicked."""

_ISSUE_REFERENCE = re.compile(r"^[^\s<>\[\]()|`]+$")


def _issue_reference(reference: str | None) -> str | None:
    if reference is not None and not _ISSUE_REFERENCE.match(reference):
        raise ValueError(
            "an issue is a URL or a ticket key (`OPS-12`), without spaces, brackets or `|`"
        )
    return reference


IssueReference = Annotated[OptionalUrl, AfterValidator(_issue_reference)]
"""Where an item is tracked: an issue's URL, or a ticket key; None when nowhere."""


def is_absolute_url(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text))


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Line
    url: OptionalUrl = None
