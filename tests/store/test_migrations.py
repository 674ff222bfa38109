"""The schema: migrations build exactly the tables, and a database is checked on opening."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from hansei.errors import StoreError
from hansei.store import Database, create_engine, open_database
from hansei.store.migrate import current_revision, downgrade, head_revision, upgrade
from hansei.store.tables import Base, PostmortemRow, table_of
from tests.databases import fresh_database

_FTS_TABLES = ("search_trigram", "search_bigram")
_POSTGRESQL_ONLY = ("_trgm", "_bigrams", "_newest")
# Built in PostgreSQL's "DESC NULLS LAST" order: alembic reads them back as expressions
# and cannot compare them; the test below checks each on PostgreSQL.
_IN_POSTGRESQL_ORDER = {
    index.name: dict(index.dialect_options["postgresql"]["ops"])
    for index in table_of(PostmortemRow).indexes
    if index.dialect_options["postgresql"]["ops"]
}


def _ours(item: Any, name: str | None, kind: str, reflected: bool, compare_to: Any) -> bool:
    if kind == "index" and name in _IN_POSTGRESQL_ORDER:
        return False
    # FTS5 virtual tables (and their shadow tables) are made by the migration alone.
    if kind == "table" and name is not None and name.startswith(_FTS_TABLES):
        return False
    # The GIN indexes (pg_trgm, bigrams) and the index in PostgreSQL's NULL order exist
    # on PostgreSQL only, as their ddl_if says.
    postgresql_only = name is not None and name.endswith(_POSTGRESQL_ONLY)
    return not (kind == "index" and postgresql_only and not reflected)


def test_upgrading_from_the_first_revision_gives_the_tables(database_url: str) -> None:
    database = Database(create_engine(database_url))
    before, after = upgrade(database)
    assert (before, after) == (None, head_revision())
    with database.engine.connect() as connection:
        context = MigrationContext.configure(
            connection,
            opts={"include_object": _ours, "compare_type": True},
        )
        differences = compare_metadata(context, Base.metadata)
    database.dispose()
    if database.dialect == "postgresql":
        # On PostgreSQL the trigram indexes must be there too, not only skipped above.
        assert not [d for d in differences if any(name in str(d) for name in _POSTGRESQL_ONLY)]
    assert differences == []


def test_the_postgresql_trigram_indexes_exist(tmp_path: Path) -> None:
    with fresh_database("postgresql", tmp_path) as database:
        inspector = sa.inspect(database.engine)
        names = {index["name"] for index in inspector.get_indexes("search_documents")}
    assert {
        "ix_search_documents_title_trgm",
        "ix_search_documents_body_trgm",
        "ix_search_documents_bigrams",
        "ix_search_documents_without_bigrams",
    } <= names


def test_the_indexes_in_postgresql_order_are_built_so(database_kind: str, tmp_path: Path) -> None:
    with fresh_database(database_kind, tmp_path) as database:
        inspector = sa.inspect(database.engine)
        indexes = {index["name"]: index for index in inspector.get_indexes("postmortems")}
    expected = set(_IN_POSTGRESQL_ORDER)
    if database_kind == "sqlite":
        expected.discard("ix_postmortems_newest")
    assert expected <= set(indexes)
    assert len(expected) >= 3
    for name in expected:
        sorting: dict[str, Any] = dict(indexes[name].get("column_sorting", {}))
        if database_kind == "postgresql":
            assert sorting == {
                column: ("desc", "nulls_last") for column in _IN_POSTGRESQL_ORDER[name]
            }
        else:
            assert sorting == {}


def test_the_postgresql_list_reads_the_newest_from_an_index(tmp_path: Path) -> None:
    with fresh_database("postgresql", tmp_path) as database:
        inspector = sa.inspect(database.engine)
        indexes = {index["name"]: index for index in inspector.get_indexes("postmortems")}
        with database.engine.connect() as connection:
            connection.exec_driver_sql("SET enable_seqscan = off")
            plan = connection.exec_driver_sql(
                "EXPLAIN SELECT id FROM postmortems "
                "ORDER BY detected_at DESC NULLS LAST, id LIMIT 25"
            ).all()
    sorting: dict[str, Any] = dict(indexes["ix_postmortems_newest"].get("column_sorting", {}))
    assert sorting == {"detected_at": ("desc", "nulls_last")}
    assert "ix_postmortems_newest" in " ".join(row[0] for row in plan)
    assert "Sort" not in " ".join(row[0] for row in plan)


def test_a_new_sqlite_file_gets_the_schema_at_once(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'deep' / 'folder' / 'new.db'}"
    database = open_database(url)
    assert current_revision(database) == head_revision()
    tables = set(sa.inspect(database.engine).get_table_names())
    assert {"postmortems", "revisions", "search_trigram", "search_bigram"} <= tables
    database.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path: Path) -> None:
    database = open_database(f"sqlite:///{tmp_path / 'h.db'}")
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    database.dispose()


def test_a_database_without_the_schema_is_refused_with_what_to_do(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        # A SQLite file that holds other tables is not "new": hansei leaves it alone.
        engine = create_engine(database_url)
        with engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE someone_elses (id INTEGER)")
        engine.dispose()
    with pytest.raises(StoreError, match="run `hansei db upgrade`"):
        open_database(database_url)


def test_an_out_of_date_schema_is_refused(database: Database) -> None:
    with database.engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0000'")
    with pytest.raises(StoreError, match="schema revision 0000"):
        open_database(database.engine.url.render_as_string(hide_password=False))


def test_an_unknown_kind_of_database_is_refused() -> None:
    with pytest.raises(StoreError, match="unsupported database"):
        create_engine("mysql://localhost/db")
    with pytest.raises(StoreError, match="not a database URL"):
        create_engine("::::")


# 0007: user names become one without regard to case and width ------------------------


def _database_at(url: str, revision: str) -> Database:
    database = Database(create_engine(url))
    upgrade(database, revision)
    return database


def _add_users_before_0007(database: Database, *names: str) -> None:
    with database.engine.begin() as connection:
        for name in names:
            connection.execute(
                sa.text(
                    "INSERT INTO users (name, role, created_at) VALUES (:name, 'author', :now)"
                ),
                {"name": name, "now": dt.datetime(2026, 11, 30, 9, 0)},
            )
        connection.execute(
            sa.text(
                "INSERT INTO api_tokens (user_id, label, token_hash, created_at) "
                "SELECT id, 'kept', 'hash-' || name, :now FROM users"
            ),
            {"now": dt.datetime(2026, 11, 30, 9, 0)},
        )


def _rows(database: Database, query: str) -> list[tuple[Any, ...]]:
    with database.engine.connect() as connection:
        return [tuple(row) for row in connection.execute(sa.text(query))]


def test_0007_gives_existing_users_their_keys_and_keeps_their_tokens(database_url: str) -> None:
    database = _database_at(database_url, "0006")
    _add_users_before_0007(database, "Sato.Ken", "adm", "ＸＸ")
    upgrade(database)
    assert _rows(database, "SELECT name, name_key FROM users ORDER BY name") == [
        ("Sato.Ken", "sato.ken"),
        ("adm", "adm"),
        ("ＸＸ", "xx"),
    ]
    assert len(_rows(database, "SELECT id FROM api_tokens")) == 3
    with pytest.raises(sa.exc.IntegrityError), database.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO users (name, name_key, role, created_at) "
                "VALUES ('ADM', 'adm', 'viewer', :now)"
            ),
            {"now": dt.datetime(2026, 12, 1)},
        )
    database.dispose()


def test_0007_stops_naming_the_users_whose_names_would_become_one(database_url: str) -> None:
    database = _database_at(database_url, "0006")
    _add_users_before_0007(database, "adm", "ADM", "ａｄｍ", "ops", "OPS", "tanaka")
    with pytest.raises(StoreError) as refused:
        upgrade(database)
    message = str(refused.value)
    assert "'ADM', 'adm', 'ａｄｍ'" in message
    assert "'OPS', 'ops'" in message
    assert "tanaka" not in message
    # Nothing changed: the store is still at 0006 and opens again once a name is changed.
    assert current_revision(database) == "0006"
    assert "name_key" not in {c["name"] for c in sa.inspect(database.engine).get_columns("users")}
    with database.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM users WHERE name IN ('ADM', 'ａｄｍ', 'OPS')"))
    assert upgrade(database) == ("0006", head_revision())
    database.dispose()


def test_0007_downgrades_to_0006_keeping_users_and_tokens(database_url: str) -> None:
    database = _database_at(database_url, "0006")
    _add_users_before_0007(database, "adm", "tanaka")
    upgrade(database, "0007")
    assert downgrade(database, "0006") == ("0007", "0006")
    columns = {c["name"] for c in sa.inspect(database.engine).get_columns("users")}
    assert "name_key" not in columns
    assert _rows(database, "SELECT name FROM users ORDER BY name") == [("adm",), ("tanaka",)]
    assert len(_rows(database, "SELECT id FROM api_tokens")) == 2
    upgrade(database, "0007")
    assert _rows(database, "SELECT name_key FROM users ORDER BY name") == [("adm",), ("tanaka",)]
    database.dispose()


def test_0008_keeps_the_review_history_and_downgrades(database_url: str) -> None:
    database = _database_at(database_url, "0007")
    with database.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO postmortems (id, status, language, document, content_hash,"
                " revision, last_revision, created_at, created_by, updated_at, updated_by)"
                " VALUES ('p1', 'draft', 'ja', '{}', 'h', 1, 1, :now, 'mori', :now, 'mori')"
            ),
            {"now": dt.datetime(2026, 12, 1)},
        )
        connection.execute(
            sa.text(
                "INSERT INTO reviews (postmortem_id, position, reviewer, status)"
                " VALUES ('p1', 0, '@sato', 'approved')"
            )
        )
    upgrade(database, "0008")
    with database.engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO reviews (postmortem_id, position, reviewer, status)"
                " VALUES ('p1', 1, '@mori', 'changes_requested')"
            )
        )
    assert _rows(database, "SELECT reviewer, status FROM reviews ORDER BY position") == [
        ("@sato", "approved"),
        ("@mori", "changes_requested"),
    ]
    with database.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM reviews WHERE position = 1"))
    assert downgrade(database, "0007") == ("0008", "0007")
    assert _rows(database, "SELECT reviewer, status FROM reviews") == [("@sato", "approved")]
    database.dispose()


def test_0013_counts_the_postmortems_already_stored_by_status(database_url: str) -> None:
    database = _database_at(database_url, "0012")
    with database.engine.begin() as connection:
        for number, status in enumerate(["draft", "final", "draft", "review", "draft"]):
            connection.execute(
                sa.text(
                    "INSERT INTO postmortems (id, status, language, document, content_hash,"
                    " revision, last_revision, created_at, created_by, updated_at, updated_by)"
                    " VALUES (:id, :status, 'ja', '{}', 'h', 1, 1, :now, 'mori', :now, 'mori')"
                ),
                {"id": f"p{number}", "status": status, "now": dt.datetime(2026, 12, 1)},
            )
    upgrade(database, "0013")
    assert _rows(database, "SELECT status, postmortems FROM postmortem_counts ORDER BY status") == [
        ("draft", 3),
        ("final", 1),
        ("review", 1),
    ]
    assert downgrade(database, "0012") == ("0013", "0012")
    assert "postmortem_counts" not in sa.inspect(database.engine).get_table_names()
    database.dispose()
