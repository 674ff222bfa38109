"""Users, passwords, roles, browser sessions and API tokens, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
import sqlalchemy as sa

from hansei.errors import AuthenticationError, NotFoundError, RateLimitedError, UsageError
from hansei.model.access import Role
from hansei.services import accounts
from hansei.services.accounts import (
    FAILURE_WINDOW,
    MAX_FAILURES_PER_CLIENT,
    MAX_FAILURES_PER_USER,
    MIN_PASSWORD_LENGTH,
    SESSION_LIFETIME,
    TOKEN_PREFIX,
)
from hansei.store import Database
from hansei.store.tables import ApiTokenRow, LoginFailureRow, SessionRow, UserRow

PASSWORD = "correct horse battery"
CLIENT = "192.0.2.1"


def _stored_user(database: Database, name: str) -> dict[str, object]:
    with database.engine.connect() as connection:
        row = connection.execute(sa.select(UserRow).where(UserRow.name == name)).mappings().one()
    return dict(row)


def _sessions_of(database: Database, name: str) -> int:
    with database.engine.connect() as connection:
        return connection.execute(
            sa.select(sa.func.count())
            .select_from(SessionRow)
            .join(UserRow, UserRow.id == SessionRow.user_id)
            .where(UserRow.name == name)
        ).scalar_one()


# Users --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["a", "tanaka", "Sato.Ken", "ops_bot-2", "9lives", "x" * 64, "a.b-c_d"]
)
def test_a_user_name_of_letters_digits_dots_dashes_and_underscores_is_taken(
    database: Database, name: str
) -> None:
    added = accounts.add_user(database, name, role=Role.viewer, password=None)
    assert added.name == name
    found = accounts.find_user(database, name)
    assert found is not None
    assert (found.id, found.name, found.role) == (added.id, name, Role.viewer)


@pytest.mark.parametrize(
    "name",
    [
        "",
        "-dash-first",
        ".dot-first",
        "_underscore-first",
        "has space",
        "slash/name",
        "at@example",
        "田中",
        "x" * 65,
        "tanaka\n",
        " tanaka",
    ],
)
def test_a_user_name_outside_the_rules_is_refused(database: Database, name: str) -> None:
    with pytest.raises(UsageError, match="user name"):
        accounts.add_user(database, name, role=Role.author, password=PASSWORD)
    assert accounts.list_users(database) == []


def test_a_second_user_with_the_same_name_is_refused(database: Database) -> None:
    first = accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    with pytest.raises(UsageError, match="exists already"):
        accounts.add_user(database, "tanaka", role=Role.admin, password="another password")
    assert accounts.list_users(database) == [first]
    # The first user's password is the one that still works.
    _, signed = accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    assert signed.user.role is Role.author


def test_a_short_password_is_refused(database: Database) -> None:
    too_short = "x" * (MIN_PASSWORD_LENGTH - 1)
    with pytest.raises(UsageError, match="password"):
        accounts.add_user(database, "tanaka", role=Role.author, password=too_short)
    assert accounts.find_user(database, "tanaka") is None
    just_long_enough = "x" * MIN_PASSWORD_LENGTH
    accounts.add_user(database, "tanaka", role=Role.author, password=just_long_enough)
    _, signed = accounts.sign_in(database, "tanaka", just_long_enough, client=CLIENT)
    assert signed.user.name == "tanaka"


def test_the_password_is_stored_as_an_argon2_hash(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    stored = _stored_user(database, "tanaka")
    password_hash = stored["password_hash"]
    assert isinstance(password_hash, str)
    assert password_hash.startswith("$argon2")
    assert PASSWORD not in password_hash
    # A fresh salt each time: the same password never gives the same hash.
    accounts.add_user(database, "sato", role=Role.author, password=PASSWORD)
    assert _stored_user(database, "sato")["password_hash"] != password_hash


def test_a_user_without_a_password_has_no_hash_and_cannot_sign_in(database: Database) -> None:
    accounts.add_user(database, "ci-bot", role=Role.author, password=None)
    assert _stored_user(database, "ci-bot")["password_hash"] is None
    for attempt in ("", "anything-at-all"):
        with pytest.raises(AuthenticationError):
            accounts.sign_in(database, "ci-bot", attempt, client=CLIENT)


def test_users_are_listed_by_name_with_their_roles(database: Database) -> None:
    for name, role in [("sato", Role.reviewer), ("abe", Role.viewer), ("tanaka", Role.admin)]:
        accounts.add_user(database, name, role=role, password=None)
    assert [(u.name, u.role) for u in accounts.list_users(database)] == [
        ("abe", Role.viewer),
        ("sato", Role.reviewer),
        ("tanaka", Role.admin),
    ]


def test_a_role_can_be_changed(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.viewer, password=None)
    changed = accounts.set_role(database, "tanaka", Role.reviewer)
    assert changed.role is Role.reviewer
    found = accounts.find_user(database, "tanaka")
    assert found is not None
    assert found.role is Role.reviewer
    assert _stored_user(database, "tanaka")["role"] == "reviewer"


def test_changing_an_unknown_user_is_a_not_found_error(database: Database) -> None:
    with pytest.raises(NotFoundError, match="ghost"):
        accounts.set_role(database, "ghost", Role.admin)
    with pytest.raises(NotFoundError, match="ghost"):
        accounts.set_password(database, "ghost", PASSWORD)
    with pytest.raises(NotFoundError, match="ghost"):
        accounts.create_token(database, "ghost", label="x")
    with pytest.raises(NotFoundError, match="ghost"):
        accounts.list_tokens(database, "ghost")
    assert accounts.find_user(database, "ghost") is None


# One name without regard to case and width -------------------------------------------

SAME_AS_ADM = ["ADM", "Adm", "ａｄｍ", "ＡＤＭ", "aＤm"]


@pytest.mark.parametrize("other", SAME_AS_ADM)
def test_a_name_differing_only_in_case_or_width_is_taken(database: Database, other: str) -> None:
    first = accounts.add_user(database, "adm", role=Role.admin, password=PASSWORD)
    with pytest.raises(UsageError, match=r"a user named 'adm' exists already \(names differing"):
        accounts.add_user(database, other, role=Role.viewer, password="another password")
    assert accounts.list_users(database) == [first]


def test_the_first_of_two_case_variants_keeps_the_name_as_typed(database: Database) -> None:
    first = accounts.add_user(database, "Sato.Ken", role=Role.author, password=PASSWORD)
    with pytest.raises(UsageError, match=r"'Sato\.Ken' exists already"):
        accounts.add_user(database, "sato.ken", role=Role.author, password=PASSWORD)
    assert [user.name for user in accounts.list_users(database)] == ["Sato.Ken"]
    assert accounts.find_user(database, "SATO.KEN") == first


def test_the_store_refuses_two_rows_with_one_name_key(database: Database) -> None:
    """The unique index holds even for a writer that skips the service's check."""
    accounts.add_user(database, "adm", role=Role.admin, password=None)
    now = dt.datetime.now(dt.UTC)
    with pytest.raises(sa.exc.IntegrityError), database.transaction() as session:
        session.add(UserRow(name="ADM", name_key="adm", role="viewer", created_at=now))
    assert [user.name for user in accounts.list_users(database)] == ["adm"]


