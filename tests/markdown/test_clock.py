"""Timeline times of day resolved per DESIGN.md (roll-over, own dates, anchor)."""

from __future__ import annotations

from datetime import date

import pytest

from hansei.markdown.clock import format_row_time, resolve_row_time
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
        (jst(2025, 3, 2, 23, 40), None, "23:40"),
        (jst(2025, 3, 3, 0, 6), jst(2025, 3, 2, 23, 52), "00:06"),
        (jst(2025, 3, 5, 16, 30), jst(2025, 3, 3, 0, 47), "03-05 16:30"),
        # Earlier than the row before on the same day: the date must be written.
        (jst(2025, 3, 2, 9, 0), jst(2025, 3, 2, 10, 0), "03-02 09:00"),
        (jst(2026, 1, 1, 9, 0), jst(2025, 12, 30, 10, 0), "2026-01-01 09:00"),
        (jst(2025, 3, 2, 23, 40, 15), None, "23:40:15"),
    ],
)
def test_written_times_are_the_shortest_that_read_back(value, previous, text) -> None:  # type: ignore[no-untyped-def]
    assert format_row_time(value, previous, ANCHOR, JST) == text
    assert resolve_row_time(text, previous, ANCHOR, JST) == value
