"""Markdown (the template's format, Japanese or English) to the model.

Reading is lenient: a value hansei cannot read becomes missing and a
diagnostic (with its line) tells why; only a text that is no postmortem at
all is refused, with a DocumentError naming the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from hansei.config import DEFAULT_LIMITS, DocumentLimits
from hansei.errors import DocumentError
from hansei.markdown.blocks import parse_blocks
from hansei.markdown.characters import without_control_characters
from hansei.markdown.draft import Diagnostic, Draft, nearest_line
from hansei.markdown.limits import check_text
from hansei.markdown.lines import normalise_line_endings
from hansei.markdown.read_fields import FIELD_SECTIONS, collect_fields, interpret_fields
from hansei.markdown.read_prose import (
    read_appendix,
    read_extra,
    read_plain_list,
    read_prevention,
    read_rca,
    read_related,
    read_response,
    read_summary,
)
from hansei.markdown.read_tables import (
    interpret_actions,
    interpret_timeline,
    read_actions,
    read_reviews,
    read_timeline,
)
from hansei.markdown.sections import HEADER, Chunk, split_sections
from hansei.markdown.stated import drop_computed_figures
from hansei.markdown.values import is_placeholder
from hansei.markdown.vocabulary import normalise
from hansei.model import DEFAULT_TIMEZONE, Language, Postmortem

__all__ = ["Diagnostic", "ParseResult", "parse_markdown"]

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
_TITLE_PREFIX = re.compile(
    r"^\s*(?:ポストモーテム|post-?\s?mortem|障害報告(?:書)?)\s*[:：\-–]?\s*", re.IGNORECASE
)
_READERS: dict[str, Callable[[Draft, Chunk], None]] = {
    "summary": read_summary,
    "timeline": read_timeline,
    "rca": read_rca,
    "response": read_response,
    "went_well": read_plain_list,
    "went_wrong": read_plain_list,
    "learned": read_plain_list,
    "action_items": read_actions,
    "prevention": read_prevention,
    "related_docs": read_related,
    "reviews": read_reviews,
    "appendix": read_appendix,
}


@dataclass
class ParseResult:
    postmortem: Postmortem
    lines: dict[str, int] = field(default_factory=dict)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def line_of(self, path: str) -> int | None:
        """The line of a value (`action_items[2].due`), else of what holds it."""
        return nearest_line(self.lines, path)


def parse_markdown(
    text: str,
    *,
    source: str | None = None,
    default_timezone: str | None = None,
    limits: DocumentLimits = DEFAULT_LIMITS,
) -> ParseResult:
    """Read a postmortem; DocumentError (with `source` and the line) if it is none.

    `default_timezone` is the team's, for a document that names none (else Asia/Tokyo).
    A document over `limits` is refused before it is read.
    """
    normalised = normalise_line_endings(text).lstrip("\ufeff")
    if not normalised.strip():
        raise DocumentError("the document is empty", line=1, source=source)
    try:
        check_text(normalised, limits)
        cleaned, removed = without_control_characters(normalised)
        draft = Draft(cleaned, default_timezone=default_timezone or DEFAULT_TIMEZONE)
        for line, message in removed:
            draft.note("invalid-value", line, "", message)
        return _read(draft)
    except DocumentError as error:
        raise error.with_source(source) if source else error from None


def _read(draft: Draft) -> ParseResult:
    title, chunks = split_sections(parse_blocks(draft.text))
    known = [chunk for chunk in chunks if not chunk.unknown and chunk.section != HEADER]
    if title is None and not known:
        raise DocumentError(
            "not a postmortem: no title ('# ポストモーテム: …' / '# Postmortem: …') "
            "and no section of the template",
            line=1,
        )
    draft.data["language"] = _language(title.text if title else "", chunks)
    if title is not None:
        name = _TITLE_PREFIX.sub("", title.text).strip()
        if not is_placeholder(name):
            draft.put("title", name, title.line)
    for chunk in chunks:
        _read_chunk(draft, chunk)
    interpret_fields(draft)
    interpret_timeline(draft)
    interpret_actions(draft)
    postmortem = drop_computed_figures(_validated(draft))
    diagnostics = sorted(draft.diagnostics, key=lambda found: found.line)
    return ParseResult(postmortem, draft.lines, diagnostics)


def _read_chunk(draft: Draft, chunk: Chunk) -> None:
    if chunk.guessed and chunk.heading is not None:
        draft.note(
            "section-heading",
            chunk.line,
            f"sections.{chunk.section}",
            f"heading {chunk.heading.text.strip()!r} read as the {chunk.section} section",
        )
    if chunk.unknown:
        read_extra(draft, chunk)
    elif chunk.section in FIELD_SECTIONS:
        collect_fields(draft, chunk)
    elif (reader := _READERS.get(chunk.section)) is not None:
        draft.lines.setdefault(f"sections.{chunk.subsection or chunk.section}", chunk.line)
        reader(draft, chunk)


def _language(title: str, chunks: list[Chunk]) -> Language:
    folded = normalise(title)
    if folded.startswith("ポストモーテム"):
        return Language.ja
    if folded.startswith(("postmortem", "post-mortem", "post mortem")):
        return Language.en
    if _CJK.search(title):
        return Language.ja
    headings = " ".join(chunk.heading.text for chunk in chunks if chunk.heading)
    return Language.ja if _CJK.search(headings) else Language.en


def _validated(draft: Draft) -> Postmortem:
    """The model; a value the model refuses (`目標: 100%`) is dropped with a diagnostic."""
    dropped: set[tuple[int | str, ...]] = set()
    for _ in range(_MAX_REFUSED_VALUES):
        try:
            return Postmortem.model_validate(draft.data)
        except ValidationError as error:
            problem = error.errors()[0]
            location = tuple(problem["loc"])
            path = _error_path(location)
            line = nearest_line(draft.lines, path) or 1
            draft.note("invalid-value", line, path, f"{problem['msg']}; the value was not read")
            if not _drop(draft.data, location, dropped):
                raise DocumentError(problem["msg"], line=line, field=path) from error
    raise DocumentError("too many values the model refuses", line=1)


_MAX_REFUSED_VALUES = 100


def _drop(data: dict[str, Any], location: tuple[int | str, ...], dropped: set[Any]) -> bool:
    """Remove the refused value; if it was required, the list item holding it."""
    if location in dropped:
        indexes = [i for i, part in enumerate(location) if isinstance(part, int)]
        if not indexes:
            return False
        location = location[: indexes[-1] + 1]
    dropped.add(location)
    container: Any = data
    for part in location[:-1]:
        try:
            container = container[part]
        except (KeyError, IndexError, TypeError):
            return False
    last = location[-1]
    if isinstance(container, list) and isinstance(last, int) and last < len(container):
        del container[last]
        return True
    if isinstance(container, dict) and last in container:
        del container[last]
        return True
    return False


def _error_path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path
