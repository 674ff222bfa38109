"""Markdown in and out: the team's template (Japanese) and its English rendition."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from hansei.markdown.draft import Diagnostic
from hansei.markdown.parse import ParseResult, parse_markdown
from hansei.markdown.render import render_markdown

if TYPE_CHECKING:
    from hansei.markdown.html import render_html

__all__ = ["Diagnostic", "ParseResult", "parse_markdown", "render_html", "render_markdown"]


def __getattr__(name: str) -> Any:
    """`render_html` on first use: reading and linting need no HTML renderer."""
    if name == "render_html":
        from hansei.markdown.html import render_html

        return render_html
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
