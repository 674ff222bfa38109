"""`hansei user`: adding users, passwords, roles, the list and API tokens, end to end."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner, Result

from hansei.cli.app import app
from hansei.errors import AuthenticationError
from hansei.model.access import Role
from hansei.services import accounts
from hansei.services.accounts import MIN_PASSWORD_LENGTH, TOKEN_PREFIX
from hansei.store import Database, open_database
from hansei.store.tables import ApiTokenRow

PASSWORD = "correct horse battery"
CLIENT = "192.0.2.1"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(runner: CliRunner, database_url: str) -> str:
    upgraded = runner.invoke(app, ["db", "upgrade", "--db", database_url])
    assert upgraded.exit_code == 0, upgraded.output
    return database_url


@pytest.fixture
def store(db: str) -> Iterator[Database]:
    """The same database, opened directly, to see what the commands did."""
    database = open_database(db, create=False)
    yield database
    database.dispose()


def run(runner: CliRunner, db: str, *args: str, stdin: str | None = None) -> Result:
    return runner.invoke(app, ["user", *args, "--db", db], input=stdin)


def add(runner: CliRunner, db: str, name: str, *options: str, password: str = PASSWORD) -> None:
    added = run(runner, db, "add", name, *options, "--password-stdin", stdin=f"{password}\n")
    assert added.exit_code == 0, added.output


def signs_in(store: Database, name: str, password: str) -> bool:
    try:
        accounts.sign_in(store, name, password, client=CLIENT)
    except AuthenticationError:
        return False
    return True


def listed_users(runner: CliRunner, db: str) -> list[tuple[str, str]]:
    shown = run(runner, db, "list")
    assert shown.exit_code == 0, shown.output
    header, *rows = [line.split() for line in shown.stdout.splitlines() if line.strip()]
    assert header == ["name", "role"]
    return [(row[0], row[1]) for row in rows]


# user add -----------------------------------------------------------------------------


def test_add_reads_the_password_from_stdin(runner: CliRunner, db: str, store: Database) -> None:
    added = run(runner, db, "add", "tanaka", "--password-stdin", stdin=f"{PASSWORD}\nignored\n")
    assert added.exit_code == 0, added.output
    assert added.stdout == f"added tanaka (author) to {store.url}\n"
    assert PASSWORD not in added.output
    assert signs_in(store, "tanaka", PASSWORD)
    assert not signs_in(store, "tanaka", "ignored")


def test_add_with_a_role(runner: CliRunner, db: str, store: Database) -> None:
    added = run(runner, db, "add", "sato", "--role", "reviewer", "--password-stdin", stdin=PASSWORD)
    assert added.exit_code == 0, added.output
    assert added.stdout == f"added sato (reviewer) to {store.url}\n"
    found = accounts.find_user(store, "sato")
    assert found is not None
    assert found.role is Role.reviewer


def test_add_asks_for_the_password_twice_without_stdin(
    runner: CliRunner, db: str, store: Database
) -> None:
    added = run(runner, db, "add", "tanaka", stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert added.exit_code == 0, added.output
    assert "added tanaka (author)" in added.stdout
    assert PASSWORD not in added.output, "the password was echoed"
    assert signs_in(store, "tanaka", PASSWORD)


def test_add_without_a_password_makes_a_user_for_scripts(
    runner: CliRunner, db: str, store: Database
) -> None:
    added = run(runner, db, "add", "ci-bot", "--no-password", "--role", "viewer")
    assert added.exit_code == 0, added.output
    assert added.stdout == f"added ci-bot (viewer) to {store.url}\n"
    assert not signs_in(store, "ci-bot", "")
    made = run(runner, db, "token", "ci-bot")
    assert made.exit_code == 0, made.output
    assert accounts.token_user(store, made.stdout.strip()).user.name == "ci-bot"


def test_add_refuses_a_short_password(runner: CliRunner, db: str) -> None:
    short = "x" * (MIN_PASSWORD_LENGTH - 1)
    refused = run(runner, db, "add", "tanaka", "--password-stdin", stdin=f"{short}\n")
    assert refused.exit_code == 2
    assert f"at least {MIN_PASSWORD_LENGTH} characters" in refused.stderr
    assert refused.stdout == ""
    assert listed_users(runner, db) == []


def test_add_refuses_an_empty_stdin(runner: CliRunner, db: str) -> None:
    refused = run(runner, db, "add", "tanaka", "--password-stdin", stdin="")
    assert refused.exit_code == 2
    assert "standard input holds no password" in refused.stderr
    assert listed_users(runner, db) == []


@pytest.mark.parametrize("name", ["has space", ".dot-first", "田中", "x" * 65])
def test_add_refuses_a_bad_name(runner: CliRunner, db: str, name: str) -> None:
    refused = run(runner, db, "add", name, "--password-stdin", stdin=PASSWORD)
    assert refused.exit_code == 2
    assert "user name" in refused.stderr
    assert "Traceback" not in refused.output
    assert listed_users(runner, db) == []


def test_add_refuses_a_name_that_is_taken(runner: CliRunner, db: str, store: Database) -> None:
    add(runner, db, "tanaka")
    refused = run(
        runner, db, "add", "tanaka", "--role", "admin", "--password-stdin", stdin="other password"
    )
    assert refused.exit_code == 2
    assert "'tanaka' exists already" in refused.stderr
    assert listed_users(runner, db) == [("tanaka", "author")]
    assert signs_in(store, "tanaka", PASSWORD)


@pytest.mark.parametrize("other", ["TANAKA", "Tanaka", "ｔａｎａｋａ"])
def test_add_refuses_a_name_that_differs_only_in_case_or_width(
    runner: CliRunner, db: str, store: Database, other: str
) -> None:
    add(runner, db, "tanaka")
    refused = run(runner, db, "add", other, "--password-stdin", stdin="other password")
    assert refused.exit_code == 2
    assert "'tanaka' exists already (names differing only in case or width are one)" in (
        refused.stderr
    )
    assert "Traceback" not in refused.output
    assert listed_users(runner, db) == [("tanaka", "author")]
    assert signs_in(store, other, PASSWORD)


def test_add_refuses_an_unknown_role(runner: CliRunner, db: str) -> None:
    refused = run(runner, db, "add", "tanaka", "--role", "superuser", "--password-stdin")
    assert refused.exit_code == 2
    assert "superuser" in refused.stderr
    assert listed_users(runner, db) == []


# user passwd --------------------------------------------------------------------------


def test_passwd_sets_a_new_password_and_signs_out_the_users_browsers(
    runner: CliRunner, db: str, store: Database
) -> None:
    add(runner, db, "tanaka")
    session, _ = accounts.sign_in(store, "tanaka", PASSWORD, client=CLIENT)
    changed = run(runner, db, "passwd", "tanaka", "--password-stdin", stdin="a new password\n")
    assert changed.exit_code == 0, changed.output
    assert changed.stdout == "password of tanaka changed\n"
    assert accounts.session_user(store, session) is None
    assert not signs_in(store, "tanaka", PASSWORD)
    assert signs_in(store, "tanaka", "a new password")


def test_passwd_refuses_a_short_password_and_keeps_the_old_one(
    runner: CliRunner, db: str, store: Database
) -> None:
    add(runner, db, "tanaka")
    refused = run(runner, db, "passwd", "tanaka", "--password-stdin", stdin="short\n")
    assert refused.exit_code == 2
    assert f"at least {MIN_PASSWORD_LENGTH} characters" in refused.stderr
    assert signs_in(store, "tanaka", PASSWORD)


def test_passwd_of_an_unknown_user_is_an_error(runner: CliRunner, db: str) -> None:
    refused = run(runner, db, "passwd", "ghost", "--password-stdin", stdin=f"{PASSWORD}\n")
    assert refused.exit_code == 2
    assert "no user named 'ghost'" in refused.stderr
    assert "Traceback" not in refused.output


# user role and user list --------------------------------------------------------------


def test_role_changes_what_a_user_may_do(runner: CliRunner, db: str, store: Database) -> None:
    add(runner, db, "tanaka", "--role", "viewer")
    _, secret = accounts.create_token(store, "tanaka", label="before")
    changed = run(runner, db, "role", "tanaka", "admin")
    assert changed.exit_code == 0, changed.output
    assert changed.stdout == "tanaka is now admin\n"
    assert accounts.token_user(store, secret).user.role is Role.admin
    assert listed_users(runner, db) == [("tanaka", "admin")]


def test_role_of_an_unknown_user_is_an_error(runner: CliRunner, db: str) -> None:
    refused = run(runner, db, "role", "ghost", "admin")
    assert refused.exit_code == 2
    assert "no user named 'ghost'" in refused.stderr


def test_role_refuses_an_unknown_role(runner: CliRunner, db: str) -> None:
    add(runner, db, "tanaka")
    refused = run(runner, db, "role", "tanaka", "owner")
    assert refused.exit_code == 2
    assert "owner" in refused.stderr
    assert listed_users(runner, db) == [("tanaka", "author")]


def test_list_shows_every_user_and_role_by_name(runner: CliRunner, db: str) -> None:
    assert listed_users(runner, db) == []
    add(runner, db, "sato", "--role", "reviewer")
    add(runner, db, "abe", "--role", "viewer")
    add(runner, db, "tanaka", "--role", "admin")
    add(runner, db, "mori")
    assert listed_users(runner, db) == [
        ("abe", "viewer"),
        ("mori", "author"),
        ("sato", "reviewer"),
        ("tanaka", "admin"),
    ]


# user token ---------------------------------------------------------------------------


def test_token_prints_the_token_once_on_stdout_and_stores_its_sha256(
    runner: CliRunner, db: str, store: Database
) -> None:
    add(runner, db, "tanaka")
    made = run(runner, db, "token", "tanaka", "--label", "nightly export")
    assert made.exit_code == 0, made.output
    lines = made.stdout.splitlines()
    assert len(lines) == 1, "stdout holds the token and nothing else, for $(…) in scripts"
    secret = lines[0]
    assert secret.startswith(TOKEN_PREFIX)
    assert secret not in made.stderr
    assert "shown this once" in made.stderr
    assert "nightly export" in made.stderr
    assert accounts.token_user(store, secret).user.name == "tanaka"
    with store.engine.connect() as connection:
        rows = connection.execute(sa.select(ApiTokenRow)).mappings().all()
    assert [row["token_hash"] for row in rows] == [hashlib.sha256(secret.encode()).hexdigest()]
    assert not any(secret in str(value) for row in rows for value in row.values())


def test_token_list_shows_the_tokens_but_never_the_secrets(
    runner: CliRunner, db: str, store: Database
) -> None:
    add(runner, db, "tanaka")
    first = run(runner, db, "token", "tanaka", "--label", "first").stdout.strip()
    second = run(runner, db, "token", "tanaka", "--label", "second").stdout.strip()
    ids = {info.label: info.id for info in accounts.list_tokens(store, "tanaka")}
    shown = run(runner, db, "token", "tanaka", "--list")
    assert shown.exit_code == 0, shown.output
    assert first not in shown.output
    assert second not in shown.output
    rows = [line.split() for line in shown.stdout.splitlines()[1:] if line.strip()]
    assert [(row[0], row[1]) for row in rows] == [
        (str(ids["first"]), "first"),
        (str(ids["second"]), "second"),
    ]


def test_token_revoke_stops_the_token_and_the_list_says_so(
    runner: CliRunner, db: str, store: Database
) -> None:
    add(runner, db, "tanaka")
    doomed = run(runner, db, "token", "tanaka", "--label", "doomed").stdout.strip()
    kept = run(runner, db, "token", "tanaka", "--label", "kept").stdout.strip()
    doomed_id = next(t.id for t in accounts.list_tokens(store, "tanaka") if t.label == "doomed")
    revoked = run(runner, db, "token", "tanaka", "--revoke", str(doomed_id))
    assert revoked.exit_code == 0, revoked.output
    assert revoked.stdout == f"token {doomed_id} (doomed) of tanaka revoked\n"
    with pytest.raises(AuthenticationError):
        accounts.token_user(store, doomed)
    assert accounts.token_user(store, kept).user.name == "tanaka"
    shown = run(runner, db, "token", "tanaka", "--list").stdout
    rows = {line.split()[1]: line for line in shown.splitlines()[1:] if line.strip()}
    # A revoked token has a fourth column: when it was revoked.
    assert rows["doomed"].count("Z") == 2
    assert rows["kept"].count("Z") == 1


def test_token_revoke_of_a_token_the_user_does_not_have_is_an_error(
    runner: CliRunner, db: str, store: Database
) -> None:
    add(runner, db, "tanaka")
    add(runner, db, "sato")
    satos = run(runner, db, "token", "sato").stdout.strip()
    satos_id = accounts.list_tokens(store, "sato")[0].id
    refused = run(runner, db, "token", "tanaka", "--revoke", str(satos_id))
    assert refused.exit_code == 2
    assert f"has no API token {satos_id}" in refused.stderr
    assert accounts.token_user(store, satos).user.name == "sato"


def test_token_for_an_unknown_user_is_an_error(runner: CliRunner, db: str) -> None:
    for args in (["token", "ghost"], ["token", "ghost", "--list"]):
        refused = run(runner, db, *args)
        assert refused.exit_code == 2
        assert "no user named 'ghost'" in refused.stderr
        assert refused.stdout == ""
