"""Timeline times of day resolved per DESIGN.md (roll-over, own dates, anchor)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from hansei.markdown.clock import format_row_time, resolve_row_time
from hansei.markdown.values import format_timestamp
from tests.factories import JST, jst

ANCHOR = date(2025, 3, 2)


def resolve_all(cells: list[str]) -> list[str]:
    previous = None
    out = []
    for cell in cells:
        at = resolve_row_time(cell, previous, ANCHOR, JST)
        assert at is not None
        out.append(at.strftime("%Y-%m-%d %H:%M"))
        previous = at
    return out


def test_first_row_takes_the_anchor_date_and_later_rows_roll_over_midnight() -> None:
    assert resolve_all(["23:40", "23:52", "00:06", "00:47"]) == [
        "2025-03-02 23:40",
        "2025-03-02 23:52",
        "2025-03-03 00:06",
        "2025-03-03 00:47",
    ]


def test_rows_with_their_own_date() -> None:
    assert resolve_all(["23:40", "03-05 16:30", "2026-01-02 09:00", "10:00"]) == [
        "2025-03-02 23:40",
        "2025-03-05 16:30",
        "2026-01-02 09:00",
        "2026-01-02 10:00",
    ]


def test_a_small_step_back_is_a_row_out_of_order_not_the_next_day() -> None:
    assert resolve_all(["09:45", "09:30", "22:00", "08:00"]) == [
        "2025-03-02 09:45",
        "2025-03-02 09:30",
        "2025-03-02 22:00",
        "2025-03-03 08:00",
    ]


def test_equal_times_stay_on_the_same_day() -> None:
    assert resolve_all(["12:00", "12:00"]) == ["2025-03-02 12:00", "2025-03-02 12:00"]


def test_a_time_without_any_date_is_an_error() -> None:
    with pytest.raises(ValueError, match="no date"):
        resolve_row_time("12:00", None, None, JST)


def test_placeholder_time_is_missing() -> None:
    assert resolve_row_time("HH:MM", None, ANCHOR, JST) is None


@pytest.mark.parametrize(
    ("value", "previous", "text"),
    [
        # With only a date to go by, the first row carries its own date.
        (jst(2025, 3, 2, 23, 40), None, "2025-03-02 23:40"),
        (jst(2025, 3, 3, 0, 6), jst(2025, 3, 2, 23, 52), "00:06"),
        (jst(2025, 3, 5, 16, 30), jst(2025, 3, 3, 0, 47), "03-05 16:30"),
        # A little earlier than the row before: the same day, out of order.
        (jst(2025, 3, 2, 9, 0), jst(2025, 3, 2, 10, 0), "09:00"),
        # A little earlier, but on the next day: the date must be written.
        (jst(2025, 3, 3, 9, 0), jst(2025, 3, 2, 10, 0), "03-03 09:00"),
        (jst(2026, 1, 1, 9, 0), jst(2025, 12, 30, 10, 0), "2026-01-01 09:00"),
        (jst(2025, 3, 2, 23, 40, 15), jst(2025, 3, 2, 23, 40), "23:40:15"),
    ],
)
def test_written_times_are_the_shortest_that_read_back(value, previous, text) -> None:  # type: ignore[no-untyped-def]
    assert format_row_time(value, previous, ANCHOR, JST) == text
    assert resolve_row_time(text, previous, ANCHOR, JST) == value


NEW_YORK = ZoneInfo("America/New_York")


def test_the_repeated_hour_of_a_clock_change_is_written_with_its_abbreviation() -> None:
    first = datetime(2025, 11, 2, 5, 30, tzinfo=UTC)  # 01:30 EDT
    second = datetime(2025, 11, 2, 6, 30, tzinfo=UTC)  # 01:30 EST, an hour later
    anchor = date(2025, 11, 2)
    text_first = format_row_time(first, None, anchor, NEW_YORK)
    text_second = format_row_time(second, first, anchor, NEW_YORK)
    assert (text_first, text_second) == ("2025-11-02 01:30 EDT", "2025-11-02 01:30 EST")
    assert resolve_row_time(text_first, None, anchor, NEW_YORK) == first
    assert resolve_row_time(text_second, first, anchor, NEW_YORK) == second
    assert format_timestamp(second, "America/New_York") == "2025-11-02 01:30:00 EST"


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("01:40 PST", datetime(2025, 3, 9, 9, 40, tzinfo=UTC)),
        ("03:30 PDT", datetime(2025, 3, 9, 10, 30, tzinfo=UTC)),
        ("12:00 JST", datetime(2025, 3, 9, 3, 0, tzinfo=UTC)),
        ("12:00 +05:30", datetime(2025, 3, 9, 6, 30, tzinfo=UTC)),
    ],
)
def test_row_times_with_a_zone_abbreviation(cell: str, expected: datetime) -> None:
    assert resolve_row_time(cell, None, date(2025, 3, 9), NEW_YORK) == expected


@pytest.mark.parametrize(
    ("first_cell", "detected", "expected"),
    [
        # Incident start before midnight, detection after it: the evening before.
        ("23:50", jst(2025, 3, 31, 0, 5), jst(2025, 3, 30, 23, 50)),
        # A timeline that starts after detection stays on the day of detection.
        ("12:15", jst(2025, 3, 31, 12, 5), jst(2025, 3, 31, 12, 15)),
        # Detection just before midnight, first row (response) just after it.
        ("00:20", jst(2025, 3, 31, 23, 55), jst(2025, 4, 1, 0, 20)),
        ("09:00", jst(2025, 3, 31, 21, 0), jst(2025, 3, 31, 9, 0)),
    ],
)
def test_the_first_row_lands_on_the_day_nearest_the_detection(
    first_cell: str, detected: datetime, expected: datetime
) -> None:
    assert resolve_row_time(first_cell, None, detected, JST) == expected
    assert format_row_time(expected, None, detected, JST) == first_cell
