"""Timeline times of day, resolved to full timestamps (DESIGN.md definitions).

A row's `HH:MM` takes the date of the row before and rolls over to the next
day when it would go backwards by 12 hours or more (a smaller step back is a
row out of order, which lint reports); a row may carry its own date, `MM-DD HH:MM`
or `YYYY-MM-DD HH:MM`. The first row is placed against the anchor, the
detection time by preference: on the day that puts it nearest that moment,
so a timeline that starts at 23:50 before a detection at 00:05 starts the
evening before (DESIGN.md says "the date of detected"; read literally, that
would put 23:50 a day late). Without a time to anchor on, the first row takes
the document's date.

The parser and the renderer share these rules, so a rendered timeline reads
back to the same instants.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from hansei.markdown.values import fold_when, is_placeholder, parse_timestamp
from hansei.markdown.zones import instant_label, is_ambiguous, zone_from_suffix
from hansei.model import Postmortem
from hansei.model.limits import check_instant

_ROW_TIME = re.compile(
    r"^(?:(?:(?P<year>\d{4})\s*[-/年]\s*)?(?P<month>\d{1,2})\s*[-/月]\s*(?P<day>\d{1,2})\s*日?\s+)?"
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<zone>\(?\s*(?:[A-Za-z]{1,5}|[+-]\d{1,2}:?\d{2})\s*\)?)?$",
    re.IGNORECASE,
)

# Times within hours of the timeline's start; `resolved` is often days later, so it is no anchor.
ANCHOR_FIELDS = ("detected", "occurred", "response_started", "mitigated", "recovered")

Anchor = datetime | date | None
"""A moment (in the document's timezone) or, lacking one, a day."""


def timeline_anchor(postmortem: Postmortem) -> Anchor:
    """What the first timeline row is placed against: the first stated key time, else the date."""
    return anchor_of(postmortem.times.model_dump(), postmortem.date, postmortem.zone)


def anchor_of(times: Mapping[str, datetime | None], day: date | None, zone: tzinfo) -> Anchor:
    for name in ANCHOR_FIELDS:
        value = times.get(name)
        if value is not None:
            return value.astimezone(zone)
    return day


def _first_row(clock: time, anchor: Anchor, zone: tzinfo) -> datetime | None:
    """The wall time of a first row showing `clock`, by the anchor's rule."""
    if isinstance(anchor, datetime):
        moment = anchor.astimezone(zone).replace(tzinfo=None)
        candidates = [
            datetime.combine(moment.date() + timedelta(days=shift), clock) for shift in (0, -1, 1)
        ]
        return min(candidates, key=lambda candidate: abs(candidate - moment))
    if isinstance(anchor, date):
        return datetime.combine(anchor, clock)
    return None


def _anchor_year(anchor: Anchor) -> int | None:
    return None if anchor is None else anchor.year


def resolve_row_time(
    text: str, previous: datetime | None, anchor: Anchor, zone: tzinfo
) -> datetime | None:
    """The instant a timeline cell names; `previous` is the row before, in `zone`.

    Raises ValueError for text that is no time, or a bare time with no date to
    take (no earlier row and no anchor).
    """
    if is_placeholder(text):
        return None
    folded = fold_when(text)
    match = _ROW_TIME.match(folded)
    if not match:
        return parse_timestamp(folded, zone)
    row_zone = zone_from_suffix(match.group("zone")) if match.group("zone") else zone
    clock = time(
        int(match.group("hour")), int(match.group("minute")), int(match.group("second") or 0)
    )
    previous_local = previous.astimezone(row_zone).replace(tzinfo=None) if previous else None
    if match.group("month"):
        year_source = previous_local.year if previous_local else _anchor_year(anchor)
        year = int(match.group("year")) if match.group("year") else year_source
        if year is None:
            raise ValueError(f"timeline time {text.strip()!r} has no year: write YYYY-MM-DD HH:MM")
        try:
            day = date(year, int(match.group("month")), int(match.group("day")))
        except ValueError as error:
            raise ValueError(f"not a valid date: {text.strip()!r} ({error})") from error
        # Checked before any arithmetic: the rows after this one are counted from it.
        local: datetime | None = check_instant(datetime.combine(day, clock))
    elif previous is not None and previous_local is not None:
        return _next_after(previous, datetime.combine(previous_local.date(), clock), row_zone)
    else:
        local = _first_row(clock, anchor, row_zone)
    if local is None:
        raise ValueError(
            f"timeline time {text.strip()!r} has no date: give the detection time "
            "or write the row as YYYY-MM-DD HH:MM"
        )
    return _existing(local.replace(tzinfo=row_zone))


def _existing(aware: datetime) -> datetime:
    """A local time the spring clock change skips (02:30) as the time it means (03:30)."""
    return aware.astimezone(UTC).astimezone(aware.tzinfo)


def _next_after(previous: datetime, local: datetime, zone: tzinfo) -> datetime:
    """The first instant showing this wall time, on the previous row's day or later, not before it.

    In the hour a clock change repeats, the second pass counts: 01:20 PDT, then
    01:10 is 01:10 PST, not the next day. A time only a little earlier than the
    row before stays on its day: a row out of order, not a day later.
    """
    # Compared in UTC: two datetimes sharing a tzinfo compare by wall time, folds ignored.
    after = previous.astimezone(UTC)
    same_day = _existing(local.replace(tzinfo=zone))
    for fold in (0, 1):
        candidate = _existing(local.replace(tzinfo=zone, fold=fold))
        if candidate.astimezone(UTC) >= after:
            return candidate
    if after - same_day.astimezone(UTC) < _ROLL_OVER_FROM:
        # 09:45 then 09:30 is a row out of order (reported by lint), not a day later.
        return same_day
    return _existing((local + timedelta(days=1)).replace(tzinfo=zone))


# A time goes back this much or more before it is read as the next day (23:50 → 00:10).
_ROLL_OVER_FROM = timedelta(hours=12)


def format_row_time(
    value: datetime, previous: datetime | None, anchor: Anchor, zone: tzinfo
) -> str:
    """The shortest cell text that `resolve_row_time` reads back as `value`."""
    aware = _existing(value.astimezone(zone))
    local = aware.replace(tzinfo=None)
    clock = f"{local:%H:%M:%S}" if local.second else f"{local:%H:%M}"
    if is_ambiguous(aware):
        # The hour a clock change repeats: only the zone's abbreviation tells which.
        return f"{local:%Y-%m-%d} {clock} {instant_label(aware)}"
    if previous is not None:
        previous_local = previous.astimezone(zone).replace(tzinfo=None)
        same_day = datetime.combine(previous_local.date(), local.time())
        if _next_after(previous, same_day, zone).astimezone(UTC) == aware.astimezone(UTC):
            return clock
        year = previous_local.year
    elif isinstance(anchor, datetime):
        if _first_row(local.time(), anchor, zone) == local:
            return clock
        year = anchor.year
    else:
        # Without a time to place it against, the first row carries its own date.
        return f"{local:%Y-%m-%d} {clock}"
    return f"{local:%m-%d} {clock}" if local.year == year else f"{local:%Y-%m-%d} {clock}"
