"""Queries across postmortems: action items, and incidents per service in a window."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from hansei.services import saving
from hansei.services.searching import find_action_items, known_services, service_budget
from hansei.store import Database, queries
from hansei.store.queries import ActionFilters
from tests.factories import jst, postmortem


def _item(number: int, horizon: str, owner: str, due: str, status: str) -> dict[str, object]:
    return {
        "number": number,
        "horizon": horizon,
        "task": f"task {number}",
        "owner": owner,
        "due": due,
        "status": status,
    }


@pytest.fixture
def items(database: Database) -> Database:
    saving.create_postmortem(
        database,
        postmortem(
            title="payment",
            impact={"services": ["Payment API"]},
            action_items=[
                _item(1, "immediate", "@mori", "2025-06-20", "done"),
                _item(2, "short_term", "@mori", "2025-07-10", "in_progress"),
                _item(3, "long_term", "@ito", "2025-09-01", "todo"),
            ],
        ),
        user="t",
    )
    saving.create_postmortem(
        database,
        postmortem(
            title="auth",
            impact={"services": ["Auth API"]},
            action_items=[
                _item(1, "immediate", "@ito", "2025-03-05", "todo"),
                _item(2, "short_term", "@mori", "2025-07-01", "todo"),
                {"number": 3, "horizon": "long_term", "task": "no date yet", "owner": "@ito"},
            ],
        ),
        user="t",
    )
    return database


def _summary(database: Database, **filters: object) -> list[tuple[str | None, int | None]]:
    found = find_action_items(database, ActionFilters(**filters))  # type: ignore[arg-type]
    return [(item.postmortem_title, item.number) for item in found]


def test_every_item_of_every_postmortem_soonest_due_first(items: Database) -> None:
    assert _summary(items) == [
        ("auth", 1),
        ("payment", 1),
        ("auth", 2),
        ("payment", 2),
        ("payment", 3),
        ("auth", 3),
    ]


def test_items_by_owner_status_horizon_and_service(items: Database) -> None:
    assert _summary(items, owner="@mori") == [("payment", 1), ("auth", 2), ("payment", 2)]
    assert _summary(items, status="todo") == [("auth", 1), ("auth", 2), ("payment", 3)]
    assert _summary(items, horizon="long_term") == [("payment", 3), ("auth", 3)]
    assert _summary(items, service="Payment API", owner="@ito") == [("payment", 3)]


def test_overdue_means_not_done_and_due_before_the_day(items: Database) -> None:
    # On 2025-07-05, payment #1 (done) is not overdue; auth #2 (due 07-01) is.
    assert _summary(items, overdue_on=date(2025, 7, 5)) == [("auth", 1), ("auth", 2)]
    # An item due on the day itself is not overdue yet.
    assert _summary(items, overdue_on=date(2025, 7, 1)) == [("auth", 1)]


def test_the_error_budget_of_a_service_counts_every_incident_in_the_window(
    database: Database,
) -> None:
    def incident(service: str, start: int, minutes: int) -> None:
        begin = jst(2025, 6, 1, 12, 0) + timedelta(days=start)
        saving.create_postmortem(
            database,
            postmortem(
                title=f"{service} {start}",
                impact={"services": [service]},
                times={
                    "occurred": begin,
                    "detected": begin + timedelta(minutes=2),
                    "recovered": begin + timedelta(minutes=minutes),
                },
            ),
            user="t",
        )

    incident("Search API", 0, 20)  # 2025-06-01 12:00-12:20
    incident("Search API", 10, 15)
    incident("Search API", 30, 10)  # 2025-07-01 12:00-12:10
    incident("Auth API", 31, 120)  # another service
    end = jst(2025, 7, 2, 0, 0)
    budget = service_budget(database, "Search API", end=end, target=0.999, window_days=30)
    assert budget.budget_minutes == pytest.approx(43.2)
    assert [span.title for span in budget.incidents] == ["Search API 10", "Search API 30"]
    assert budget.consumed_minutes == pytest.approx(25)
    assert budget.remaining_minutes == pytest.approx(18.2)
    # A window that starts inside an incident counts only the minutes inside it:
    # from 06-01 12:15, the first incident adds its last 5 minutes.
    cut = service_budget(
        database, "Search API", end=jst(2025, 7, 1, 12, 15), target=0.999, window_days=30
    )
    assert [span.title for span in cut.incidents] == [
        "Search API 0",
        "Search API 10",
        "Search API 30",
    ]
    assert cut.consumed_minutes == pytest.approx(5 + 15 + 10)


def test_known_services_are_each_name_once_in_order(database: Database) -> None:
    for title, services in [
        ("one", ["Payment API", "Auth API"]),
        ("two", ["Auth API"]),
        ("three", ["Zeta", "Payment API", "Ω service"]),
    ]:
        saving.create_postmortem(
            database, postmortem(title=title, impact={"services": services}), user="t"
        )
    expected = sorted({"Payment API", "Auth API", "Zeta", "Ω service"})
    assert known_services(database) == expected


def test_an_empty_store_knows_no_service(database: Database) -> None:
    assert known_services(database) == []


def test_the_services_a_menu_offers_are_bounded(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    saving.create_postmortem(
        database,
        postmortem(title="many", impact={"services": [f"svc-{n:02}" for n in range(12)]}),
        user="t",
    )
    monkeypatch.setattr(queries, "_KNOWN_SERVICES", queries._known_services(at_most=5))
    assert known_services(database) == [f"svc-{n:02}" for n in range(5)]


def test_the_web_app_reads_from_fewer_threads_than_the_pool_keeps() -> None:
    from hansei.store.database import POOL_SIZE
    from hansei.web.app import WORKER_THREADS

    # And one connection more for the event loop's own lookups.
    assert WORKER_THREADS + 1 <= POOL_SIZE
