"""The store's commands end to end: db, import, search, show, history, diff, restore, update."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from hansei.cli.app import app
from hansei.services.searching import MAX_QUERY_WORDS
from hansei.store import create_engine
from hansei.store.migrate import head_revision
from tests.conftest import EXAMPLES, FIXTURES
from tests.databases import postgres_schema, postgres_url, require_postgres
from tests.factories import draft_markdown

HEAD = head_revision()
WALK = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def db(runner: CliRunner, database_url: str) -> str:
    upgraded = runner.invoke(app, ["db", "upgrade", "--db", database_url])
    assert upgraded.exit_code == 0, upgraded.output
    assert f"schema empty → {HEAD}" in upgraded.output
    return database_url


def _run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _import_walk(runner: CliRunner, db: str, folder: Path) -> str:
    """The example as a draft: these tests edit it, and a Final document takes no edits."""
    draft = folder / WALK.name
    draft.write_text(draft_markdown(WALK.read_text(encoding="utf-8")), encoding="utf-8")
    code, out, _ = _run(runner, "import", str(draft), "--db", db, "--user", "mori")
    assert (code, out) == (0, "1 created, 0 updated, 0 unchanged, 0 failed\n")
    code, out, _ = _run(runner, "search", "nil", "--json", "--db", db)
    (hit,) = json.loads(out)
    identifier: str = hit["id"]
    return identifier


def test_db_status_tells_whether_an_upgrade_is_needed(runner: CliRunner, database_url: str) -> None:
    code, out, _ = _run(runner, "db", "status", "--db", database_url)
    if database_url.startswith("sqlite"):
        # Not created by looking at it: the first import makes the file.
        assert (code, out) == (
            0,
            f"{database_url}: no database yet (the first `hansei import` creates it)\n",
        )
        assert not Path(database_url.removeprefix("sqlite:///")).exists()
    else:
        assert code == 1
        assert f"schema none (needs `hansei db upgrade` to {HEAD})" in out
    _run(runner, "db", "upgrade", "--db", database_url)
    code, out, _ = _run(runner, "db", "status", "--db", database_url)
    assert f"schema {HEAD} (current)" in out
    code, out, _ = _run(runner, "db", "upgrade", "--db", database_url)
    assert f"schema {HEAD} → {HEAD}" in out


def test_import_reports_each_bad_file_and_exits_1(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("just some notes\n", encoding="utf-8")
    code, out, err = _run(runner, "import", str(EXAMPLES), str(bad), "--db", db)
    assert code == 1
    assert out == "3 created, 0 updated, 0 unchanged, 1 failed\n"
    assert f"{bad}:1: " in err
    code, out, _ = _run(runner, "import", str(EXAMPLES / "*.md"), "--db", db)
    assert (code, out) == (0, "0 created, 0 updated, 3 unchanged, 0 failed\n")


def test_search_finds_two_character_japanese_with_filters(runner: CliRunner, db: str) -> None:
    _run(runner, "import", str(EXAMPLES), str(FIXTURES / "messy" / "*.md"), "--db", db)
    code, out, _ = _run(runner, "search", "枯渇", "--json", "--db", db)
    titles = sorted(hit["title"] for hit in json.loads(out))
    assert titles == [
        "Auth API の DB コネクションプール枯渇によるログイン・認証の全面障害",
        "Walk API のDB接続プール枯渇による 503 エラー",
    ]
    code, out, _ = _run(
        runner, "search", "枯渇", "--since", "2025-03-01", "--until", "2025-03-02", "--json",
        "--db", db,
    )  # fmt: skip
    assert [hit["title"][:8] for hit in json.loads(out)] == ["Auth API"]
    code, out, _ = _run(runner, "search", "枯渇", "--db", db)
    assert code == 0
    assert "枯渇" in out
    code, out, _ = _run(runner, "search", "存在しない語", "--db", db)
    assert out == "no postmortem matches\n"
    code, _, err = _run(runner, "search", "x", "--since", "yesterday", "--db", db)
    assert code == 2
    assert "'yesterday' is not a date" in err
    code, _, err = _run(runner, "search", "x", "--since", "2025-03-02", "--until", "2025-03-01")
    assert code == 2
    assert "2025-03-02 is after --until 2025-03-01" in err
    code, out, _ = _run(runner, "search", "枯渇", "--status", "Final", "--json", "--db", db)
    assert (code, len(json.loads(out))) == (0, 2)


def test_show_history_diff_restore(runner: CliRunner, db: str, tmp_path: Path) -> None:
    pid = _import_walk(runner, db, tmp_path)
    code, shown, _ = _run(runner, "show", pid[:8], "--db", db)
    assert shown.startswith(f"<!-- hansei-id: {pid} revision: 1 -->\n# ポストモーテム: Walk API")
    edited = tmp_path / "edited.md"
    edited.write_text(shown.replace("全面停止", "全面停止 (追記)", 1), encoding="utf-8")
    code, out, _ = _run(runner, "update", pid, str(edited), "--db", db, "--user", "ito")
    assert (code, out) == (0, f"{pid}: saved as revision 2\n")
    code, out, _ = _run(runner, "history", pid, "--json", "--db", db)
    assert [(r["number"], r["created_by"], r["current"]) for r in json.loads(out)] == [
        (1, "mori", False),
        (2, "ito", True),
    ]
    code, out, _ = _run(runner, "diff", pid, "1", "2", "--db", db)
    assert (
        "+# ポストモーテム: Walk API デプロイ後の nil pointer dereference による全面停止 (追記)"
        in out
    )
    code, out, _ = _run(runner, "restore", pid, "1", "--db", db)
    assert out == f"{pid}: revision 1 restored as revision 3\n"
    code, out, _ = _run(runner, "show", pid, "--format", "json", "--db", db)
    assert json.loads(out)["postmortem"]["title"].endswith("全面停止")
    code, out, _ = _run(runner, "show", pid, "--revision", "2", "--format", "json", "--db", db)
    assert json.loads(out)["revision"] == 2
    code, out, _ = _run(runner, "history", pid, "--db", db)
    assert "restore (from 2)" in out


def test_a_stale_update_exits_3_and_keeps_both(runner: CliRunner, db: str, tmp_path: Path) -> None:
    pid = _import_walk(runner, db, tmp_path)
    _, shown, _ = _run(runner, "show", pid, "--db", db)
    mine, theirs = tmp_path / "mine.md", tmp_path / "theirs.md"
    mine.write_text(shown.replace("全面停止", "私の版", 1), encoding="utf-8")
    theirs.write_text(shown.replace("全面停止", "あなたの版", 1), encoding="utf-8")
    assert _run(runner, "update", pid, str(theirs), "--db", db)[0] == 0
    code, _, err = _run(runner, "update", pid, str(mine), "--db", db)
    assert code == 3
    assert "is at revision 2, but the update started from revision 1" in err
    assert "your version is kept as revision 3" in err
    assert f"compare: hansei diff {pid[:8]} 2 3; then update from revision 2" in err
    _, out, _ = _run(runner, "show", pid, "--revision", "3", "--format", "json", "--db", db)
    assert "私の版" in json.loads(out)["postmortem"]["title"]


def test_unknown_ids_and_revisions_are_named(runner: CliRunner, db: str, tmp_path: Path) -> None:
    pid = _import_walk(runner, db, tmp_path)
    code, _, err = _run(runner, "show", "deadbeef", "--db", db)
    assert (code, err) == (2, "hansei: no postmortem 'deadbeef'\n")
    code, _, err = _run(runner, "diff", pid, "1", "7", "--db", db)
    assert (code, err) == (2, f"hansei: postmortem {pid} has no revision 7\n")


def test_export_writes_files_that_import_unchanged(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    _run(runner, "import", str(EXAMPLES), "--db", db)
    code, out, _ = _run(runner, "export", str(tmp_path / "out"), "--db", db)
    assert out == f"3 postmortems written to {tmp_path / 'out'}\n"
    code, out, _ = _run(runner, "import", str(tmp_path / "out"), "--db", db)
    assert (code, out) == (0, "0 created, 0 updated, 3 unchanged, 0 failed\n")
    _run(runner, "export", str(tmp_path / "json"), "--format", "json", "--lang", "en", "--db", db)
    assert len(list((tmp_path / "json").glob("*.json"))) == 3


def test_the_default_database_is_a_sqlite_file_set_up_on_first_use(tmp_path: Path) -> None:
    # The installed console script, with HANSEI_DATABASE_URL as the only hint.
    url = f"sqlite:///{tmp_path / 'data' / 'team.db'}"
    environment = {**os.environ, "HANSEI_DATABASE_URL": url, "HANSEI_USER": "ci-bot"}
    script = Path(sys.executable).with_name("hansei")
    done = subprocess.run(
        [str(script), "import", str(WALK)], env=environment, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "team.db").exists()
    done = subprocess.run(
        [str(script), "search", "障害", "--json"], env=environment, capture_output=True, text=True
    )
    (hit,) = json.loads(done.stdout)
    history = subprocess.run(
        [str(script), "history", hit["id"], "--json"],
        env=environment,
        capture_output=True,
        text=True,
    )
    assert json.loads(history.stdout)[0]["created_by"] == "ci-bot"


def test_an_unreachable_database_is_a_clear_error(runner: CliRunner) -> None:
    url = "postgresql://nobody@127.0.0.1:9/none?connect_timeout=2"
    code, _, err = _run(runner, "search", "x", "--db", url)
    assert code == 2
    assert err.startswith(
        "hansei: cannot use the database postgresql+psycopg://nobody@127.0.0.1:9/none"
    )


def test_update_refuses_a_file_of_another_postmortem(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    _run(runner, "import", str(EXAMPLES), "--db", db)
    _, out, _ = _run(runner, "search", "", "--json", "--db", db)
    first, second = (hit["id"] for hit in json.loads(out)[:2])
    _, shown, _ = _run(runner, "show", first, "--db", db)
    other = tmp_path / "other.md"
    other.write_text(shown, encoding="utf-8")
    code, _, err = _run(runner, "update", second, str(other), "--db", db)
    assert code == 2
    assert err == f"hansei: {other} is postmortem {first}, not {second}\n"


def test_db_upgrade_warns_when_postgresql_cannot_index_japanese(runner: CliRunner) -> None:
    require_postgres()
    name = f"hansei_c_{uuid.uuid4().hex[:8]}"
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(
            f"CREATE DATABASE {name} TEMPLATE template0 LC_CTYPE 'C' LC_COLLATE 'C'"
        )
    url = postgres_url().rsplit("/", 1)[0] + f"/{name}"
    try:
        code, out, err = _run(runner, "db", "upgrade", "--db", url)
        assert code == 0, err
        assert f"schema empty → {HEAD}" in out
        assert "hansei: warning: the database's LC_CTYPE is C: pg_trgm makes no trigrams" in err
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE {name} WITH (FORCE)")
        admin.dispose()
    # The test database (C.UTF-8) gets no such warning.
    with postgres_schema() as good:
        code, _, err = _run(runner, "db", "upgrade", "--db", good)
        assert (code, err) == (0, "")


def test_reading_commands_do_not_create_a_database(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "typo" / "hansei.db"
    for command in (["search", "x"], ["show", "abcd1234"], ["export", str(tmp_path / "out")]):
        code, _, err = _run(runner, *command, "--db", f"sqlite:///{path}")
        assert (code, err) == (2, f"hansei: no database at {path} (`hansei import` creates it)\n")
    assert not (tmp_path / "typo").exists()


def test_import_refuses_what_is_no_postmortem_and_shows_warnings(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    notes = tmp_path / "notes.md"
    notes.write_text("# Shopping list\n\n- milk\n", encoding="utf-8")
    empty = tmp_path / "empty.json"
    empty.write_text("{}\n", encoding="utf-8")
    vague = tmp_path / "vague.md"
    vague.write_text(
        WALK.read_text(encoding="utf-8").replace(
            "- **復旧**: 2025-01-16 12:35:00 JST", "- **復旧**: そのうち"
        ),
        encoding="utf-8",
    )
    code, out, err = _run(runner, "import", str(notes), str(empty), str(vague), "--db", db)
    assert (code, out) == (1, "1 created, 0 updated, 0 unchanged, 2 failed\n")
    assert f"{notes}:1: not a postmortem: none of the template's sections or fields" in err
    assert f"{empty}:1: not a postmortem: the document is empty" in err
    assert f"{vague}:" in err
    assert "warning: bad-timestamp" in err


def test_export_into_a_file_is_a_clear_error(runner: CliRunner, db: str, tmp_path: Path) -> None:
    _run(runner, "import", str(WALK), "--db", db)
    taken = tmp_path / "taken"
    taken.write_text("", encoding="utf-8")
    code, _, err = _run(runner, "export", str(taken), "--db", db)
    assert code == 2
    assert err.startswith(f"hansei: cannot write to {taken}: ")


def test_owners_are_found_with_or_without_the_at_sign(runner: CliRunner, db: str) -> None:
    _run(runner, "import", str(EXAMPLES), "--db", db)
    _, with_at, _ = _run(runner, "search", "--owner", "@ksato", "--json", "--db", db)
    _, without, _ = _run(runner, "search", "--owner", "ksato", "--json", "--db", db)
    assert json.loads(with_at) == json.loads(without) != []


def test_export_reports_a_document_it_cannot_read_and_writes_the_rest(
    runner: CliRunner, db: str, tmp_path: Path
) -> None:
    unreadable = _import_walk(runner, db, tmp_path)
    other = tmp_path / "search.md"
    other.write_text(
        (EXAMPLES / "2025-05-20-search-latency.en.md").read_text(encoding="utf-8"), "utf-8"
    )
    assert _run(runner, "import", str(other), "--db", db, "--user", "mori")[0] == 0
    # As an older version, before the model's bounds, could have stored it.
    engine = create_engine(db)
    with engine.begin() as connection:
        connection.execute(
            sa.text("UPDATE postmortems SET document = :document WHERE id = :id").bindparams(
                sa.bindparam("document", type_=sa.JSON)
            ),
            {"id": unreadable, "document": {"times": {"detected": "0001-01-01T00:00:00+09:00"}}},
        )
    engine.dispose()
    code, out, err = _run(runner, "export", str(tmp_path / "out"), "--db", db)
    assert code == 1
    assert out == f"1 postmortems written to {tmp_path / 'out'}, 1 could not be read\n"
    assert f"postmortem {unreadable} revision 1 cannot be read" in err
    assert "(times.detected); not exported" in err
    assert len(list((tmp_path / "out").iterdir())) == 1
    assert "Search" in next((tmp_path / "out").iterdir()).read_text(encoding="utf-8")
    code, out, err = _run(runner, "show", unreadable, "--db", db)
    assert code != 0
    assert "cannot be read" in err
    assert "Traceback" not in out + err


def test_search_refuses_too_many_words_naming_the_limit(runner: CliRunner, db: str) -> None:
    words = " ".join(f"w{n:02d}" for n in range(MAX_QUERY_WORDS + 1))
    code, out, err = _run(runner, "search", words, "--db", db)
    assert code == 2
    assert f"at most {MAX_QUERY_WORDS} words" in err
    code, out, _ = _run(runner, "search", words.rsplit(" ", 1)[0], "--db", db)
    assert (code, out) == (0, "no postmortem matches\n")
