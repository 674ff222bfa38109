"""The numbers, instants and characters a postmortem can mean (docs/format.md, Bounds).

Every value the model holds is bounded so that whatever it accepts can be
computed with, rendered, stored and read back: an instant in year 1 cannot be
moved to UTC, 1e308 minutes overflows every duration, a NUL byte cannot be
stored in PostgreSQL. The bounds are far beyond any real incident:

- instants and dates from 1970-01-01 to 2200-01-01 (UTC): software incidents
  happen after the epoch, and action items are not due centuries ahead;
- durations up to the whole of that span (120,968,640 minutes, 230 years);
- an SLO window of up to ten years, a target of at most six nines;
- percentages up to the largest share the bounded figures can compute
  (the whole span against a six-nines budget of one day), finite;
- action-item numbers from 0 to 10,000; revision numbers, ids and offsets
  up to 2^31 - 1 (PostgreSQL's `integer`);
- no NaN or infinity anywhere, no control characters but tab (and line
  breaks in multi-line text), no lone surrogates (they are not UTF-8).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field

EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2200, 1, 1, tzinfo=UTC)
EARLIEST_DATE = EARLIEST_INSTANT.date()
LATEST_DATE = LATEST_INSTANT.date()

MAX_MINUTES = (LATEST_INSTANT - EARLIEST_INSTANT) // timedelta(minutes=1)
"""120,968,640: the longest duration two bounded instants can be apart."""

MAX_WINDOW_DAYS = 3_660
MAX_SLO_TARGET = 0.999_999
MAX_PERCENT = 1e13
"""Above the largest share the bounded figures can compute: the whole span against
the smallest budget, six nines of one day (about 8.4e12 %)."""

MAX_ACTION_NUMBER = 10_000

MAX_REVISION = 2**31 - 1
"""Revision numbers, row ids, offsets and pages: within PostgreSQL's `integer`."""

# Tab is text; every other C0 control, DEL and a lone surrogate is not (PostgreSQL
# refuses NUL, UTF-8 has no surrogates, and the rest only garble a terminal or page).
_LINE_FORBIDDEN = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\ud800-\udfff]")
_TEXT_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


class OutOfBoundsError(ValueError):
    """A value past the bounds (a ValueError, so pydantic reports it as invalid)."""


def forbidden_character(text: str, *, multiline: bool = False) -> str | None:
    """The first character `text` may not hold, else None."""
    found = (_TEXT_FORBIDDEN if multiline else _LINE_FORBIDDEN).search(text)
    return found.group(0) if found else None


def describe_character(character: str) -> str:
    return f"U+{ord(character):04X}"


def check_text_characters(text: str, *, multiline: bool = False) -> str:
    character = forbidden_character(text, multiline=multiline)
    if character is None:
        return text
    if character in "\n\r":
        raise ValueError("must be a single line")
    raise ValueError(f"a control character ({describe_character(character)}) is not allowed")


def instant_in_range(value: datetime) -> bool:
    """Whether `value` is within the bounds; a naive value in any timezone's wall clock."""
    # Wall-clock check first: moving year 1 or 9999 to UTC overflows.
    if not (
        EARLIEST_INSTANT.replace(tzinfo=None) - timedelta(days=1)
        <= value.replace(tzinfo=None)
        <= LATEST_INSTANT.replace(tzinfo=None) + timedelta(days=1)
    ):
        return False
    if value.tzinfo is None or value.utcoffset() is None:
        # Offsets run from -12:00 to +14:00: wherever it is read, it stays in range.
        local = value.replace(tzinfo=None)
        return (
            EARLIEST_INSTANT.replace(tzinfo=None) + timedelta(hours=14)
            <= local
            <= LATEST_INSTANT.replace(tzinfo=None) - timedelta(hours=12)
        )
    return EARLIEST_INSTANT <= value <= LATEST_INSTANT


def check_instant(value: datetime) -> datetime:
    if not instant_in_range(value):
        raise OutOfBoundsError(f"must be between {EARLIEST_DATE} and {LATEST_DATE} (UTC)")
    return value


def check_date(value: date) -> date:
    if not EARLIEST_DATE <= value <= LATEST_DATE:
        raise OutOfBoundsError(f"must be between {EARLIEST_DATE} and {LATEST_DATE}")
    return value


def check_minutes(value: float) -> float:
    if not 0 <= value <= MAX_MINUTES:
        raise OutOfBoundsError(f"must be between 0 and {MAX_MINUTES:,} minutes (230 years)")
    return value


Instant = Annotated[datetime, AfterValidator(check_instant)]
"""A moment between 1970-01-01 and 2200-01-01 UTC."""

Day = Annotated[date, AfterValidator(check_date)]
"""A calendar date between 1970-01-01 and 2200-01-01."""

Minutes = Annotated[float, Field(allow_inf_nan=False), AfterValidator(check_minutes)]
"""A duration in minutes, 0 to MAX_MINUTES."""

Percent = Annotated[float, Field(allow_inf_nan=False, ge=-MAX_PERCENT, le=MAX_PERCENT)]
"""A finite percentage, within what the bounded figures can compute."""
