"""Markdown in and out: the team's template (Japanese) and its English rendition."""

from hansei.markdown.draft import Diagnostic
from hansei.markdown.html import render_html
from hansei.markdown.parse import ParseResult, parse_markdown
from hansei.markdown.render import render_markdown

__all__ = ["Diagnostic", "ParseResult", "parse_markdown", "render_html", "render_markdown"]
