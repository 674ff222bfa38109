"""Mutated postmortems through everything that reads or writes one.

Each mutator takes a real document (tests/fixtures, examples/, the template) and a
seeded `random.Random` and returns a damaged copy, as bytes, so that a run is
reproducible from its seed. `run_pipeline` sends one through what a file meets:
decoding (as `hansei lint` reads it), the parser, lint, `lint --fix` (then the
fixed text read again) and the renderers (Markdown, the HTML page, the web app's
sections). A DocumentError (a refusal with a line) is an answer; any other exception
is a crash, kept with its traceback. tests/test_fuzz.py runs a bounded number of
seeds; bench/fuzz.py runs for a time budget.
"""

from __future__ import annotations

import random
import re
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from hansei.config import DEFAULT_LIMITS
from hansei.errors import DocumentError
from hansei.lint.fix import Change, fix_text
from hansei.lint.run import lint_text
from hansei.markdown import parse_markdown, render_html, render_markdown
from hansei.markdown.html import html_sections
from hansei.markdown.lines import split_keeping_ends

ROOT = Path(__file__).resolve().parent.parent
LIMITS = DEFAULT_LIMITS

Mutator = Callable[[str, random.Random], bytes]
T = TypeVar("T")


def seed_documents() -> list[tuple[str, str]]:
    """(name, text) of every real document the mutators start from."""
    paths = [
        *sorted((ROOT / "tests" / "fixtures").rglob("*.md")),
        *sorted((ROOT / "examples").glob("*.md")),
    ]
    return [(path.name, path.read_text(encoding="utf-8")) for path in paths]


# -- bytes -----------------------------------------------------------------------

_INTERESTING_BYTES = b"\x00\xff\xfe\xe3\x80\x81\r\n|*[]`<>#:-_~!\\\t "


def flip_bytes(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 16)):
        if data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def insert_bytes(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 16)):
        run = bytes(rng.choice(_INTERESTING_BYTES) for _ in range(rng.randint(1, 8)))
        at = rng.randint(0, len(data))
        data[at:at] = run
    return bytes(data)


def delete_bytes(text: str, rng: random.Random) -> bytes:
    data = bytearray(text.encode("utf-8"))
    for _ in range(rng.randint(1, 8)):
        if data:
            start = rng.randrange(len(data))
            del data[start : start + rng.randint(1, 64)]
    return bytes(data)


# -- lines and sections ------------------------------------------------------------


def _lines(text: str) -> list[str]:
    return text.split("\n")


def duplicate_lines(text: str, rng: random.Random) -> bytes:
    lines = _lines(text)
    for _ in range(rng.randint(1, 10)):
        at = rng.randrange(len(lines))
        lines[at:at] = lines[at : at + rng.randint(1, 5)] * rng.randint(1, 4)
    return "\n".join(lines).encode()


def delete_lines(text: str, rng: random.Random) -> bytes:
    lines = _lines(text)
    for _ in range(rng.randint(1, 10)):
        if len(lines) > 1:
            at = rng.randrange(len(lines))
            del lines[at : at + rng.randint(1, 5)]
    return "\n".join(lines).encode()


def shuffle_lines(text: str, rng: random.Random) -> bytes:
    lines = _lines(text)
    start = rng.randrange(len(lines))
    window = lines[start : start + rng.randint(2, 30)]
    rng.shuffle(window)
    lines[start : start + len(window)] = window
    return "\n".join(lines).encode()


def _sections(text: str) -> list[str]:
    return re.split(r"(?m)^(?=#{1,3} )", text)


def duplicate_sections(text: str, rng: random.Random) -> bytes:
    sections = _sections(text)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(len(sections))
        sections.insert(rng.randrange(len(sections) + 1), sections[at])
    return "".join(sections).encode()


def delete_sections(text: str, rng: random.Random) -> bytes:
    sections = _sections(text)
    for _ in range(rng.randint(1, 4)):
        if len(sections) > 1:
            del sections[rng.randrange(len(sections))]
    return "".join(sections).encode()


def shuffle_sections(text: str, rng: random.Random) -> bytes:
    sections = _sections(text)
    rng.shuffle(sections)
    return "".join(
        section if section.endswith("\n") else section + "\n" for section in sections
    ).encode()


# -- line endings, NULs and control characters ----------------------------------------

_ENDINGS = ("\n", "\r\n", "\r", "\r\r\n", "\n\r", "\r\n\r\n")


