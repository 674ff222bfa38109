"""The bounds of model/limits.py: each at its edge is taken, one step past it refused,
naming the field, from Python values and from JSON alike."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from hansei.markdown import parse_markdown, render_html, render_markdown
from hansei.metrics import compute_metrics
from hansei.model import Postmortem
from hansei.model.limits import MAX_MINUTES, MAX_PERCENT
from hansei.store.mapping import prepare

# (field path as the API names it, a document just inside the bounds, one just outside)
EDGES: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    (
        "impact.downtime_minutes",
        {"impact": {"downtime_minutes": MAX_MINUTES}},
        {"impact": {"downtime_minutes": MAX_MINUTES + 1}},
    ),
    (
        "impact.downtime_minutes",
        {"impact": {"downtime_minutes": 0}},
        {"impact": {"downtime_minutes": -1}},
    ),
    (
        "times.detected",
        {"times": {"detected": "1970-01-01T00:00:00Z"}},
        {"times": {"detected": "1969-12-31T23:59:59Z"}},
    ),
    (
        "times.recovered",
        {"times": {"recovered": "2200-01-01T09:00:00+09:00"}},
        {"times": {"recovered": "2200-01-01T09:00:01+09:00"}},
    ),
    (
        "timeline[0].at",
        {"timeline": [{"at": "2199-12-31T12:00:00", "event": "x"}]},
        {"timeline": [{"at": "2200-01-01T00:00:00", "event": "x"}]},
    ),
    ("date", {"date": "1970-01-01"}, {"date": "1969-12-31"}),
    (
        "action_items[0].due",
        {"action_items": [{"horizon": "immediate", "due": "2200-01-01"}]},
        {"action_items": [{"horizon": "immediate", "due": "2200-01-02"}]},
    ),
    (
        "action_items[0].number",
        {"action_items": [{"horizon": "immediate", "number": 10_000}]},
        {"action_items": [{"horizon": "immediate", "number": 10_001}]},
    ),
    (
        "reviews[0].date",
        {"reviews": [{"date": "2199-12-31"}]},
        {"reviews": [{"date": "2200-01-02"}]},
    ),
    ("slo.window_days", {"slo": {"window_days": 3660}}, {"slo": {"window_days": 3661}}),
    ("slo.target", {"slo": {"target": 0.999999}}, {"slo": {"target": 0.9999991}}),
    (
        "stated.ttr_minutes",
        {"stated": {"ttr_minutes": MAX_MINUTES}},
        {"stated": {"ttr_minutes": MAX_MINUTES + 0.5}},
    ),
    (
        "stated.budget_window_pct",
        {"stated": {"budget_window_pct": MAX_PERCENT}},
        {"stated": {"budget_window_pct": MAX_PERCENT * 1.01}},
    ),
    (
        "stated.budget_remaining_window_pct",
        {"stated": {"budget_remaining_window_pct": -MAX_PERCENT}},
        {"stated": {"budget_remaining_window_pct": -MAX_PERCENT * 1.01}},
    ),
    ("title", {"title": "tab\tinside"}, {"title": "NUL\x00inside"}),
    ("author", {"author": "sato"}, {"author": "sato\x1b[31m"}),
    ("summary", {"summary": "two\nlines\twith a tab"}, {"summary": "bell\x07"}),
    (
        "appendix.logs[0].text",
        {"appendix": {"logs": [{"title": "t", "text": "log\nline"}]}},
        {"appendix": {"logs": [{"title": "t", "text": "log\x00line"}]}},
    ),
    (
        "extra_sections[0].body",
        {"extra_sections": [{"title": "t", "body": "kept"}]},
        {"extra_sections": [{"title": "t", "body": "kept\x7f"}]},
    ),
]


def _path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


@pytest.mark.parametrize(("field", "inside", "outside"), EDGES, ids=[e[0] for e in EDGES])
def test_a_value_at_the_edge_is_taken_and_one_past_it_refused_naming_the_field(
    field: str, inside: dict[str, Any], outside: dict[str, Any]
) -> None:
    taken = Postmortem.model_validate(inside)
    # Whatever the model takes can be computed with, rendered and read back.
    compute_metrics(taken)
    render_html(taken)
    parse_markdown(render_markdown(taken))
    refusals: list[Callable[[], object]] = [
        lambda: Postmortem.model_validate(outside),
        lambda: Postmortem.model_validate_json(json.dumps(outside)),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError) as refused:
            refuse()
        assert _path(tuple(refused.value.errors()[0]["loc"])) == field


@pytest.mark.parametrize(
    "body",
    [
        '{"impact": {"downtime_minutes": 1e308}}',
        '{"impact": {"downtime_minutes": 1e999}}',
        '{"impact": {"downtime_minutes": NaN}}',
        '{"stated": {"availability_pct": Infinity}}',
        '{"slo": {"target": -Infinity}}',
        '{"times": {"detected": "0001-01-01T00:00:00+09:00"}}',
        '{"times": {"detected": "9999-12-31T23:59:59-12:00"}}',
        '{"timeline": [{"at": "0001-01-01T00:00:00", "event": "x"}]}',
        '{"action_items": [{"horizon": "immediate", "number": 18446744073709551616}]}',
        '{"slo": {"window_days": 9223372036854775808}}',
        '{"title": "a\\u0000b"}',
    ],
)
def test_figures_no_postmortem_can_mean_are_refused_from_json(body: str) -> None:
    with pytest.raises(ValidationError):
        Postmortem.model_validate_json(body)


def test_a_naive_timestamp_near_an_edge_stays_in_range_in_any_timezone() -> None:
    for zone in ("Pacific/Kiritimati", "Etc/GMT+12", "Asia/Tokyo"):
        for at in ("1970-01-01T14:00:00", "2199-12-31T12:00:00"):
            document = Postmortem.model_validate({"timezone": zone, "times": {"detected": at}})
            assert document.times.detected is not None
            Postmortem.model_validate_json(document.model_dump_json())


_OFFSETS: st.SearchStrategy[tzinfo | None] = st.sampled_from(
    [None, UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))]
)


def _instants(
    low: datetime = datetime.min, high: datetime = datetime.max
) -> st.SearchStrategy[str]:
    return st.builds(
        lambda moment, zone: moment.replace(tzinfo=zone).isoformat(),
        st.datetimes(low, high),
        _OFFSETS,
    )


_EDGE_INSTANTS = st.sampled_from(
    [
        "1970-01-01T00:00:00Z",
        "2200-01-01T00:00:00Z",
        "1970-01-01T14:00:00",
        "2199-12-31T12:00:00",
        "1970-01-01T09:00:00+09:00",
    ]
)
_LETTERS = st.text("abcあい障害 ", min_size=1, max_size=8).filter(str.strip)
# (inside the bounds, anywhere Python can hold it) for each field drawn
_FIELDS: dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
    "instant": (
        _EDGE_INSTANTS | _instants(datetime(1970, 1, 2), datetime(2199, 12, 30)),
        _instants(),
    ),
    "day": (
        st.dates(date(1970, 1, 1), date(2200, 1, 1)).map(str),
        st.dates().map(str),
    ),
    "minutes": (st.floats(0, MAX_MINUTES), st.floats() | st.integers(-(2**70), 2**70)),
    "target": (st.floats(0.5, 0.999999), st.floats()),
    "window": (st.integers(1, 3660), st.integers(-(2**70), 2**70)),
    "number": (st.integers(0, 10_000), st.integers(-(2**70), 2**70)),
    "percent": (st.floats(-MAX_PERCENT, MAX_PERCENT), st.floats() | st.integers(-(2**70), 2**70)),
    "text": (_LETTERS, st.text(st.characters(max_codepoint=0x7F), min_size=1, max_size=8)),
}


@st.composite
def _documents_at_the_edges(draw: st.DrawFn) -> dict[str, Any]:
    """Every figure inside the bounds but one, which may be anywhere Python can hold it:
    what the model takes must work everywhere, what it refuses it refuses."""
    wild = draw(st.sampled_from(sorted(_FIELDS)))

    def value(kind: str) -> Any:
        inside, anywhere = _FIELDS[kind]
        return draw(anywhere if kind == wild and draw(st.booleans()) else inside)

    return {
        "title": value("text"),
        "timezone": draw(st.sampled_from(["Asia/Tokyo", "Pacific/Kiritimati", "Etc/GMT+12"])),
        "date": value("day"),
        "times": {name: value("instant") for name in ("occurred", "detected", "recovered")},
        "impact": {"downtime_minutes": value("minutes")},
        "slo": {"target": value("target"), "window_days": value("window")},
        "timeline": [{"at": value("instant"), "event": value("text")}],
        "action_items": [
            {
                "number": value("number"),
                "horizon": "immediate",
                "task": value("text"),
                "due": value("day"),
            }
        ],
        "stated": {
            "ttr_minutes": value("minutes"),
            "budget_window_pct": abs(value("percent")),
            "budget_remaining_window_pct": value("percent"),
        },
    }


@settings(max_examples=400, deadline=None)
@given(_documents_at_the_edges())
def test_whatever_the_model_takes_can_be_computed_rendered_stored_and_read_back(
    data: dict[str, Any],
) -> None:
    try:
        document = Postmortem.model_validate(data)
    except ValidationError:
        return
    compute_metrics(document)
    render_html(document)
    parse_markdown(render_markdown(document))
    prepare(document)
    assert Postmortem.model_validate_json(document.model_dump_json()) == document
