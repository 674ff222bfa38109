"""Worst cases: reading, linting and rendering documents built to be slow.

    python bench/pathological.py [--size BYTES] [--rounds N]

Each case is a real postmortem (examples/) with an extra section of adversarial
Markdown grown to the document size limit (HANSEI_MAX_DOCUMENT_BYTES, 1 MB) while
keeping to the other limits: long runs of `[`, `![`, `*`, `_`, backticks, `<`,
unclosed links, nested lists and block quotes, wide and long tables. A case over a
limit is refused before any work; the time to refuse is shown instead.

Prints, per case, the seconds to parse (Markdown → model), lint, render the
Markdown, render the standalone HTML page and the web app's sections, and the
ratio of all of them together to the same on an ordinary document of the same
size (the example, then plain paragraphs). The target: every step of every case
well under a second.
"""

from __future__ import annotations

import argparse
import functools
import statistics
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from hansei.config import DEFAULT_LIMITS
from hansei.errors import TooLargeError
from hansei.lint.run import lint_text
from hansei.markdown import parse_markdown, render_html, render_markdown
from hansei.markdown.html import html_sections

ROOT = Path(__file__).resolve().parent.parent
BASE = (ROOT / "examples" / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")
LINE = DEFAULT_LIMITS.max_line_chars


def _section(body: str) -> str:
    return f"{BASE}\n## 雑記\n\n{body}\n"


def _fill(unit: str, size: int, *, joiner: str = "\n") -> str:
    """`unit` repeated to about `size` bytes, in lines no longer than the limit."""
    room = size - len(_section("").encode("utf-8")) - 1024
    per_line = max(1, LINE // len(unit))
    line = unit * per_line
    count = max(1, room // (len(line.encode("utf-8")) + len(joiner)))
    return joiner.join([line] * count)


def _lines(lines: Iterator[str], room: int) -> str:
    """Lines taken while they fit in `room` bytes and the line limit."""
    taken: list[str] = []
    used = 0
    for line in lines:
        used += len(line) + 1
        if used > room or len(taken) >= DEFAULT_LIMITS.max_lines - 400:
            break
        taken.append(line)
    return "\n".join(taken)


ORDINARY_LINE = (
    "12:05 に監視アラートが発火し、オンコールが **Walk API** の [ダッシュボード]"
    "(https://grafana.example.com/d/walk) と `kubectl get pods` で状況を確認した。\n"
)


def ordinary(size: int) -> str:
    """An ordinary document of about `size` bytes: the example, then paragraphs of prose."""
    room = size - len(_section("").encode("utf-8")) - 1024
    count = max(0, room // (len(ORDINARY_LINE.encode("utf-8")) + 1))
    return _section("\n".join([ORDINARY_LINE.strip()] * count))


def cases(size: int) -> dict[str, str]:
    runs = {
        "[": "[",
        "![": "![",
        "*": "*",
        "_": "_",
        "`": "`",
        "<": "<",
        "*a": "*a",
        "_a": "_a",
        "**a": "**a",
        "[](": "[](",
        "[]((": "[]((",
        "[a](<b": "[a](<b",
        "<a": "<a",
        "&#": "&#",
        "\\": "\\",
    }
    built = {"ordinary": ordinary(size)}
    for name, unit in runs.items():
        built[f"run {name}"] = _section(_fill(unit, size))
    room = size - len(_section("").encode("utf-8")) - 1024
    built["nested lists"] = _section(
        _lines((" " * (2 * (i % 400)) + "- x" for i in range(10**6)), room)
    )
    built["nested block quotes"] = _section(
        _lines((">" * (i % 1000) + " x" for i in range(1, 10**6)), room)
    )
    built["block quote run"] = _section(_fill(">", size))
    built["table 10,000 columns"] = _section(
        "|" + "a|" * 10_000 + "\n|" + "-|" * 10_000 + "\n" + ("|" + "b|" * 10_000 + "\n") * 3
    )
    rows = DEFAULT_LIMITS.max_table_cells // 3 - 10
    built["table at the cell limit"] = _section("|a|b|\n|-|-|\n" + "|x|y|\n" * rows)
    built["many headings"] = _section("### h\n" * (DEFAULT_LIMITS.max_lines - 400))
    built["many list items"] = _section("- [x](y) *z*\n" * (DEFAULT_LIMITS.max_lines - 400))
    return built


def timed(step: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def steps(text: str) -> dict[str, Callable[[], object]]:
    postmortem = parse_markdown(text).postmortem
    markdown = render_markdown(postmortem)
    return {
        "parse": lambda: parse_markdown(text),
        "lint": lambda: lint_text(text),
        "render md": lambda: render_markdown(postmortem),
        "html page": lambda: render_html(postmortem),
        "html sections": lambda: html_sections(postmortem, markdown),
    }


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--size", type=int, default=DEFAULT_LIMITS.max_bytes)
    options.add_argument("--rounds", type=int, default=3)
    args = options.parse_args()
    built = cases(args.size)
    names = ["parse", "lint", "render md", "html page", "html sections"]
    print(f"{'case':<24} {'KB':>6} " + " ".join(f"{n:>13}" for n in names) + "  /ordinary")
    worst_ratio, worst_case, slowest = 0.0, "", 0.0
    for name, text in built.items():
        size = len(text.encode("utf-8"))
        try:
            work = steps(text)
        except TooLargeError as error:
            took = timed(functools.partial(_refused, text), args.rounds)
            print(f"{name:<24} {size // 1000:>6} refused in {took * 1000:.1f} ms: {error.message}")
            continue
        figures = {step: timed(run, args.rounds) for step, run in work.items()}
        usual = {step: timed(run, args.rounds) for step, run in steps(ordinary(size)).items()}
        # All steps together: a step that takes a millisecond either way says little alone.
        ratio = sum(figures.values()) / sum(usual.values())
        slowest = max(slowest, *figures.values())
        if ratio > worst_ratio:
            worst_ratio, worst_case = ratio, name
        shown = " ".join(f"{figures[step]:>12.3f}s" for step in names)
        print(f"{name:<24} {size // 1000:>6} {shown}  {ratio:>6.1f}x")
    print(f"worst ratio to an ordinary document of the same size: {worst_ratio:.1f}x")
    print(f"  (in the case {worst_case!r})")
    verdict = "ok" if slowest < 1.0 else "OVER TARGET"
    print(f"slowest step of any case: {slowest:.3f} s (target: well under 1 s) {verdict}")


def _refused(text: str) -> None:
    try:
        parse_markdown(text)
    except TooLargeError:
        return
    raise AssertionError("expected a refusal")


if __name__ == "__main__":
    main()
