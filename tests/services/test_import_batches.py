"""Import writes many files a transaction: what becomes of each file is what importing
them one after another would make of it, wherever the batches begin and end."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from hansei.services import history, importing, searching
from hansei.services.importing import ImportFailure
from hansei.store import Database
from tests.conftest import example_paths
from tests.services.test_interrupted_import import _assert_whole


def _postmortem(folder: Path, name: str, number: int, *, author: str = "") -> Path:
    """An example postmortem with `#number` and a word found nowhere else (`zq007q`)
    after its title: a distinct incident."""
    sources = example_paths()
    text = sources[number % len(sources)].read_text(encoding="utf-8")
    title_line = text.splitlines()[0]
    text = text.replace(title_line, f"{title_line} zq{number:03}q #{number}", 1)
    if author:
        lines = text.splitlines(keepends=True)
        lines[3] = lines[3].split(":", 1)[0] + f": {author}\n"
        text = "".join(lines)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _count(database: Database, table: str) -> int:
    with database.querying() as connection:
        return int(connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one())


@pytest.mark.parametrize("batch_size", [1, 3, 4, 64])
def test_many_files_across_batches_are_each_stored_whole(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    monkeypatch.setattr(importing, "_BATCH_DOCUMENTS", batch_size)
    paths = [_postmortem(tmp_path, f"pm-{number}.md", number) for number in range(9)]
    report = importing.import_paths(database, paths, user="mori", workers=1)
    assert len(report.created) == len(set(report.created)) == 9
    assert (report.updated, report.unchanged, report.failed) == ([], [], [])
    # The report keeps the files' order.
    titles = [history.get_postmortem(database, pid).postmortem.title for pid in report.created]
    assert [str(title).endswith(f"#{number}") for number, title in enumerate(titles)] == [True] * 9
    for pid, path in zip(report.created, paths, strict=True):
        (revision,) = history.list_revisions(database, pid)
        assert (revision.kind, revision.created_by) == ("import", "mori")
        assert revision.note == f"imported from {path}"
    _assert_whole(database.engine)
    found = searching.search_postmortems(database, "zq007q", limit=20)
    assert [hit.id for hit in found] == [report.created[7]]
    again = importing.import_paths(database, paths, user="mori", workers=1)
    assert again.unchanged == report.created


@pytest.mark.parametrize("batch_size", [2, 3, 64])
def test_files_that_match_a_file_of_their_batch_or_a_stored_one(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    monkeypatch.setattr(importing, "_BATCH_DOCUMENTS", batch_size)
    stored = _postmortem(tmp_path, "stored.md", 2)
    (stored_id,) = importing.import_paths(database, [stored], user="mori").created
    draft = tmp_path / "draft.md"
    draft.write_text("# ポストモーテム: \n\n## 概要\n\n調査中。\n", encoding="utf-8")
    draft_copy = tmp_path / "draft-copy.md"
    draft_copy.write_text(draft.read_text(encoding="utf-8"), encoding="utf-8")
    a = _postmortem(tmp_path, "a.md", 0)
    b = _postmortem(tmp_path, "b.md", 1)
    a_changed = _postmortem(tmp_path, "a-changed.md", 0, author="@ito")
    b_again = _postmortem(tmp_path, "b-again.md", 1)

    report = importing.import_paths(
        database, [a, b, a_changed, stored, draft, draft_copy, b_again], user="ito", workers=1
    )

    assert not report.failed
    assert len(report.created) == 3
    a_id, b_id, draft_id = report.created
    assert report.updated == [a_id]
    assert report.unchanged == [stored_id, draft_id, b_id]
    revisions = history.list_revisions(database, a_id)
    assert [(info.number, info.kind, info.note) for info in revisions] == [
        (1, "import", f"imported from {a}"),
        (2, "import", f"imported from {a_changed}"),
    ]
    assert [info.current for info in revisions] == [False, True]
    assert history.get_postmortem(database, a_id).postmortem.author == "@ito"
    assert _count(database, "postmortems") == 4
    assert _count(database, "revisions") == 5
    _assert_whole(database.engine)


def _refuse_titles_ending_in(database: Database, suffix: str) -> None:
    """A trigger in the database refuses such postmortems, as a constraint would."""
    with database.transaction() as session:
        if database.dialect == "sqlite":
            session.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON postmortems "
                    f"WHEN NEW.title LIKE '%{suffix}' "
                    "BEGIN SELECT RAISE(ABORT, 'refused by a trigger'); END"
                )
            )
        else:
            session.execute(
                sa.text(
                    "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    f"IF NEW.title LIKE '%{suffix}' THEN "
                    "RAISE EXCEPTION 'refused by a trigger'; END IF; RETURN NEW; END $$"
                )
            )
            session.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON postmortems "
                    "FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )


@pytest.mark.parametrize("batch_size", [3, 64])
def test_a_file_the_database_refuses_is_named_and_the_rest_of_its_batch_go_in(
    database: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch_size: int
) -> None:
    monkeypatch.setattr(importing, "_BATCH_DOCUMENTS", batch_size)
    _refuse_titles_ending_in(database, "#4")
    paths = [_postmortem(tmp_path, f"pm-{number}.md", number) for number in range(7)]

    report = importing.import_paths(database, paths, user="mori", workers=1)

    (failure,) = report.failed
    assert failure.source == str(paths[4])
    assert failure.reason.startswith(f"{paths[4]}: the database refused it: ")
    assert "refused by a trigger" in failure.reason
    assert failure == ImportFailure(failure.source, failure.reason)
    assert len(report.created) == 6
    titles = [history.get_postmortem(database, pid).postmortem.title for pid in report.created]
    assert [str(title).rsplit("#", 1)[1] for title in titles] == ["0", "1", "2", "3", "5", "6"]
    # Nothing of the refused file was written: no revision, no rows, no search entry.
    for table in ("postmortems", "revisions", "search_documents"):
        assert _count(database, table) == 6
    assert searching.search_postmortems(database, "zq004q") == []
    _assert_whole(database.engine)
