"""An import killed half-way leaves every postmortem whole, and a rerun finishes the job."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from hansei.store import create_engine
from hansei.store.mapping import content_hash
from tests.conftest import example_paths

COUNT = 400


def _write_documents(folder: Path) -> None:
    folder.mkdir()
    sources = [path.read_text(encoding="utf-8") for path in example_paths()]
    for number in range(COUNT):
        text = sources[number % len(sources)]
        title_line = text.splitlines()[0]
        (folder / f"pm-{number:04}.md").write_text(
            text.replace(title_line, f"{title_line} #{number}", 1), encoding="utf-8"
        )


def _count(engine: sa.Engine) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql("SELECT count(*) FROM postmortems").scalar_one())


def _import(folder: Path, url: str) -> subprocess.Popen[bytes]:
    script = Path(sys.executable).with_name("hansei")
    return subprocess.Popen(
        [str(script), "import", str(folder), "--db", url],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def _json(value: object) -> dict[str, Any]:
    # SQLite hands JSON back as text through a plain SQL query, PostgreSQL as a dict.
    parsed = json.loads(value) if isinstance(value, str) else value
    assert isinstance(parsed, dict)
    return parsed


def _assert_whole(engine: sa.Engine) -> None:
    """Each postmortem agrees with its current revision and with every derived row."""
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT p.id, p.document, p.content_hash, r.document AS revised "
                "FROM postmortems p JOIN revisions r "
                "ON r.postmortem_id = p.id AND r.number = p.revision"
            )
        ).all()
        assert len(rows) == _count(engine)
        for row in rows:
            document = _json(row.document)
            assert content_hash(document) == row.content_hash
            assert _json(row.revised) == document
            for table, key in (("timeline_events", "timeline"), ("action_items", "action_items")):
                found = connection.execute(
                    sa.text(f"SELECT count(*) FROM {table} WHERE postmortem_id = :id"),
                    {"id": row.id},
                ).scalar_one()
                assert found == len(document[key])
        searchable = connection.exec_driver_sql("SELECT count(*) FROM search_documents").scalar()
        assert searchable == len(rows)
        if engine.dialect.name == "sqlite":
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            for table in ("search_trigram", "search_bigram"):
                connection.exec_driver_sql(
                    f"INSERT INTO {table}({table}) VALUES('integrity-check')"
                )


def test_a_killed_import_leaves_old_or_new_never_a_mix(database_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "documents"
    _write_documents(folder)
    if database_url.startswith("postgresql"):
        subprocess.run(
            [str(Path(sys.executable).with_name("hansei")), "db", "upgrade", "--db", database_url],
            check=True,
            capture_output=True,
        )
    running = _import(folder, database_url)
    engine = create_engine(database_url)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and running.poll() is None:
            try:
                if _count(engine) >= 20:
                    break
            except sa.exc.OperationalError:
                pass  # the schema is still being created
            except sa.exc.ProgrammingError:
                pass
            time.sleep(0.005)
        os.killpg(running.pid, signal.SIGKILL)
        running.wait()
        stored = _count(engine)
        assert 0 < stored < COUNT, "the import was not caught half-way"
        _assert_whole(engine)

        rerun = _import(folder, database_url)
        assert rerun.wait(timeout=120) == 0
        assert _count(engine) == COUNT
        _assert_whole(engine)
    finally:
        engine.dispose()
