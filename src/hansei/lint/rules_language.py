"""Blameless wording: flag sentences that blame a person instead of the system."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from hansei.lint import blame_words
from hansei.lint.context import LintContext
from hansei.lint.findings import Finding, Severity
from hansei.lint.registry import rule


@lru_cache(maxsize=16)
def _pattern(extra: tuple[str, ...]) -> re.Pattern[str]:
    words = [re.escape(word) for word in (*blame_words.JAPANESE_WORDS, *extra)]
    english = [rf"\b{re.escape(word)}\b" for word in blame_words.ENGLISH_WORDS]
    return re.compile(
        "|".join(
            [
                blame_words.JAPANESE_PERSON_AS_CAUSE,
                blame_words.ENGLISH_PERSON_AS_CAUSE,
                *words,
                *english,
            ]
        ),
        re.IGNORECASE,
    )


# Every pattern above contains one of these: lines without any are not searched.
_CUES = (
    "ミス",
    "不注意",
    "せい",
    "怠",
    "うっかり",
    "不手際",
    "気が緩",
    "能力不足",
    "さん",
    "氏",
    "君",
    "くん",
    "@",
    "caused",
)


def _may_blame(line: str, extra: tuple[str, ...]) -> bool:
    lowered = line.lower()
    return (
        any(cue in line for cue in _CUES)
        or any(word in lowered for word in blame_words.ENGLISH_WORDS)
        or any(word in line for word in extra)
    )


@rule(
    "blame-language",
    Severity.warning,
    summary="A sentence blames a person instead of describing what the system allowed.",
    explanation="Blameless postmortems name the conditions that let an error happen, not the "
    "person who made it: people stop reporting when they are blamed. Flagged: a person "
    "(@handle, a name with さん / 氏 / 君, or a name that 'caused the outage') as the subject "
    "of a mistake or the cause, and these "
    f"words: {', '.join(blame_words.JAPANESE_WORDS)}; {', '.join(blame_words.ENGLISH_WORDS)}. "
    "The lists live in hansei/lint/blame_words.py; `blame_words` in the settings or "
    "`--blame-word` add a team's own.",
    fix="Rewrite as what the process or system allowed: 「@sato のミス」→「手順に確認が"
    "なく、誤った設定が適用できた」; 'careless deploy' → 'the deploy had no canary'.",
)
def blame_language(context: LintContext) -> Iterator[Finding]:
    pattern = _pattern(context.extra_blame_words)
    in_fence = False
    for number, line in enumerate(context.lines, start=1):
        if line.lstrip().startswith(("```", "~~~")):
            in_fence = not in_fence
            continue
        found = (
            None
            if in_fence or not _may_blame(line, context.extra_blame_words)
            else (pattern.search(line))
        )
        if found:
            yield context.finding(
                "blame-language",
                Severity.warning,
                number,
                f"個人を責める表現です: {found.group(0)!r}"
                "（仕組みやプロセスの問題として書いてください）",
                f"blaming wording: {found.group(0)!r} "
                "(describe what the system or process allowed)",
            )
