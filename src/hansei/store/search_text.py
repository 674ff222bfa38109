"""What search sees of a postmortem, and the folding that makes matching fair.

A query term matches a postmortem when it is a substring of the postmortem's
folded text (NFKC, then case folding): `ＡＰＩ`, `api` and `API` are the same
term, and so are half- and full-width katakana. Both databases implement
exactly this rule, so the same query finds the same postmortems on both.
"""

from __future__ import annotations

import operator
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from hansei.errors import UsageError
from hansei.model import Postmortem

MAX_QUERY_WORDS = 32
"""Every distinct word is one more condition: thousands make PostgreSQL plan for
seconds and SQLite refuse the expression tree, so a query holds at most this many."""
MAX_QUERY_LENGTH = 1_000
"""Characters of a query, before it is split."""

# Values that are codes, instants or addresses rather than prose.
_NOT_TEXT = frozenset(
    {
        "status",
        "severity",
        "language",
        "timezone",
        "times",
        "date",
        "at",
        "due",
        "horizon",
        "url",
        "lang",
    }
)


@dataclass(frozen=True)
class SearchText:
    title: str
    body: str
    display: str


def fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def search_text(postmortem: Postmortem, document: dict[str, Any] | None = None) -> SearchText:
    """The title and every other text field, one value a line; `document` is the
    postmortem's `to_json_dict()` when the caller has it already."""
    document = dict(postmortem.to_json_dict() if document is None else document)
    title = document.pop("title") or ""
    body = "\n".join(_strings(document))
    display = f"{title}\n{body}" if title else body
    return SearchText(title=fold(title), body=fold(body), display=display)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in _NOT_TEXT:
                yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def query_problem(query: str) -> str | None:
    """Why a query is refused (too long, too many words), or None when it may be run."""
    if len(query) > MAX_QUERY_LENGTH:
        return (
            f"the search is {len(query):,} characters long: "
            f"at most {MAX_QUERY_LENGTH:,} characters are searched"
        )
    words = len(_split(query))
    if words > MAX_QUERY_WORDS:
        return (
            f"the search has {words:,} different words: "
            f"at most {MAX_QUERY_WORDS} words are searched"
        )
    return None


def query_terms(query: str) -> list[str]:
    """The folded terms of a query: words split on white space, duplicates dropped.
    A query over the limits (query_problem) is refused with a UsageError."""
    problem = query_problem(query)
    if problem is not None:
        raise UsageError(problem)
    return _split(query)


def _split(query: str) -> list[str]:
    return list(dict.fromkeys(fold(query).split()))


def bigram_tokens(folded: str) -> str:
    """The tokens of the bigram index: each pair of neighbouring characters, and the
    last character on its own, as hexadecimal code points (8 digits each).

    Hex keeps every character (punctuation and kana included) inside a token that
    FTS5's ascii tokenizer leaves whole. A 2-character term is then one token, and
    a 1-character term is the prefix of the tokens that start with it. Pairs with
    white space in them are indexed too (a term never holds white space, so they
    are never asked for): skipping them would cost more than it saves.
    """
    if not folded:
        return ""
    codes = folded.encode("utf-32-be").hex()
    size = len(codes)
    pairs = [codes[start : start + 16] for start in range(0, size - 8, 8)]
    pairs.append(codes[size - 8 :])
    return " ".join(pairs)


# PostgreSQL keeps a tsvector under 1 MB; a document with more distinct characters
# and pairs than this is left to the plain scan that every term is checked by anyway.
BIGRAM_VECTOR_MAX_BYTES = 512 * 1024


