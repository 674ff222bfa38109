"""Timezones as people write them: `JST`, `PDT`, `+09:00`, `Asia/Tokyo`.

An abbreviation after a time names a fixed offset (`PDT` is UTC−7), so a
time written with it is exact even in the hour a clock change repeats.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo

from hansei.config import find_zone


def _hours(hours: float) -> timedelta:
    return timedelta(minutes=round(hours * 60))


# Abbreviation: (UTC offset, the IANA zone a document written in it most likely uses).
ABBREVIATIONS: dict[str, tuple[timedelta, str]] = {
    "JST": (_hours(9), "Asia/Tokyo"),
    "KST": (_hours(9), "Asia/Seoul"),
    "UTC": (_hours(0), "UTC"),
    "GMT": (_hours(0), "UTC"),
    "Z": (_hours(0), "UTC"),
    "PST": (_hours(-8), "America/Los_Angeles"),
    "PDT": (_hours(-7), "America/Los_Angeles"),
    "MST": (_hours(-7), "America/Denver"),
    "MDT": (_hours(-6), "America/Denver"),
    "CST": (_hours(-6), "America/Chicago"),
    "CDT": (_hours(-5), "America/Chicago"),
    "EST": (_hours(-5), "America/New_York"),
    "EDT": (_hours(-4), "America/New_York"),
    "BST": (_hours(1), "Europe/London"),
    "CET": (_hours(1), "Europe/Paris"),
    "CEST": (_hours(2), "Europe/Paris"),
    "EET": (_hours(2), "Europe/Helsinki"),
    "EEST": (_hours(3), "Europe/Helsinki"),
    "IST": (_hours(5.5), "Asia/Kolkata"),
    "SGT": (_hours(8), "Asia/Singapore"),
    "HKT": (_hours(8), "Asia/Hong_Kong"),
    "AEST": (_hours(10), "Australia/Sydney"),
    "AEDT": (_hours(11), "Australia/Sydney"),
}
# Generic names that follow the clock changes: a time with them is local time in that zone.
GENERIC_ZONES = {
    "PT": "America/Los_Angeles",
    "MT": "America/Denver",
    "CT": "America/Chicago",
    "ET": "America/New_York",
    "UK": "Europe/London",
}
_HEADER_LABELS = {"Asia/Tokyo": "JST", "UTC": "UTC", "Etc/UTC": "UTC"}
_OFFSET = re.compile(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?")


def timezone_name(text: str) -> str | None:
    """The IANA name for `Asia/Tokyo`, `JST`, `UTC`, `PDT` …; None if unknown."""
    cleaned = text.strip().strip("()（）").strip()
    known = ABBREVIATIONS.get(cleaned.upper())
    if known is not None:
        return known[1]
    if cleaned.upper() in GENERIC_ZONES:
        return GENERIC_ZONES[cleaned.upper()]
    return cleaned if find_zone(cleaned) is not None else None


def zone_from_suffix(suffix: str) -> tzinfo:
    """The zone a time's suffix names: an abbreviation or offset (fixed), or an IANA name."""
    cleaned = suffix.strip().strip("()（）").strip()
    upper = cleaned.upper()
    if upper in ABBREVIATIONS:
        offset = ABBREVIATIONS[upper][0]
        return UTC if not offset else timezone(offset, upper)
    if upper in GENERIC_ZONES:
        return ZoneInfo(GENERIC_ZONES[upper])
    match = _OFFSET.fullmatch(upper)
    if match:
        sign = -1 if match.group(1) == "-" else 1
        return timezone(
            sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3) or 0))
        )
    zone = find_zone(cleaned)
    if zone is None:
        raise ValueError(f"unknown timezone {cleaned!r}")
    return zone


def zone_label(timezone_name: str) -> str:
    """How a column header names the document's timezone: JST for Asia/Tokyo, else its name."""
    return _HEADER_LABELS.get(timezone_name, timezone_name)


def instant_label(local: datetime) -> str:
    """The suffix that pins this local time down: `JST`, `EDT`, or `+05:45`."""
    name = local.tzname() or ""
    offset = local.utcoffset() or timedelta(0)
    known = ABBREVIATIONS.get(name.upper())
    if known is not None and known[0] == offset:
        return name.upper()
    sign = "-" if offset < timedelta(0) else "+"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def is_ambiguous(local: datetime) -> bool:
    """True in the hour a clock change repeats: the wall time alone names two instants."""
    other = local.replace(fold=1 - local.fold)
    return other.utcoffset() != local.utcoffset()
