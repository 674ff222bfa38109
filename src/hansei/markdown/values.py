"""Reading and writing the values inside the document: times, durations, percentages.

Every `parse_*` returns None for a template placeholder and raises ValueError,
with a message for the reader, for text it cannot read.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, tzinfo
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from hansei.markdown.zones import instant_label, zone_from_suffix
from hansei.model import Language
from hansei.model.limits import MAX_MINUTES, check_date, check_instant

_PLACEHOLDER = re.compile(
    r"""^(?:
        \[[^\]]*\](?!\()            # [担当者名], [例: 15分] (not a link)
      | [YＹ]{4}[-/][MＭ]{2}[-/][DＤ]{2}(?:[ T][HＨ]{2}:[MＭ]{2}(?::[SＳ]{2})?)?(?:\s*\S+)?
      | [HＨ]{2}:[MＭ]{2}(?::[SＳ]{2})?
      | (?:draft|review|final)\s*/\s*(?:draft|review|final)(?:\s*/\s*(?:draft|review|final))?
      | critical\s*/\s*high\s*/\s*medium\s*/\s*low
      | あり\s*/\s*なし | yes\s*/\s*no
      | x{2,} | -{1,3} | ー | なし\s*/\s*軽微 | tbd | n/?a | 未定 | \?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


@lru_cache(maxsize=8192)
def is_placeholder(text: str | None) -> bool:
    """True for empty text and for the template's fill-in markers."""
    if text is None:
        return True
    stripped = text.strip()
    return not stripped or bool(_PLACEHOLDER.match(stripped))


def fold(text: str) -> str:
    """Full-width digits, colons and spaces to their ASCII forms."""
    return unicodedata.normalize("NFKC", text)


_WEEKDAY = re.compile(r"\s*\((?:月|火|水|木|金|土|日|mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\)", re.I)
_JAPANESE_CLOCK = re.compile(r"(\d{1,2})\s*時\s*(\d{1,2})\s*分(?:\s*(\d{1,2})\s*秒)?")


@lru_cache(maxsize=8192)
def fold_when(text: str) -> str:
    """A date or time as `YYYY-MM-DD HH:MM:SS`-like text.

    Also `2025年1月16日(木) 12時05分`, `午後3時5分` and `3:05 PM`.
    """
    # Runs of spaces made one first: the patterns below share a run between their
    # `\s*` in every possible way, which a run of thousands makes take minutes.
    folded = _WEEKDAY.sub("", " ".join(fold(text).split()))
    folded = re.sub(r"(午前|午後)\s*(\d{1,2})\s*時(?!\s*\d{1,2}\s*分)", r"\1\2時0分", folded)

    def clock(match: re.Match[str]) -> str:
        hour, minute, second = match.groups()
        return f"{hour}:{int(minute):02d}" + (f":{int(second):02d}" if second else "")

    folded = _JAPANESE_CLOCK.sub(clock, folded)
    return re.sub(r"\s+", " ", _TWELVE_HOUR.sub(_twenty_four_hour, folded)).strip()


_TWELVE_HOUR = re.compile(
    r"(?:(?P<pre>午前|午後)\s*)?(?P<hour>\d{1,2}):(?P<rest>\d{2}(?::\d{2})?)\s*"
    r"(?P<post>[ap]\.?m\.?(?![a-z]))?",
    re.IGNORECASE,
)


def _twenty_four_hour(match: re.Match[str]) -> str:
    """`3:05 PM`, `午後3:05` → `15:05`; `12:10 AM` → `00:10`; other times unchanged."""
    marker = (match["pre"] or match["post"] or "").lower().replace(".", "")
    hour = int(match["hour"])
    if marker in ("pm", "午後") and hour < 12:
        hour += 12
    elif marker in ("am", "午前") and hour == 12:
        hour = 0
    elif not marker:
        return match.group(0)
    return f"{hour:02d}:{match['rest']} "


# --- timestamps --------------------------------------------------------------

_DATE = r"(?P<year>\d{4})\s*[-/.年]\s*(?P<month>\d{1,2})\s*[-/.月]\s*(?P<day>\d{1,2})\s*日?"
_CLOCK = r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?"
_SUFFIX = r"(?P<zone>Z|[+-]\d{1,2}:?\d{2}|\(?\s*[A-Za-z][A-Za-z_/+-]*\s*\)?)?"
_TIMESTAMP = re.compile(rf"^{_DATE}(?:\s*(?:T|\s)\s*{_CLOCK})?\s*{_SUFFIX}$")
_DATE_ONLY = re.compile(rf"^{_DATE}$")


def parse_timestamp(text: str, zone: tzinfo) -> datetime | None:
    """`2025-01-16 12:34:56 JST`, `2025/01/16 12:34`, ISO 8601, with or without a zone.

    A time without a zone is in `zone`, the document's timezone.
    """
    if is_placeholder(text):
        return None
    folded = fold_when(text)
    match = _TIMESTAMP.match(folded)
    if not match or match.group("hour") is None:
        raise ValueError(f"not a date and time: {text.strip()!r} (expected YYYY-MM-DD HH:MM:SS)")
    when_zone = zone_from_suffix(match.group("zone")) if match.group("zone") else zone
    try:
        return check_instant(
            datetime(
                int(match.group("year")),
                int(match.group("month")),
                int(match.group("day")),
                int(match.group("hour")),
                int(match.group("minute")),
                int(match.group("second") or 0),
                tzinfo=when_zone,
            )
        )
    except ValueError as error:
        raise ValueError(f"not a valid date and time: {text.strip()!r} ({error})") from error


def format_timestamp(value: datetime, timezone_name: str) -> str:
    """`2025-01-16 12:05:00 JST`: local time and the suffix that makes it exact."""
    local = value.astimezone(ZoneInfo(timezone_name))
    return f"{local:%Y-%m-%d %H:%M:%S} {instant_label(local)}"


_MONTH_DAY = re.compile(r"^(?P<month>\d{1,2})\s*[-/月]\s*(?P<day>\d{1,2})\s*日?$")


def parse_date(text: str, *, near: date | None = None) -> date | None:
    """`2025-01-20`, `2025/1/20`, `2025年1月20日(月)`; `1/20` when `near` gives the year.

    A date without a year takes the year that puts it nearest `near` (a due
    date written `1/5` in a December incident is in January of the next year).
    """
    if is_placeholder(text):
        return None
    folded = fold_when(text)
    try:
        if match := _DATE_ONLY.match(folded):
            return check_date(date(int(match["year"]), int(match["month"]), int(match["day"])))
        if (short := _MONTH_DAY.match(folded)) and near is not None:
            candidates = [
                date(near.year + shift, int(short["month"]), int(short["day"]))
                for shift in (0, 1, -1)
            ]
            return check_date(min(candidates, key=lambda candidate: abs((candidate - near).days)))
    except ValueError as error:
        raise ValueError(f"not a valid date: {text.strip()!r} ({error})") from error
    raise ValueError(f"not a date: {text.strip()!r} (expected YYYY-MM-DD)")


# --- durations ---------------------------------------------------------------

_UNIT_SECONDS = {
    "日": 86400, "d": 86400, "day": 86400, "days": 86400,
    "時間": 3600, "h": 3600, "hr": 3600, "hrs": 3600, "hour": 3600, "hours": 3600,
    "分": 60, "m": 60, "min": 60, "mins": 60, "minute": 60, "minutes": 60,
    "秒": 1, "s": 1, "sec": 1, "secs": 1, "second": 1, "seconds": 1,
}  # fmt: skip
_DURATION_PART = re.compile(
    r"\s*(\d+(?:\.\d+)?)\s*(日|時間半|時間|分|秒|days?|hours?|hrs?|minutes?|mins?|seconds?|secs?|d|h|m|s)"
    r"(?![a-z])",
    re.IGNORECASE,
)
_APPROXIMATELY = re.compile(r"^\s*(?:約|およそ|ほぼ|about|approx(?:imately|\.)?|~|〜|≈)?\s*", re.I)
_NO_DURATION = re.compile(r"^\s*(?:なし|無し|ゼロ|none|no downtime|nil)(?![a-z])", re.IGNORECASE)
_NUMBER = re.compile(r"\s*(\d+(?:\.\d+)?)(?![\d.])")


def parse_duration(text: str) -> float | None:
    """Minutes in `15分`, `約1時間30分`, `1時間半`, `2日`, `45 minutes`, `1h 30m`, `1h30`, `90`.

    Only the leading duration counts: `30分（ピーク時5分）` is 30 minutes.
    """
    if is_placeholder(text):
        return None
    folded = fold(text)
    if _NO_DURATION.match(folded):
        return 0.0
    position = _APPROXIMATELY.match(folded).end()  # type: ignore[union-attr]
    seconds = 0.0
    unit = ""
    while part := _DURATION_PART.match(folded, position):
        number, unit = part.groups()
        if unit == "時間半":
            seconds += float(number) * 3600 + 1800
        else:
            seconds += float(number) * _UNIT_SECONDS[unit.lower()]
        position = part.end()
    trailing = _NUMBER.match(folded, position)
    if unit.lower() in ("h", "hr", "hrs", "hour", "hours", "時間") and trailing:
        seconds += float(trailing.group(1)) * 60  # 1h30: the minutes after the hours
    elif not unit:
        if not trailing:
            raise ValueError(f"not a duration: {text.strip()!r} (expected e.g. 15分 or 1時間30分)")
        seconds = float(trailing.group(1)) * 60
    if not seconds / 60 <= MAX_MINUTES:
        raise ValueError(
            f"not a duration hansei can hold: {text.strip()!r} "
            f"(at most {MAX_MINUTES:,} minutes, 230 years)"
        )
    if abs(seconds - round(seconds)) < 1e-6:
        seconds = round(seconds)
    return seconds / 60


_DURATION_UNITS: dict[Language, tuple[str, str, str, str, str]] = {
    Language.ja: ("日", "時間", "分", "秒", ""),
    Language.en: (" d", " h", " min", " s", " "),
}


def format_duration(minutes: float, language: Language) -> str:
    """`2日3時間15分`, `15分30秒` / `2 d 3 h 15 min`, exact to the second."""
    total = round(minutes * 60)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    mins, secs = divmod(rest, 60)
    day_unit, hour_unit, minute_unit, second_unit, joiner = _DURATION_UNITS[language]
    parts = [
        f"{amount}{unit}"
        for amount, unit in (
            (days, day_unit),
            (hours, hour_unit),
            (mins, minute_unit),
            (secs, second_unit),
        )
        if amount
    ]
    return joiner.join(parts) if parts else f"0{minute_unit}"


# --- numbers -----------------------------------------------------------------

_PERCENT = re.compile(r"(-?\d+(?:\.\d+)?)\s*%")


def format_number(value: float) -> str:
    """The shortest decimal that reads back as the same float (no exponent)."""
    text = format(Decimal(repr(float(value))).normalize(), "f")
    return "0" if text in ("-0", "0") else text


def format_percent(value: float) -> str:
    return f"{format_number(value)}%"


def percentages(text: str) -> list[float]:
    """Every `N%` in the text, in order."""
    return [float(number) for number in _PERCENT.findall(fold(text))]


def parse_bool(text: str) -> bool | None:
    if is_placeholder(text):
        return None
    folded = fold(text).strip().lower()
    if folded.startswith(("あり", "有", "yes", "true", "発生")):
        return True
    if folded.startswith(("なし", "無", "no", "false", "none")):
        return False
    raise ValueError(f"not yes or no: {text.strip()!r} (expected あり / なし)")
