"""The list of postmortems: filters, every order, pages and the total, on both stores."""

from __future__ import annotations

from datetime import timedelta

import pytest

from hansei.services import saving
from hansei.services.searching import (
    SearchFilters,
    SortOrder,
    day_start,
    list_postmortems,
)
from hansei.store import Database, listing
from tests.factories import jst, postmortem

# title, detected (JST), severity, status, services, author, owner of an action item, downtime
ROWS = [
    ("Auth outage", jst(2025, 1, 10, 9, 0), "critical", "final", ["Auth API", "Gateway"], "@mori",
     "@ito", 50),
    ("Billing delay", jst(2025, 2, 3, 14, 0), "low", "draft", ["Billing API"], "@ito", None, 5),
    ("Search slow", jst(2025, 3, 20, 23, 30), "high", "review", ["Search API"], "@sato", "@mori",
     20),
    ("Untimed", None, None, "draft", [], None, None, None),
]  # fmt: skip


@pytest.fixture
def listed(database: Database) -> Database:
    for title, detected, severity, status, services, author, owner, downtime in ROWS:
        fields: dict[str, object] = {"title": title, "status": status, "author": author}
        if detected is not None:
            fields["times"] = {
                "detected": detected.isoformat(),
                "recovered": (detected + timedelta(minutes=downtime or 0)).isoformat(),
            }
        if severity:
            fields["impact"] = {"severity": severity, "services": services}
        if owner:
            fields["action_items"] = [{"horizon": "immediate", "task": "fix", "owner": owner}]
        saving.create_postmortem(database, postmortem(**fields), user="t")
    return database


def _titles(
    database: Database, filters: SearchFilters | None = None, sort: SortOrder = SortOrder.newest
) -> list[str | None]:
    summaries, _ = list_postmortems(database, filters, sort=sort)
    return [summary.title for summary in summaries]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (SortOrder.newest, ["Search slow", "Billing delay", "Auth outage", "Untimed"]),
        (SortOrder.oldest, ["Auth outage", "Billing delay", "Search slow", "Untimed"]),
        (SortOrder.longest_waiting, ["Auth outage", "Billing delay", "Search slow", "Untimed"]),
        (SortOrder.by_title, ["Auth outage", "Billing delay", "Search slow", "Untimed"]),
        (SortOrder.severity, ["Auth outage", "Search slow", "Billing delay", "Untimed"]),
        (SortOrder.downtime, ["Auth outage", "Search slow", "Billing delay", "Untimed"]),
    ],
)
def test_every_order(listed: Database, sort: SortOrder, expected: list[str]) -> None:
    assert _titles(listed, sort=sort) == expected


def test_filters_and_the_total_of_all_matches(listed: Database) -> None:
    assert _titles(listed, SearchFilters(service="Gateway")) == ["Auth outage"]
    assert _titles(listed, SearchFilters(severity="high")) == ["Search slow"]
    assert _titles(listed, SearchFilters(status="draft")) == ["Billing delay", "Untimed"]
    # An owner is the author or an action item's owner, with or without the @.
    assert _titles(listed, SearchFilters(owner="mori")) == ["Search slow", "Auth outage"]
    since = day_start(jst(2025, 2, 3, 0, 0).date(), "Asia/Tokyo")
    until = day_start(jst(2025, 3, 21, 0, 0).date(), "Asia/Tokyo")
    assert _titles(listed, SearchFilters(since=since, until=until)) == [
        "Search slow",
        "Billing delay",
    ]
    assert _titles(listed, SearchFilters(service="Gateway", severity="low")) == []


def test_pages_and_their_total(listed: Database) -> None:
    first, total = list_postmortems(listed, limit=2)
    second, again = list_postmortems(listed, limit=2, offset=2)
    past, beyond = list_postmortems(listed, SearchFilters(status="draft"), limit=2, offset=10)
    assert (total, again, beyond) == (4, 4, 2)
    assert [s.title for s in first + second] == _titles(listed)
    assert past == []


def test_the_total_is_counted_up_to_a_bound(
    listed: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "COUNTED_AT_MOST", 2)
    dated = SearchFilters(until=day_start(jst(2025, 4, 1, 0, 0).date(), "Asia/Tokyo"))
    first, bounded = list_postmortems(listed, dated, limit=1)
    past, beyond = list_postmortems(listed, dated, limit=1, offset=10)
    # 3 says "more than 2": three match, but no more than three are read to count them.
    assert (bounded, beyond) == (3, 3)
    assert not listing.counted_exactly(dated)
    assert [s.title for s in first] == ["Search slow"]
    assert past == []


def test_the_total_of_all_or_of_one_status_is_kept_exact(
    listed: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "COUNTED_AT_MOST", 2)
    everything = list_postmortems(listed, limit=1)[1]
    beyond = list_postmortems(listed, limit=1, offset=10)[1]
    drafts = list_postmortems(listed, SearchFilters(status="draft"))[1]
    reviews = list_postmortems(listed, SearchFilters(status="review"), offset=5)[1]
    assert (everything, beyond, drafts, reviews) == (4, 4, 2, 1)
    assert listing.counted_exactly(SearchFilters())
    assert listing.counted_exactly(SearchFilters(status="final"))
    assert not listing.counted_exactly(SearchFilters(status="final", severity="low"))


def test_a_summary_carries_what_the_list_shows(listed: Database) -> None:
    (auth,) = list_postmortems(listed, SearchFilters(service="Auth API"))[0]
    assert auth.services == ["Auth API", "Gateway"]
    assert (auth.severity, auth.status, auth.author) == ("critical", "final", "@mori")
    assert auth.detected_at == jst(2025, 1, 10, 9, 0)
    assert auth.downtime_minutes == 50
    assert auth.revision == 1
