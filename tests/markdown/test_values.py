from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from hansei.markdown.values import (
    format_duration,
    format_number,
    is_placeholder,
    parse_bool,
    parse_date,
    parse_duration,
    parse_timestamp,
    percentages,
)
from hansei.model import Language
from tests.factories import JST


@pytest.mark.parametrize(
    "text",
    [
        "2025-01-16 12:34:56 JST",
        "2025-01-16 12:34:56",
        "2025/01/16 12:34:56",
        "2025-01-16T12:34:56+09:00",
        "２０２５-０１-１６ １２：３４：５６ JST",
        "2025-01-16 03:34:56 UTC",
        "2025-01-16 12:34:56 (JST)",
        "2025年1月16日 12:34:56",
    ],
)
def test_timestamps_in_many_spellings(text: str) -> None:
    assert parse_timestamp(text, JST) == datetime(2025, 1, 16, 12, 34, 56, tzinfo=JST)


def test_timestamp_without_seconds_and_with_an_offset() -> None:
    assert parse_timestamp("2025-01-16 12:34", UTC) == datetime(2025, 1, 16, 12, 34, tzinfo=UTC)
    offset = timezone(timedelta(hours=-5))
    assert parse_timestamp("2025-01-16 07:00 -05:00", JST) == datetime(
        2025, 1, 16, 7, tzinfo=offset
    )


@pytest.mark.parametrize(
    "text", ["YYYY-MM-DD HH:MM:SS JST", "YYYY-MM-DD", "HH:MM", "", "[例: 2025-01-16]"]
)
def test_placeholder_timestamps_are_missing(text: str) -> None:
    assert parse_timestamp(text, JST) is None


@pytest.mark.parametrize("text", ["yesterday noon", "2025-13-40 12:00", "2025-01-16"])
def test_unreadable_timestamps_are_errors(text: str) -> None:
    with pytest.raises(ValueError, match="date"):
        parse_timestamp(text, JST)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("15分", 15),
        ("約15分", 15),
        ("1時間30分", 90),
        ("1時間半", 90),
        ("90分", 90),
        ("2日（完全修正まで）", 2880),
        ("2日3時間", 3060),
        ("30秒", 0.5),
        ("5分30秒", 5.5),
        ("45 minutes", 45),
        ("1h 30m", 90),
        ("1.5 hours", 90),
        ("2 d 3 h 15 min", 3075),
        ("15", 15),
    ],
)
def test_durations(text: str, minutes: float) -> None:
    assert parse_duration(text) == minutes


def test_duration_placeholder_and_garbage() -> None:
    assert parse_duration("[例: 15分]") is None
    with pytest.raises(ValueError, match="duration"):
        parse_duration("しばらく")


@pytest.mark.parametrize(
    ("minutes", "ja", "en"),
    [
        (15, "15分", "15 min"),
        (67, "1時間7分", "1 h 7 min"),
        (2880, "2日", "2 d"),
        (3878, "2日16時間38分", "2 d 16 h 38 min"),
        (5.5, "5分30秒", "5 min 30 s"),
        (0, "0分", "0 min"),
    ],
)
def test_durations_are_written_exactly_and_read_back(minutes: float, ja: str, en: str) -> None:
    assert format_duration(minutes, Language.ja) == ja
    assert format_duration(minutes, Language.en) == en
    assert parse_duration(ja) == minutes
    assert parse_duration(en) == minutes


@pytest.mark.parametrize(
    ("value", "text"), [(99.965, "99.965"), (43.2, "43.2"), (15.0, "15"), (1e-5, "0.00001")]
)
def test_numbers_are_written_shortest_without_exponent(value: float, text: str) -> None:
    assert format_number(value) == text
    assert float(text) == value


def test_percentages_and_booleans() -> None:
    assert percentages("99.5% (目標: 99.9%)") == [99.5, 99.9]
    assert percentages("-0.11% / 0.05%") == [-0.11, 0.05]
    assert parse_bool("なし") is False
    assert parse_bool("あり（一部）") is True
    assert parse_bool("あり / なし") is None
    assert parse_date("2025/3/2") == date(2025, 3, 2)


@pytest.mark.parametrize(
    "text",
    ["[担当者名]", "[例: 15分]", "YYYY-MM-DD", "HH:MM", "Draft / Review / Final", "-", "TBD"],
)
def test_template_placeholders(text: str) -> None:
    assert is_placeholder(text)


@pytest.mark.parametrize("text", ["@ksato", "[Runbook](./README.md)", "Walk API", "2025-01-16"])
def test_values_that_are_not_placeholders(text: str) -> None:
    assert not is_placeholder(text)
