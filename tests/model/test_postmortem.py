from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from hansei.model import EventKind, Postmortem, classify_event
from tests.factories import postmortem


def test_timestamps_are_kept_in_the_document_timezone() -> None:
    pm = postmortem(times={"detected": "2025-01-16T03:05:00Z"})
    assert pm.times.detected == datetime(2025, 1, 16, 3, 5, tzinfo=UTC)
    assert pm.to_json_dict()["times"]["detected"] == "2025-01-16T12:05:00+09:00"


def test_a_timestamp_without_offset_is_read_in_the_document_timezone() -> None:
    pm = postmortem(timezone="UTC", timeline=[{"at": "2025-01-16T03:05:00", "event": "x"}])
    assert pm.timeline[0].at == datetime(2025, 1, 16, 3, 5, tzinfo=UTC)


# A folder of the tz database, a name too long for a file, a path: ZoneInfo raises
# OSError or ValueError for these, not "not found".
NOT_ZONES = ["Mars/Olympus", "Asia", "America", "x" * 300, "a/" * 200, "zoneinfo", "../etc"]


@pytest.mark.parametrize("name", NOT_ZONES, ids=lambda name: name[:16])
def test_unknown_timezone_is_refused(name: str) -> None:
    with pytest.raises(ValidationError, match="unknown timezone"):
        postmortem(timezone=name)


def test_one_line_fields_refuse_line_breaks_and_blank_means_missing() -> None:
    with pytest.raises(ValidationError, match="single line"):
        postmortem(title="first\nsecond")
    assert postmortem(author="   ").author is None


def test_enums_and_ranges_are_checked() -> None:
    with pytest.raises(ValidationError):
        postmortem(status="published")
    with pytest.raises(ValidationError):
        postmortem(slo={"target": 1.5})
    with pytest.raises(ValidationError):
        postmortem(action_items=[{"horizon": "someday", "task": "x"}])


def test_canonical_json_has_every_field_of_the_design() -> None:
    keys = set(Postmortem().to_json_dict())
    assert {
        "title", "date", "author", "reviewers", "status", "language", "timezone", "summary",
        "times", "impact", "slo", "timeline", "rca", "mitigation", "resolution", "went_well",
        "went_wrong", "learned", "action_items", "prevention", "related_docs",
        "business_impact", "reviews", "appendix", "extra_sections",
    } <= keys  # fmt: skip
    assert set(Postmortem().to_json_dict()["times"]) == {
        "occurred", "detected", "response_started", "mitigated", "recovered", "resolved",
    }  # fmt: skip


def test_json_round_trip_is_lossless() -> None:
    pm = postmortem(
        title="障害",
        times={"detected": "2025-01-16T12:05:00+09:00"},
        action_items=[{"number": 1, "horizon": "immediate", "task": "修正", "due": "2025-01-20"}],
    )
    again = Postmortem.model_validate(json.loads(json.dumps(pm.to_json_dict())))
    assert again == pm


@pytest.mark.parametrize(
    ("event", "kind"),
    [
        ("インシデント発生", EventKind.occurred),
        ("アラート検知", EventKind.detected),
        ("対応開始", EventKind.response_started),
        ("部分復旧", EventKind.mitigated),
        ("完全復旧", EventKind.recovered),
        ("Incident start", EventKind.occurred),
        ("Mitigated", EventKind.mitigated),
        ("Recovered", EventKind.recovered),
        ("原因特定", None),
        ("インシデントクローズ", None),
    ],
)
def test_timeline_events_name_key_moments(event: str, kind: EventKind | None) -> None:
    assert classify_event(event) == kind


def test_building_a_document_leaves_the_callers_objects_alone() -> None:
    from hansei.model import Times

    shared = Times(detected=datetime(2025, 1, 16, 3, 5, tzinfo=UTC))
    tokyo = Postmortem(times=shared, timezone="Asia/Tokyo")
    new_york = Postmortem(times=shared, timezone="America/New_York")
    assert shared.detected is not None
    assert shared.detected.utcoffset() is not None
    assert shared.detected.utcoffset().total_seconds() == 0  # type: ignore[union-attr]
    assert tokyo.to_json_dict()["times"]["detected"] == "2025-01-16T12:05:00+09:00"
    assert new_york.to_json_dict()["times"]["detected"] == "2025-01-15T22:05:00-05:00"
