"""Linting throughput: `python bench/lint.py [--documents N]`.

Lints N documents (default 1,000) drawn in turn from examples/ and the messy
corpus under tests/fixtures/messy/, in one process, and prints the time.
The target is 1,000 documents in under 5 s on this machine.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from hansei.lint import lint_text

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
    start = time.perf_counter()
    findings = sum(len(lint_text(text)) for text in documents)
    elapsed = time.perf_counter() - start
    size = sum(len(text.encode("utf-8")) for text in documents) / len(documents)
    print(f"documents: {len(documents):,} (mean {size / 1024:.1f} KiB), findings: {findings:,}")
    rate = len(documents) / elapsed
    print(f"lint: {elapsed:.2f} s, {rate:,.0f} documents/s (target: 1,000 in < 5 s)")


if __name__ == "__main__":
    main()
