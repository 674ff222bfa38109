"""Small builders for postmortems used across tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from hansei.model import Postmortem, Status, TimelineEvent, Times

JST = ZoneInfo("Asia/Tokyo")


def jst(year: int, month: int, day: int, hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, second, tzinfo=JST)


def postmortem(**fields: Any) -> Postmortem:
    """A postmortem with only the given fields set (JSON-like values are validated)."""
    return Postmortem.model_validate(fields)


def with_times(target: float | None = 0.999, **times: datetime) -> Postmortem:
    return Postmortem(times=Times(**times), slo={"target": target})


def timeline(*rows: tuple[datetime | None, str]) -> list[TimelineEvent]:
    return [TimelineEvent(at=at, event=event) for at, event in rows]


def as_draft(document: Postmortem) -> Postmortem:
    """The examples are Final, which takes no edits: tests that edit start from a draft."""
    return document.model_copy(update={"status": Status.draft})


def draft_markdown(text: str) -> str:
    """An example's Markdown with its status line saying Draft instead of Final."""
    drafted = text.replace("**ステータス**: Final", "**ステータス**: Draft", 1).replace(
        "**Status**: Final", "**Status**: Draft", 1
    )
    assert drafted != text, "no Final status line to change"
    return drafted
