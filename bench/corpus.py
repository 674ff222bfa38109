"""The benchmarks' corpus: the demo postmortems as Markdown files."""

from __future__ import annotations

import random
from pathlib import Path

from hansei.markdown import render_markdown
from hansei.services.demo import demo_postmortem


def write_corpus(folder: Path, count: int, *, seed: int = 7) -> list[Path]:
    """`count` Markdown files under `folder`; returns their paths."""
    generator = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for number in range(count):
        document = demo_postmortem(number, generator)
        path = folder / f"pm-{number:06}.{document.language.value}.md"
        path.write_text(render_markdown(document), encoding="utf-8")
        paths.append(path)
    return paths


__all__ = ["write_corpus"]