def swap_line_endings(text: str, rng: random.Random) -> bytes:
    style = rng.choice(["one", "mixed", "some"])
    chosen = rng.choice(_ENDINGS)
    pieces = []
    for line, end in split_keeping_ends(text):
        if end and style == "mixed":
            end = rng.choice(_ENDINGS)
        elif end and style == "one":
            end = chosen
        elif end and rng.random() < 0.1:
            end = rng.choice(_ENDINGS)
        pieces.append(line + end)
    return "".join(pieces).encode()


_CONTROLS = [
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x1b", "\x1c", "\x1d", "\x1e", "\x1f", "\x7f",
    "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\u202e", "\ufffd", "\r", "\t",
]  # fmt: skip


def insert_controls(text: str, rng: random.Random) -> bytes:
    chars = list(text)
    for _ in range(rng.randint(1, 40)):
        chars.insert(rng.randint(0, len(chars)), rng.choice(_CONTROLS))
    return "".join(chars).encode()


def insert_nuls(text: str, rng: random.Random) -> bytes:
    chars = list(text)
    for _ in range(rng.randint(1, 40)):
        chars.insert(rng.randint(0, len(chars)), "\x00" * rng.randint(1, 3))
    return "".join(chars).encode()


# -- size: huge tables, lines, documents --------------------------------------------


def _near(limit: int, rng: random.Random) -> int:
    """A size at, just under or just over a limit, or somewhere below it."""
    return rng.choice([limit, limit - 1, limit + 1, rng.randint(1, limit)])


