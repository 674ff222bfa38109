"""The benchmarks' corpora: the demo postmortems, and a Japanese team's heavier store."""

from __future__ import annotations

import random
from datetime import timedelta
from pathlib import Path

from hansei.markdown import render_markdown
from hansei.model import Postmortem
from hansei.services.demo import JA_EVENTS, JA_FILLER, OWNERS, demo_postmortem


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


HEAVY_ROWS = 50
"""Timeline rows added to each heavy document: about 10-15 KB of Markdown in all."""


def heavy_postmortems(count: int, *, reviewer: str, seed: int = 11) -> list[Postmortem]:
    """A store that looks like a Japanese team's: every document in Japanese and
    10-15 KB long, 障害 in nearly all of them, and a third in review asking `reviewer`."""
    generator = random.Random(seed)
    documents: list[Postmortem] = []
    for number in range(count):
        base = demo_postmortem(number, generator)
        start = base.timeline[-1].at if base.timeline else None
        rows = [
            {
                "at": start + timedelta(minutes=3 * (i + 1)) if start else None,
                "event": f"{generator.choice(JA_EVENTS)}: {generator.choice(JA_FILLER)}",
                "actor": generator.choice(OWNERS),
                "action": f"{generator.choice(JA_FILLER)}。{generator.choice(JA_FILLER)}",
            }
            for i in range(generator.randint(HEAVY_ROWS - 12, HEAVY_ROWS + 12))
        ]
        document = base.to_json_dict()
        document.update(
            language="ja",
            summary=f"{base.summary or ''} 障害の影響はサポート窓口にも及んだ。"
            if number % 50
            else base.summary,
            timeline=[*document["timeline"], *rows],
            status="review" if number % 3 == 0 else generator.choice(["draft", "final"]),
            reviewers=[f"@{reviewer}", *generator.sample(OWNERS, 1)],
        )
        documents.append(Postmortem.model_validate(document))
    return documents


__all__ = ["heavy_postmortems", "write_corpus"]
