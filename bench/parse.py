"""Parse and render throughput, beside the Markdown tokenizer's ceiling, in one run.

    python bench/parse.py [FILE] [--seconds S]

Prints documents per second for:
- tokenize (library default): markdown-it-py's `parse()` with CommonMark + tables,
  inline parsing included: the library as usually called;
- tokenize (hansei's config): the same tokenizer with inline parsing off, as
  hansei calls it (hansei keeps inline text as written);
- parse: hansei's Markdown → model, with metrics computed;
- render: model → Markdown.
The ratio `parse / tokenize` must stay ≥ 0.67 for both tokenizer figures
(building the model adds at most half again to tokenizing).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from markdown_it import MarkdownIt

from hansei.markdown import parse_markdown, render_markdown
from hansei.markdown.blocks import markdown_parser
from hansei.metrics import compute_metrics

DEFAULT_DOCUMENT = (
    Path(__file__).resolve().parent.parent / "examples" / ("2025-01-16-walk-api-nil-pointer.ja.md")
)


def rates(workloads: dict[str, Callable[[], object]], seconds: float) -> dict[str, float]:
    """Documents per second for each workload: the median of rounds run in turn.

    Taking turns spreads whatever else the machine does over all figures
    alike, so their ratios hold even when the absolute figures wander.
    """
    rounds = 15
    per_round = seconds / rounds
    samples: dict[str, list[float]] = {name: [] for name in workloads}
    for work in workloads.values():
        work()
    for _ in range(rounds):
        for name, work in workloads.items():
            count = 0
            start = now = time.perf_counter()
            while now - start < per_round or count == 0:
                work()
                count += 1
                now = time.perf_counter()
            samples[name].append(count / (now - start))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("file", nargs="?", type=Path, default=DEFAULT_DOCUMENT)
    options.add_argument("--seconds", type=float, default=5.0, help="time per figure")
    args = options.parse_args()

    text = args.file.read_text(encoding="utf-8")
    library = MarkdownIt("commonmark").enable("table")
    configured = markdown_parser()
    model = parse_markdown(text).postmortem

    def parse_with_metrics() -> object:
        return compute_metrics(parse_markdown(text).postmortem)

    figures = rates(
        {
            "tokenize (library default)": lambda: library.parse(text),
            "tokenize (hansei's config)": lambda: configured.parse(text),
            "parse (model + metrics)": parse_with_metrics,
            "render (Markdown)": lambda: render_markdown(model),
        },
        4 * args.seconds,
    )
    print(
        f"document: {args.file.name}, {len(text.encode('utf-8')):,} bytes, {len(text):,} characters"
    )
    for name, rate in figures.items():
        print(f"{name:<28} {rate:>9,.0f} docs/s  {1000 / rate:7.3f} ms/doc")
    parse_rate = figures["parse (model + metrics)"]
    for name in ("tokenize (library default)", "tokenize (hansei's config)"):
        ratio = parse_rate / figures[name]
        verdict = "ok" if ratio >= 0.67 else "BELOW TARGET"
        print(f"ratio parse / {name}: {ratio:.2f} (target >= 0.67) {verdict}")


if __name__ == "__main__":
    main()