def huge_table(text: str, rng: random.Random) -> bytes:
    columns = rng.choice([2, 4, 5, 8])
    # Counted as the limit counts them (a cell per `|`, one more per line, the header
    # and rule lines too), so that the table lands at or under what a document may hold.
    present = sum(line.count("|") + 1 for line in _lines(text) if "|" in line)
    rows = max(1, (_near(LIMITS.max_table_cells, rng) - present) // (columns + 2) - 2)
    cell = rng.choice(
        ["12:05", "x", "", "**a**", "[担当者名]", "2025-01-16 12:05", "〃", "✅ 完了"]
    )
    header = "| " + " | ".join(f"c{n}" for n in range(columns)) + " |"
    rule = "|" + "---|" * columns
    body = "\n".join("| " + " | ".join([cell] * columns) + " |" for _ in range(rows))
    heading = rng.choice(
        ["## タイムライン", "### 即座対応（1週間以内）", "## レビュー履歴", "## 付録"]
    )
    table = f"\n{heading}\n\n{header}\n{rule}\n{body}\n"
    lines = _lines(text)
    at = rng.randrange(len(lines) + 1)
    return "\n".join([*lines[:at], table, *lines[at:]]).encode()


_LINE_UNITS = ["a", "[", "*a", "`", "<", "|", "1", "あ", "**", "> ", "- ", "\\", "_a"]


def huge_line(text: str, rng: random.Random) -> bytes:
    unit = rng.choice(_LINE_UNITS)
    length = _near(LIMITS.max_line_chars, rng)
    line = (unit * (length // len(unit) + 1))[:length]
    prefix = rng.choice(["", "- **ダウンタイム**: ", "| ", "**概要**: ", "# ", "1. "])
    line = (prefix + line)[: max(length, len(prefix))]
    lines = _lines(text)
    lines.insert(rng.randrange(len(lines) + 1), line)
    return "\n".join(lines).encode()


def many_lines(text: str, rng: random.Random) -> bytes:
    lines = _lines(text)
    wanted = _near(LIMITS.max_lines, rng)
    filler = rng.choice(["", "- x", "| a | b |", "text", "> q", "```"])
    at = rng.randrange(len(lines) + 1)
    lines[at:at] = [filler] * max(0, wanted - len(lines))
    return "\n".join(lines).encode()


def huge_document(text: str, rng: random.Random) -> bytes:
    """Copies of the document up to the line limit, then long lines up to the byte limit."""
    size = _near(LIMITS.max_bytes, rng)
    copies = max(1, min(size // len(text.encode()), LIMITS.max_lines // len(_lines(text)) - 1))
    data = ((text + "\n") * copies).encode()
    filler = rng.choice(["a", "あ", "|", "*a"])
    while len(data) < size:
        line = filler * (LIMITS.max_line_chars // len(filler))
        data += (line + "\n").encode()[: size - len(data)]
    return data[:size]


# -- values -------------------------------------------------------------------------

# Values a reader meets in a field, a table cell or a figure; the numbers and instants
# far out of range are counted apart (see `out_of_range`).
_VALUES = [
    "", "-", "0", "-1", "0分", "-5分", "1e308", "9" * 40, "NaN", "inf", "99.9999999%",
    "100%", "0%", "2025-02-30 12:00", "0001-01-01 00:00", "9999-12-31 23:59",
    "25:61", "12:05 PM JST", "午後13時", "1時間半", "約", "[例: 5分]", "YYYY-MM-DD",
    "~~Draft~~ / ~~Review~~ / ~~Final~~", "**High** / **Low**", "✅🔄📝", "SEV9",
]  # fmt: skip
_FIELD_VALUE = re.compile(r"(?m)(?<=[:：] )[^\n|]*|(?<=\| )[^|\n]+(?= \|)")


def replace_values(text: str, rng: random.Random) -> bytes:
    spans = [found.span() for found in _FIELD_VALUE.finditer(text)]
    chosen = sorted(rng.sample(spans, min(len(spans), rng.randint(1, 12))), reverse=True)
    for start, end in chosen:
        text = text[:start] + rng.choice(_VALUES) + text[end:]
    return text.encode()


_TOKENS = [
    "**", "__", ":", "：", "（", "）", "(", ")", "|", " ", "-", "- ", "検知", "復旧", "Detected",
    "ダウンタイム", "MTTR", "12:05", "2025-01-16", "分", "min", "→", "1.", "Why", "~~", "[",
    "]", "`", "#", "\t", "✅", "〃", "JST", "/", "%", "99.9", "<", ">", "!", "@",
]  # fmt: skip


def token_soup(text: str, rng: random.Random) -> bytes:
    """Lines of the tokens the readers' patterns look for, in any order and length:
    where a regular expression may backtrack."""
    lines = _lines(text)
    for _ in range(rng.randint(1, 5)):
        length = rng.choice([10, 100, 1000, LIMITS.max_line_chars // 4])
        soup = "".join(rng.choice(_TOKENS) for _ in range(length))[: LIMITS.max_line_chars]
        lines.insert(rng.randrange(len(lines) + 1), soup)
    return "\n".join(lines).encode()


def whitespace_runs(text: str, rng: random.Random) -> bytes:
    """Long runs of spaces and tabs at the start, middle or end of lines (fields, rows,
    list items): where patterns with neighbouring `\\s*` may share them out every way."""
    lines = _lines(text)
    for _ in range(rng.randint(1, 6)):
        at = rng.randrange(len(lines))
        run = rng.choice([" ", "\t", " \t", "\u3000"]) * rng.choice([100, 2000, 9000])
        line = lines[at]
        cut = rng.choice([0, len(line), rng.randint(0, len(line)), line.find(":") + 1])
        tail = rng.choice(["", "x", ":", "(", "→", "|", "http://a", "**"])
        lines[at] = (line[:cut] + run + tail + line[cut:])[: LIMITS.max_line_chars]
    return "\n".join(lines).encode()


def stacked(text: str, rng: random.Random) -> bytes:
    """Two to five of the quick mutators, one after the other."""
    quick = [mutator for name, mutator in MUTATORS.items() if name not in SLOW | {"stacked"}]
    for _ in range(rng.randint(2, 5)):
        text = decode(rng.choice(quick)(text, rng))[0]
    return text.encode()


MUTATORS: dict[str, Mutator] = {
    mutator.__name__: mutator
    for mutator in [
        flip_bytes,
        insert_bytes,
        delete_bytes,
        duplicate_lines,
        delete_lines,
        shuffle_lines,
        duplicate_sections,
        delete_sections,
        shuffle_sections,
        swap_line_endings,
        insert_controls,
        insert_nuls,
        huge_table,
        huge_line,
        many_lines,
        huge_document,
        replace_values,
        token_soup,
        whitespace_runs,
        stacked,
    ]
}
# Whole documents near the size limits take a second or so each: fewer of them.
SLOW = frozenset({"huge_table", "many_lines", "huge_document"})


# -- the pipeline ---------------------------------------------------------------------


@dataclass(frozen=True)
class Crash:
    mutator: str
    seed: int
    document: str
    stage: str
    error: str
    trace: str

    @property
    def out_of_range(self) -> bool:
        return out_of_range(self.error, self.trace)


@dataclass
class Outcome:
    """What one input did: the stages it went through, refusals, crashes."""

    refused: list[str] = field(default_factory=list)
    crashes: list[tuple[str, BaseException]] = field(default_factory=list)


def out_of_range(error: str, trace: str) -> bool:
    """A crash on a number or instant outside what a postmortem can mean (year 1,
    1e308 minutes, a 40-digit integer): bounded in the model, not by the reader."""
    return bool(
        re.search(
            r"OverflowError|year \d+ is out of range|date value out of range|"
            r"Exceeds the limit .* for integer string conversion|cannot convert float",
            error,
        )
    ) or ("OverflowError" in trace)


def decode(data: bytes) -> tuple[str, bool]:
    """The text as `hansei lint` reads it, and whether it was UTF-8. Text that is not
    is refused there; the replaced text still exercises the reader."""
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), False


def _stage(outcome: Outcome, name: str, step: Callable[[], T]) -> T | None:
    try:
        return step()
    except DocumentError:
        outcome.refused.append(name)
    except Exception as error:  # any other exception is what a fuzz run looks for
        outcome.crashes.append((name, error))
    return None


def run_pipeline(text: str) -> Outcome:
    """Parse, lint, fix (and read the fix back) and render one text."""
    outcome = Outcome()
    _stage(outcome, "lint", lambda: lint_text(text, options=None))
    fixed = _stage(outcome, "fix", lambda: fix_text(text))
    if fixed is not None:
        fixed_text, changes = fixed
        _stage(outcome, "fix-kept-the-rest", lambda: _check_fix(text, fixed_text, changes))
        _stage(outcome, "parse-fixed", lambda: parse_markdown(fixed_text))
    result = _stage(outcome, "parse", lambda: parse_markdown(text))
    if result is None:
        return outcome
    postmortem = result.postmortem
    markdown = _stage(outcome, "render-markdown", lambda: render_markdown(postmortem))
    _stage(outcome, "render-html", lambda: render_html(postmortem))
    if markdown is not None:
        _stage(outcome, "html-sections", lambda: html_sections(postmortem, markdown))
        _stage(outcome, "parse-rendered", lambda: parse_markdown(markdown))
    return outcome


def _check_fix(text: str, fixed: str, changes: list[Change]) -> None:
    """`lint --fix` rewrote only the lines it reported, and kept every line's end."""
    before, after = split_keeping_ends(text), split_keeping_ends(fixed)
    if [end for _, end in before] != [end for _, end in after]:
        raise AssertionError("lint --fix changed the lines or their ends")
    reported = {change.line for change in changes}
    changed = {n for n, (old, new) in enumerate(zip(before, after, strict=True), 1) if old != new}
    if not changed <= reported:
        raise AssertionError(f"lint --fix changed lines {sorted(changed - reported)} unreported")


def fuzz_one(mutator: str, seed: int, documents: list[tuple[str, str]]) -> list[Crash]:
    """Mutate one seed document with `seed` and run it through everything."""
    return fuzz_outcome(mutator, seed, documents)[1]


def fuzz_outcome(
    mutator: str, seed: int, documents: list[tuple[str, str]]
) -> tuple[Outcome, list[Crash]]:
    """What the mutated input did, and its crashes with their tracebacks."""
    rng = random.Random(f"{mutator}:{seed}")
    name, original = documents[rng.randrange(len(documents))]
    text, _ = decode(MUTATORS[mutator](original, rng))
    outcome = run_pipeline(text)
    crashes = [
        Crash(
            mutator,
            seed,
            name,
            stage,
            f"{type(error).__name__}: {error}"[:500],
            "".join(traceback.format_exception(error)),
        )
        for stage, error in outcome.crashes
    ]
    return outcome, crashes


def mutated(mutator: str, seed: int, documents: list[tuple[str, str]]) -> str:
    """The input `fuzz_one(mutator, seed, …)` ran, to reproduce a crash."""
    rng = random.Random(f"{mutator}:{seed}")
    _, original = documents[rng.randrange(len(documents))]
    return decode(MUTATORS[mutator](original, rng))[0]


def schedule(seeds: int) -> Iterator[tuple[str, int]]:
    """(mutator, seed) pairs, every mutator in turn."""
    for seed in range(seeds):
        for name in MUTATORS:
            yield name, seed
