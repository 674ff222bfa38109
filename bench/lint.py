"""Linting throughput: `python bench/lint.py [--documents N]`.

Lints N documents (default 1,000) drawn in turn from examples/ and the messy
corpus under tests/fixtures/messy/, in one process and then on every core as
`hansei lint` does, and prints the times.
The target is 1,000 documents in under 5 s on this machine.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from hansei.lint import LintOptions, lint_texts

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--documents", type=int, default=1000)
    args = options.parse_args()
    sources = sorted((ROOT / "examples").glob("*.md")) + sorted(
        (ROOT / "tests" / "fixtures" / "messy").glob("*.md")
    )
    texts = [path.read_text(encoding="utf-8") for path in sources]
    # Distinct texts, as a folder of real documents would be: no cache sees the same one twice.
    documents = [f"{texts[i % len(texts)]}\n<!-- {i} -->\n" for i in range(args.documents)]
    size = sum(len(text.encode("utf-8")) for text in documents) / len(documents)
    print(f"documents: {len(documents):,} (mean {size / 1024:.1f} KiB)")
    named = [(f"doc-{i}.md", text, LintOptions()) for i, text in enumerate(documents)]
    for label, workers in (("one process", 1), (f"{os.cpu_count()} processes", None)):
        start = time.perf_counter()
        findings = len(lint_texts(named, workers=workers))
        elapsed = time.perf_counter() - start
        rate = len(documents) / elapsed
        print(
            f"lint, {label}: {elapsed:.2f} s, {rate:,.0f} documents/s, {findings:,} findings "
            "(target: 1,000 in < 5 s)"
        )


if __name__ == "__main__":
    main()
