"""Blocks grouped into the template's sections, however the author ordered or nested them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache

from hansei.markdown.blocks import (
    Block,
    Heading,
    ListBlock,
    Paragraph,
    Rule,
    flatten_items,
    item_texts,
)
from hansei.markdown.vocabulary import (
    SECTION_ALIASES,
    SUBSECTION_ALIASES,
    TITLE_PREFIXES,
    lookup,
    normalise,
)

HEADER = "header"
LOGS = "logs"


@dataclass
class Chunk:
    """The blocks under one heading: a known (section, subsection) or an unknown heading."""

    section: str
    subsection: str | None
    heading: Heading | None
    blocks: list[Block] = field(default_factory=list)
    unknown: bool = False
    after: str | None = None
    guessed: bool = False

    @property
    def line(self) -> int:
        return self.heading.line if self.heading else 1

    def content(self) -> list[Block]:
        return [block for block in self.blocks if not isinstance(block, Rule)]

    def text_lines(self) -> list[tuple[int, str]]:
        """Each line of the paragraphs and lists, nested items included."""
        lines: list[tuple[int, str]] = []
        for block in self.content():
            if isinstance(block, Paragraph):
                lines.extend(block.lines())
            elif isinstance(block, ListBlock):
                lines.extend(flatten_items(block))
        return lines

    def item_lines(self) -> list[tuple[int, str]]:
        """One line per top-level list item (its text joined), and each paragraph line."""
        lines: list[tuple[int, str]] = []
        for block in self.content():
            if isinstance(block, ListBlock):
                lines.extend(item_texts(block))
            elif isinstance(block, Paragraph):
                lines.extend(block.lines())
        return lines


_PARENTHESISED = re.compile(r"[（(][^）)]*[）)]")


def _bare(text: str) -> str:
    """The heading without parenthesised notes: `タイムライン（JST）` → `タイムライン`."""
    return normalise(_PARENTHESISED.sub("", text)) or normalise(text)


@lru_cache(maxsize=4096)
def _top_level(text: str, *, whole_only: bool) -> str | None:
    """A top-level section key.

    An alias matches the whole heading (parenthesised notes aside). Unless
    `whole_only`, a Japanese alias of three characters or more may also be
    part of it (`障害タイムライン`), and an English one of several words may
    begin it (`What went well this time`); a single English word must be the
    whole heading, so `Customer communication timeline` is no timeline.
    """
    whole, bare = normalise(text), _bare(text)
    for alias, key in SECTION_ALIASES:
        if alias in (bare, whole):
            return key
    if whole_only:
        return None
    for alias, key in SECTION_ALIASES:
        if alias.isascii():
            if " " in alias and bare.startswith(alias):
                return key
        elif len(alias) >= 3 and alias not in _WHOLE_ONLY and alias in whole:
            return key
    return None


# Words too common inside other headings (`アクションの振り返り`) to mark a section there.
_WHOLE_ONLY = frozenset({"アクション", "対応項目"})


@lru_cache(maxsize=4096)
def _top_level_guess(text: str) -> str | None:
    """The section a mistyped heading most likely names (`タイムラン`), if any is close."""
    bare = _bare(text)
    best, key_found = 0.0, None
    for alias, key in SECTION_ALIASES:
        if len(alias) < (6 if alias.isascii() else 4):
            continue
        ratio = SequenceMatcher(None, bare, alias).ratio()
        if ratio > best:
            best, key_found = ratio, key
    return key_found if best >= 0.85 else None


def _subsection_anywhere(text: str, *, whole_only: bool) -> tuple[str, str] | None:
    bare = _bare(text)
    for section, table in SUBSECTION_ALIASES.items():
        if whole_only:
            key = next((key for alias, key in table if alias == bare), None)
        else:
            key = lookup(text, table)
        if key is not None:
            return section, key
    return None


def is_title_heading(heading: Heading) -> bool:
    return normalise(heading.text).startswith(TITLE_PREFIXES)


def split_sections(blocks: list[Block]) -> tuple[Heading | None, list[Chunk]]:
    """The title heading and the chunks in document order."""
    title: Heading | None = None
    chunks: list[Chunk] = [Chunk(HEADER, None, None)]
    section = HEADER
    section_level = 1
    unknown_level: int | None = None
    for block in blocks:
        if not isinstance(block, Heading):
            chunks[-1].blocks.append(block)
            if isinstance(block, Rule):
                # A rule closes a kept section: a deeper heading after it stands on its own.
                unknown_level = None
            continue
        if title is None and section == HEADER and (block.level == 1 or is_title_heading(block)):
            title = block
            continue
        sub_table = SUBSECTION_ALIASES.get(section, ())
        subsection = lookup(block.text, sub_table) if sub_table else None
        # Inside a known section, a deeper heading is its own part unless it names a section whole.
        nested = section != HEADER and block.level > section_level
        top = _top_level(block.text, whole_only=nested)
        if subsection is not None and (block.level > section_level or top is None):
            chunks.append(Chunk(section, subsection, block))
            unknown_level = None
        elif top is not None:
            section, section_level = top, block.level
            chunks.append(Chunk(section, None, block))
            unknown_level = None
        elif section == "appendix" and block.level > section_level:
            chunks.append(Chunk(section, LOGS, block, after=section))
            unknown_level = None
        elif unknown_level is not None and block.level > unknown_level:
            chunks[-1].blocks.append(block)
        elif found := _subsection_anywhere(block.text, whole_only=block.level <= 2):
            section, subsection = found
            chunks.append(Chunk(section, subsection, block))
            unknown_level = None
        elif (guess := _top_level_guess(block.text)) is not None:
            section, section_level = guess, block.level
            chunks.append(Chunk(section, None, block, guessed=True))
            unknown_level = None
        else:
            after = None if section == HEADER else section
            chunks.append(Chunk(section, None, block, unknown=True, after=after))
            unknown_level = block.level
    return title, chunks
