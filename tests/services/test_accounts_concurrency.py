"""Accounts under attempts made at the same moment, each on its own connection, on SQLite
and PostgreSQL: the sign-in limits and the uniqueness of names hold."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from hansei.errors import AuthenticationError, RateLimitedError, UsageError
from hansei.model.access import Role
from hansei.services import accounts
from hansei.services.accounts import MAX_FAILURES_PER_CLIENT, MAX_FAILURES_PER_USER
from hansei.store import Database

PASSWORD = "correct horse battery"


def _at_once(calls: list[Callable[[], object]]) -> Counter[str]:
    """Run every call in a thread of its own, all released together; how each ended."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], object]) -> str:
        start.wait()
        try:
            call()
        except Exception as error:  # the kind of error is what is counted
            return type(error).__name__
        return "done"

    with ThreadPoolExecutor(len(calls)) as pool:
        return Counter(pool.map(run, calls))


def test_wrong_passwords_at_once_for_one_name_get_only_the_limit_checked(
    database: Database,
) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)

    def sign_in(number: int) -> Callable[[], object]:
        client = f"192.0.2.{number}"
        if number % 2:
            # The token route's check shares the limit with sign-in.
            return lambda: accounts.check_password(database, "TANAKA", "wrong!!!", client=client)
        return lambda: accounts.sign_in(database, "tanaka", "wrong!!!", client=client)

    ended = _at_once([sign_in(number) for number in range(25)])
    assert ended == {
        AuthenticationError.__name__: MAX_FAILURES_PER_USER,
        RateLimitedError.__name__: 25 - MAX_FAILURES_PER_USER,
    }


def test_wrong_passwords_at_once_from_one_client_get_only_the_limit_checked(
    database: Database,
) -> None:
    attempts = MAX_FAILURES_PER_CLIENT + 10
    ended = _at_once(
        [
            partial(accounts.sign_in, database, f"guess{number}", "wrong!!!", client="198.51.100.7")
            for number in range(attempts)
        ]
    )
    assert ended == {
        AuthenticationError.__name__: MAX_FAILURES_PER_CLIENT,
        RateLimitedError.__name__: attempts - MAX_FAILURES_PER_CLIENT,
    }


def test_names_differing_in_case_or_width_added_at_once_make_one_user(
    database: Database,
) -> None:
    for round_ in range(5):
        # Full-width letters are refused before the store: ASCII case variants race.
        spellings = [f"{name}{round_}" for name in ("racer", "RACER", "Racer", "rAcEr", "raceR")]
        ended = _at_once(
            [
                partial(accounts.add_user, database, name, role=Role.viewer, password=None)
                for name in spellings
            ]
        )
        assert ended == {"done": 1, UsageError.__name__: len(spellings) - 1}