@pytest.mark.parametrize("typed", SAME_AS_ADM)
def test_sign_in_finds_the_user_whatever_the_case_or_width(database: Database, typed: str) -> None:
    added = accounts.add_user(database, "adm", role=Role.admin, password=PASSWORD)
    token, signed = accounts.sign_in(database, typed, PASSWORD, client=CLIENT)
    assert signed.user == added
    assert accounts.session_user(database, token) == signed


def test_failures_under_variants_of_a_name_count_as_that_names(database: Database) -> None:
    accounts.add_user(database, "adm", role=Role.admin, password=PASSWORD)
    for typed in SAME_AS_ADM[:MAX_FAILURES_PER_USER]:
        _fail(database, typed)
    with pytest.raises(RateLimitedError):
        accounts.sign_in(database, "adm", PASSWORD, client="198.51.100.7")


# Signing in ---------------------------------------------------------------------------


def test_signing_in_with_the_right_password_opens_a_session(database: Database) -> None:
    added = accounts.add_user(database, "tanaka", role=Role.reviewer, password=PASSWORD)
    token, signed = accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    assert signed.user == added
    assert signed.csrf_token
    assert signed.csrf_token != token
    found = accounts.session_user(database, token)
    assert found == signed
    with database.engine.connect() as connection:
        (row,) = connection.execute(sa.select(SessionRow)).mappings().all()
    assert row["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {str(value) for value in row.values()}
    lifetime = row["expires_at"] - row["created_at"]
    assert lifetime == SESSION_LIFETIME


@pytest.mark.parametrize(
    ("name", "password"),
    [
        ("tanaka", "wrong password"),
        ("tanaka", PASSWORD.upper()),
        ("tanaka", PASSWORD + " "),
        ("tanaka", ""),
        ("nobody", PASSWORD),
        ("tanak", PASSWORD),
        ("tanaka.", PASSWORD),
    ],
)
def test_signing_in_with_a_wrong_name_or_password_fails_and_is_remembered(
    database: Database, name: str, password: str
) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    with pytest.raises(AuthenticationError, match="wrong user name or password"):
        accounts.sign_in(database, name, password, client=CLIENT)
    assert _sessions_of(database, "tanaka") == 0
    with database.engine.connect() as connection:
        failures = connection.execute(sa.select(LoginFailureRow)).mappings().all()
    assert [(f["user_name"], f["client"]) for f in failures] == [(name, CLIENT)]


def test_signing_out_ends_only_that_session(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    laptop, _ = accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    phone, _ = accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    accounts.sign_out(database, laptop)
    assert accounts.session_user(database, laptop) is None
    still = accounts.session_user(database, phone)
    assert still is not None
    assert still.user.name == "tanaka"


def test_a_made_up_session_token_signs_no_one_in(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    assert accounts.session_user(database, "made-up") is None


def test_a_new_password_signs_out_every_session_and_replaces_the_old_one(
    database: Database,
) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    sessions = [accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)[0] for _ in "ab"]
    accounts.add_user(database, "sato", role=Role.author, password=PASSWORD)
    others, _ = accounts.sign_in(database, "sato", PASSWORD, client=CLIENT)

    accounts.set_password(database, "tanaka", "a brand new password")

    assert [accounts.session_user(database, token) for token in sessions] == [None, None]
    assert _sessions_of(database, "tanaka") == 0
    assert accounts.session_user(database, others) is not None, "another user was signed out"
    with pytest.raises(AuthenticationError):
        accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    token, _ = accounts.sign_in(database, "tanaka", "a brand new password", client=CLIENT)
    assert accounts.session_user(database, token) is not None


def test_a_short_new_password_is_refused_and_the_old_one_kept(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    token, _ = accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    with pytest.raises(UsageError, match="password"):
        accounts.set_password(database, "tanaka", "short")
    assert accounts.session_user(database, token) is not None
    accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)


def _add_session(database: Database, name: str, token: str, expires_at: dt.datetime) -> None:
    user_id = _stored_user(database, name)["id"]
    with database.transaction() as session:
        session.add(
            SessionRow(
                token_hash=hashlib.sha256(token.encode()).hexdigest(),
                user_id=user_id,
                csrf_token="csrf-of-" + token,
                created_at=expires_at - SESSION_LIFETIME,
                expires_at=expires_at,
            )
        )


def test_an_expired_session_signs_no_one_in(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    now = dt.datetime.now(dt.UTC)
    _add_session(database, "tanaka", "expired-a-minute-ago", now - dt.timedelta(minutes=1))
    _add_session(database, "tanaka", "valid-for-a-minute", now + dt.timedelta(minutes=1))
    assert accounts.session_user(database, "expired-a-minute-ago") is None
    valid = accounts.session_user(database, "valid-for-a-minute")
    assert valid is not None
    assert valid.user.name == "tanaka"
    assert valid.csrf_token == "csrf-of-valid-for-a-minute"


def test_expired_sessions_are_cleared_when_someone_signs_in(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    now = dt.datetime.now(dt.UTC)
    _add_session(database, "tanaka", "long-expired", now - dt.timedelta(days=1))
    accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    with database.engine.connect() as connection:
        hashes = set(connection.execute(sa.select(SessionRow.token_hash)).scalars())
    assert hashlib.sha256(b"long-expired").hexdigest() not in hashes
    assert len(hashes) == 1


# The sign-in rate limit ---------------------------------------------------------------


def _fail(database: Database, name: str, *, client: str = CLIENT) -> None:
    with pytest.raises(AuthenticationError):
        accounts.sign_in(database, name, "wrong password", client=client)


def test_after_too_many_failures_even_the_right_password_is_refused(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    for _ in range(MAX_FAILURES_PER_USER):
        _fail(database, "tanaka")
    with pytest.raises(RateLimitedError) as limited:
        accounts.sign_in(database, "tanaka", PASSWORD, client="198.51.100.7")
    window = FAILURE_WINDOW.total_seconds()
    assert window - 60 < limited.value.retry_after <= window + 1
    assert _sessions_of(database, "tanaka") == 0


def test_one_failure_fewer_than_the_limit_still_lets_the_user_in(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    for _ in range(MAX_FAILURES_PER_USER - 1):
        _fail(database, "tanaka")
    token, _ = accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    assert accounts.session_user(database, token) is not None


def _record_failures(database: Database, name: str, client: str, at: dt.datetime, n: int) -> None:
    with database.transaction() as session:
        for _ in range(n):
            session.add(LoginFailureRow(user_name=name, client=client, at=at))


def test_failures_older_than_the_window_do_not_count(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    long_ago = dt.datetime.now(dt.UTC) - FAILURE_WINDOW - dt.timedelta(minutes=1)
    _record_failures(database, "tanaka", CLIENT, long_ago, MAX_FAILURES_PER_USER * 3)
    token, _ = accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    assert accounts.session_user(database, token) is not None


def test_the_wait_ends_when_the_oldest_counted_failure_leaves_the_window(
    database: Database,
) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    now = dt.datetime.now(dt.UTC)
    oldest = now - FAILURE_WINDOW + dt.timedelta(minutes=5)
    _record_failures(database, "tanaka", CLIENT, oldest, 1)
    _record_failures(database, "tanaka", CLIENT, now, MAX_FAILURES_PER_USER - 1)
    with pytest.raises(RateLimitedError) as limited:
        accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    five_minutes = dt.timedelta(minutes=5).total_seconds()
    assert five_minutes - 30 < limited.value.retry_after <= five_minutes + 1


def test_too_many_failures_from_one_client_lock_out_every_name_from_it(
    database: Database,
) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    now = dt.datetime.now(dt.UTC)
    with database.transaction() as session:
        for guess in range(MAX_FAILURES_PER_CLIENT):
            session.add(LoginFailureRow(user_name=f"guess-{guess}", client=CLIENT, at=now))
    with pytest.raises(RateLimitedError):
        accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    token, _ = accounts.sign_in(database, "tanaka", PASSWORD, client="198.51.100.7")
    assert accounts.session_user(database, token) is not None


def test_a_successful_sign_in_forgets_the_names_failures(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    for _ in range(MAX_FAILURES_PER_USER - 1):
        _fail(database, "tanaka")
    accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    for _ in range(MAX_FAILURES_PER_USER - 1):
        _fail(database, "tanaka")
    token, _ = accounts.sign_in(database, "tanaka", PASSWORD, client=CLIENT)
    assert accounts.session_user(database, token) is not None


# The password asked again before making a token -------------------------------------


def test_confirming_the_right_password_passes(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    accounts.check_password(database, "tanaka", PASSWORD, client=CLIENT)


def test_a_wrong_confirmation_is_refused_and_counted_as_a_failed_sign_in(
    database: Database,
) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    with pytest.raises(AuthenticationError, match="wrong password"):
        accounts.check_password(database, "tanaka", "a guess!", client=CLIENT)
    with database.engine.connect() as connection:
        failures = connection.execute(sa.select(LoginFailureRow)).mappings().all()
    assert [(f["user_name"], f["client"]) for f in failures] == [("tanaka", CLIENT)]


def test_guessing_through_confirmations_locks_the_name_out_of_both(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    for _ in range(MAX_FAILURES_PER_USER):
        with pytest.raises(AuthenticationError):
            accounts.check_password(database, "tanaka", "a guess!", client=CLIENT)
    window = FAILURE_WINDOW.total_seconds()
    with pytest.raises(RateLimitedError) as limited:
        accounts.check_password(database, "tanaka", PASSWORD, client=CLIENT)
    assert window - 60 < limited.value.retry_after <= window + 1
    with pytest.raises(RateLimitedError):
        accounts.sign_in(database, "tanaka", PASSWORD, client="198.51.100.7")


def test_failed_sign_ins_and_confirmations_add_up(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    for _ in range(MAX_FAILURES_PER_USER - 1):
        _fail(database, "tanaka")
    with pytest.raises(AuthenticationError):
        accounts.check_password(database, "tanaka", "a guess!", client=CLIENT)
    with pytest.raises(RateLimitedError):
        accounts.check_password(database, "tanaka", PASSWORD, client=CLIENT)


def test_confirmations_count_towards_the_clients_limit(database: Database) -> None:
    accounts.add_user(database, "tanaka", role=Role.author, password=PASSWORD)
    now = dt.datetime.now(dt.UTC)
    with database.transaction() as session:
        for guess in range(MAX_FAILURES_PER_CLIENT):
            session.add(LoginFailureRow(user_name=f"guess-{guess}", client=CLIENT, at=now))
    with pytest.raises(RateLimitedError):
        accounts.check_password(database, "tanaka", PASSWORD, client=CLIENT)
    accounts.check_password(database, "tanaka", PASSWORD, client="198.51.100.7")


# API tokens ---------------------------------------------------------------------------


def test_a_token_is_returned_once_and_stored_only_as_its_sha256(database: Database) -> None:
    added = accounts.add_user(database, "ci-bot", role=Role.author, password=None)
    info, secret = accounts.create_token(database, "ci-bot", label="nightly export")
    assert secret.startswith(TOKEN_PREFIX)
    assert len(secret) > len(TOKEN_PREFIX) + 30
    assert info.label == "nightly export"
    assert info.revoked_at is None
    assert accounts.token_user(database, secret).user == added
    assert accounts.token_user(database, secret).csrf_token is None
    with database.engine.connect() as connection:
        (row,) = connection.execute(sa.select(ApiTokenRow)).mappings().all()
    assert row["token_hash"] == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in {str(value) for value in row.values()}
    assert all(secret not in repr(listed) for listed in accounts.list_tokens(database, "ci-bot"))


def test_every_token_is_different(database: Database) -> None:
    accounts.add_user(database, "ci-bot", role=Role.author, password=None)
    secrets = {accounts.create_token(database, "ci-bot", label="same")[1] for _ in range(5)}
    assert len(secrets) == 5


def test_a_blank_label_becomes_token(database: Database) -> None:
    accounts.add_user(database, "ci-bot", role=Role.author, password=None)
    info, _ = accounts.create_token(database, "ci-bot", label="   ")
    assert info.label == "token"


def test_tokens_are_listed_per_user_oldest_first(database: Database) -> None:
    accounts.add_user(database, "ci-bot", role=Role.author, password=None)
    accounts.add_user(database, "tanaka", role=Role.author, password=None)
    first, _ = accounts.create_token(database, "ci-bot", label="first")
    accounts.create_token(database, "tanaka", label="someone else's")
    second, _ = accounts.create_token(database, "ci-bot", label="second")
    listed = accounts.list_tokens(database, "ci-bot")
    assert [(t.id, t.label) for t in listed] == [(first.id, "first"), (second.id, "second")]


def test_a_revoked_token_stops_working_and_stays_listed_as_revoked(database: Database) -> None:
    accounts.add_user(database, "ci-bot", role=Role.author, password=None)
    doomed, doomed_secret = accounts.create_token(database, "ci-bot", label="doomed")
    kept, kept_secret = accounts.create_token(database, "ci-bot", label="kept")
    revoked = accounts.revoke_token(database, "ci-bot", doomed.id)
    assert revoked.revoked_at is not None
    with pytest.raises(AuthenticationError):
        accounts.token_user(database, doomed_secret)
    assert accounts.token_user(database, kept_secret).user.name == "ci-bot"
    listed = {t.id: t for t in accounts.list_tokens(database, "ci-bot")}
    assert listed[doomed.id].revoked_at == revoked.revoked_at
    assert listed[kept.id].revoked_at is None
    again = accounts.revoke_token(database, "ci-bot", doomed.id)
    assert again.revoked_at == revoked.revoked_at, "revoking twice moved the revocation time"


def test_a_user_cannot_revoke_another_users_token(database: Database) -> None:
    accounts.add_user(database, "ci-bot", role=Role.author, password=None)
    accounts.add_user(database, "tanaka", role=Role.author, password=None)
    bots, bots_secret = accounts.create_token(database, "ci-bot", label="bot")
    with pytest.raises(NotFoundError):
        accounts.revoke_token(database, "tanaka", bots.id)
    with pytest.raises(NotFoundError):
        accounts.revoke_token(database, "ci-bot", bots.id + 1000)
    assert accounts.token_user(database, bots_secret).user.name == "ci-bot"


def test_a_made_up_token_is_an_authentication_error(database: Database) -> None:
    accounts.add_user(database, "ci-bot", role=Role.author, password=None)
    accounts.create_token(database, "ci-bot", label="real")
    with pytest.raises(AuthenticationError):
        accounts.token_user(database, TOKEN_PREFIX + "made-up")


def test_a_token_carries_the_users_current_role(database: Database) -> None:
    accounts.add_user(database, "ci-bot", role=Role.viewer, password=None)
    _, secret = accounts.create_token(database, "ci-bot", label="x")
    assert accounts.token_user(database, secret).user.role is Role.viewer
    accounts.set_role(database, "ci-bot", Role.admin)
    assert accounts.token_user(database, secret).user.role is Role.admin