def bigram_vector(title: str, body: str) -> str | None:
    """PostgreSQL's bigram index of folded text, as tsvector input: every character and
    every pair of neighbouring characters without white space, each a quoted lexeme.

    The text itself is the lexeme, not a dictionary's stem: a term is found by the
    lexemes it is made of. None when the lexemes would not fit in a tsvector.
    """
    lexemes: set[str] = set()
    for text in (title, body):
        for word in text.split():
            lexemes.update(word)
            lexemes.update(map(operator.add, word, word[1:]))
    if not lexemes:
        return ""
    joined = " ".join(sorted(lexemes))
    if len(joined.encode("utf-8")) + 7 * len(lexemes) + 1 > BIGRAM_VECTOR_MAX_BYTES:
        return None
    # A lexeme holds no white space (the text was split on it), so the lexemes can be
    # quoted all at once, as `_lexeme` quotes each.
    quoted = joined.replace("\\", "\\\\").replace("'", "''").replace(" ", "' '")
    return f"'{quoted}'"


def bigram_query(term: str) -> str:
    """The tsquery that a document holding `term` matches in its bigram_vector: the term
    itself when it is one character, else every pair it is made of (for 3 or more
    characters a necessary condition only: the text is checked as well)."""
    if len(term) == 1:
        return _lexeme(term)
    pairs = dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1))
    return " & ".join(_lexeme(pair) for pair in pairs)


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def bigram_match(term: str) -> str:
    """The FTS5 query that finds a 1- or 2-character term in the bigram index."""
    codes = term.encode("utf-32-be").hex()
    return codes if len(term) == 2 else f"{codes}*"


def trigram_match(term: str) -> str:
    """A term as an FTS5 string: quoted, so `omega-auth` or `v3.18.0` is plain text."""
    return '"' + term.replace('"', '""') + '"'


def snippet(display: str, terms: list[str], *, width: int = 60) -> str:
    """About `width` characters of the text around the first match of a term: in the
    body first (the title is shown beside the snippet anyway: a match there says more)."""
    body_start = _body_start(display)
    found = _first_match(display, terms, body_start)
    if found is None:
        found = _first_match(display, terms, 0)
    return _cut(display, body_start if found is None else found, width)


# Text is folded a piece at a time, so that a match near the start of a long document
# costs no more than one in a short one, and the offsets of the piece that matched are
# mapped back character by character only there; no further than SNIPPET_SCAN
# characters, so that a page of hits costs the same whatever their length.
_PIECE = 4096
SNIPPET_SCAN = 65_536


def _body_start(display: str) -> int:
    newline = display.find("\n")
    return newline + 1 if newline >= 0 else 0


def _first_match(display: str, terms: list[str], begin: int) -> int | None:
    if not terms:
        return None
    # A term's characters in the text as written may be more than folded (ﾃﾞ → デ).
    overlap = 4 * max(len(term) for term in terms) + 8
    for start in range(begin, min(len(display), SNIPPET_SCAN), _PIECE):
        found = _match_in(display[start : start + _PIECE + overlap], terms)
        if found is not None:
            return start + found
    return None


def _match_in(text: str, terms: list[str]) -> int | None:
    folded = fold(text)
    found = [position for term in terms if (position := folded.find(term)) >= 0]
    if not found:
        return None
    if len(folded) == len(text) and unicodedata.is_normalized("NFKC", text):
        # Case folding alone only ever lengthens: the same length means the same offsets.
        return min(found)
    # NFKC joins (ﾃﾞ → デ) and splits (㍻ → 平成): map offsets piece by piece.
    offsets: list[int] = []
    for index, group in _pieces(text):
        offsets.extend([index] * len(fold(group)))
    offsets.append(len(text))
    return offsets[min(found)]


# Marks that NFKC joins to the character before them.
_JOINING = frozenset("\uff9e\uff9f\u3099\u309a\u309b\u309c")


def _pieces(display: str) -> Iterator[tuple[int, str]]:
    """Each character with the marks that follow it, and where it starts."""
    start = 0
    for index in range(1, len(display) + 1):
        if index < len(display) and (
            display[index] in _JOINING or unicodedata.combining(display[index])
        ):
            continue
        yield start, display[start:index]
        start = index


def _cut(display: str, start: int, width: int) -> str:
    begin = max(0, start - width // 3)
    end = min(len(display), begin + width)
    text = " ".join(display[begin:end].split())
    return ("…" if begin > 0 else "") + text + ("…" if end < len(display) else "")
