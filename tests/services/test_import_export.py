"""Import is idempotent and reports bad files; export -> import changes nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from hansei.model import Language
from hansei.services import exporting, history, importing
from hansei.services.documents import load_with_id
from hansei.store import Database
from tests.conftest import EXAMPLES, FIXTURES
from tests.databases import fresh_database

MESSY = FIXTURES / "messy"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The examples and the messy documents, plus two files that are no postmortems."""
    folder = tmp_path / "postmortems"
    shutil.copytree(EXAMPLES, folder / "examples")
    shutil.copytree(MESSY, folder / "messy", ignore=shutil.ignore_patterns("*.json"))
    (folder / "broken").mkdir()
    (folder / "broken" / "latin1.md").write_bytes(b"# Postmortem: caf\xe9\n")
    (folder / "broken" / "bad.json").write_text('{"title": "x",\n "status": "done"}\n')
    return folder


def _documents(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_import_stores_what_reads_and_lists_what_does_not(database: Database, corpus: Path) -> None:
    report = importing.import_paths(database, _documents(corpus), user="mori")
    assert len(report.created) == 17
    assert (report.updated, report.unchanged) == ([], [])
    reasons = sorted(failure.reason for failure in report.failed)
    broken = corpus / "broken"
    assert reasons == [
        f"{broken / 'bad.json'}:2: Input should be 'draft', 'review' or 'final' (status)",
        f"{broken / 'latin1.md'}:1: not UTF-8 text (byte 0xe9 at offset 17)",
    ]


def test_the_same_files_twice_create_nothing_new(database: Database, corpus: Path) -> None:
    files = _documents(corpus)
    first = importing.import_paths(database, files, user="mori")
    second = importing.import_paths(database, files, user="mori")
    assert sorted(second.unchanged) == sorted(first.created)
    assert second.created == second.updated == []
    assert all(len(history.list_revisions(database, pid)) == 1 for pid in first.created)


def test_a_changed_file_is_a_new_revision_of_the_same_postmortem(
    database: Database, tmp_path: Path
) -> None:
    path = tmp_path / "pm.md"
    text = (MESSY / "ja-01-db-pool-exhaustion.md").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    (created,) = importing.import_paths(database, [path], user="mori").created
    changed = text.replace("復旧した。", "復旧した。追記: 監視を強化した。", 1)
    assert changed != text
    path.write_text(changed, "utf-8")
    report = importing.import_paths(database, [path], user="ito")
    assert report.updated == [created]
    revisions = history.list_revisions(database, created)
    assert [(r.number, r.kind, r.created_by) for r in revisions] == [
        (1, "import", "mori"),
        (2, "import", "ito"),
    ]
    assert revisions[1].note == f"imported from {path}"
    assert "追記" in (history.get_postmortem(database, created).postmortem.summary or "")


def test_import_export_import_changes_nothing(
    database: Database, corpus: Path, tmp_path: Path
) -> None:
    imported = importing.import_paths(database, _documents(corpus), user="mori").created
    for file_format in ("md", "json"):
        out = tmp_path / f"export-{file_format}"
        written = exporting.export_all(database, out, file_format=file_format)
        assert sorted(item.postmortem_id for item in written) == sorted(imported)
        again = importing.import_paths(database, [item.path for item in written], user="ito")
        assert sorted(again.unchanged) == sorted(imported), file_format
        assert again.failed == []
        # Exporting again writes the very same bytes.
        before = {path.name: path.read_bytes() for path in out.iterdir()}
        exporting.export_all(database, out, file_format=file_format)
        assert {path.name: path.read_bytes() for path in out.iterdir()} == before
    for pid in imported:
        assert len(history.list_revisions(database, pid)) == 1


def test_an_exported_file_keeps_its_id_even_when_the_title_changes(
    database: Database, tmp_path: Path
) -> None:
    source = EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md"
    (pid,) = importing.import_paths(database, [source], user="mori").created
    (exported,) = exporting.export_all(database, tmp_path / "out")
    loaded = load_with_id(exported.path)
    assert (loaded.document_id, loaded.revision) == (pid, 1)
    text = exported.path.read_text(encoding="utf-8")
    exported.path.write_text(text.replace("全面停止", "全面停止（改題）", 1), encoding="utf-8")
    report = importing.import_paths(database, [exported.path], user="ito")
    assert report.updated == [pid]
    assert "改題" in (history.get_postmortem(database, pid).postmortem.title or "")


def test_ids_travel_to_another_database(
    database: Database, database_kind: str, tmp_path: Path
) -> None:
    source = EXAMPLES / "2025-05-20-search-latency.en.md"
    (pid,) = importing.import_paths(database, [source], user="m").created
    (exported,) = exporting.export_all(database, tmp_path / "out")
    with fresh_database(database_kind, tmp_path / "other") as other:
        assert importing.import_paths(other, [exported.path], user="m").created == [pid]
    # An id this database does not know, on an incident it holds: matched by title
    # and detection time, not stored twice.
    copy = tmp_path / "copy.md"
    copy.write_text(exported.path.read_text("utf-8").replace(pid, "0" * 31 + "1", 1), "utf-8")
    assert importing.import_paths(database, [copy], user="m").unchanged == [pid]


def test_export_in_the_other_language(database: Database, tmp_path: Path) -> None:
    source = EXAMPLES / "2025-03-02-auth-db-pool-exhaustion.ja.md"
    (pid,) = importing.import_paths(database, [source], user="mori").created
    (written,) = exporting.export_all(database, tmp_path / "en", language=Language.en)
    assert written.path.name.endswith(".en.md")
    loaded = load_with_id(written.path)
    assert loaded.document_id == pid
    assert loaded.result.postmortem.language is Language.en
    original = history.get_postmortem(database, pid).postmortem
    assert loaded.result.postmortem == original.model_copy(update={"language": Language.en})


def test_a_draft_without_title_or_detection_imports_once(
    database: Database, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.md"
    draft.write_text("# ポストモーテム: \n\n## 概要\n\n調査中。\n", encoding="utf-8")
    (created,) = importing.import_paths(database, [draft], user="mori").created
    assert importing.import_paths(database, [draft], user="mori").unchanged == [created]


def test_an_earlier_export_under_another_name_is_replaced(
    database: Database, tmp_path: Path
) -> None:
    source = tmp_path / "pm.md"
    text = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")
    source.write_text(text, encoding="utf-8")
    (pid,) = importing.import_paths(database, [source], user="mori").created
    out = tmp_path / "out"
    (first,) = exporting.export_all(database, out)
    unrelated = out / "notes.md"
    unrelated.write_text("# メモ\n", encoding="utf-8")
    source.write_text(text.replace("**日付**: 2025-01-16", "**日付**: 2025-01-17"), "utf-8")
    assert importing.import_paths(database, [source], user="mori").updated == [pid]
    (second,) = exporting.export_all(database, out)
    assert first.path.name.startswith("2025-01-16")
    assert second.path.name.startswith("2025-01-17")
    assert sorted(path.name for path in out.iterdir()) == sorted([second.path.name, "notes.md"])
    assert importing.import_paths(database, [second.path], user="m").unchanged == [pid]


def test_two_files_with_one_id_are_not_both_imported(database: Database, tmp_path: Path) -> None:
    (pid,) = importing.import_paths(
        database, [EXAMPLES / "2025-05-20-search-latency.en.md"], user="m"
    ).created
    (exported,) = exporting.export_all(database, tmp_path / "a")
    copy = tmp_path / "b" / "copy.md"
    copy.parent.mkdir()
    copy.write_text(
        exported.path.read_text(encoding="utf-8").replace("latency", "LATENCY"), "utf-8"
    )
    report = importing.import_paths(database, [exported.path, copy], user="m")
    assert report.unchanged == [pid]
    (failure,) = report.failed
    assert (
        failure.reason
        == f"{copy}:1: carries the same hansei-id as {exported.path}; import one of them"
    )


def test_an_id_comment_counts_only_as_the_first_line(tmp_path: Path) -> None:
    text = (EXAMPLES / "2025-05-20-search-latency.en.md").read_text(encoding="utf-8")
    quoted = tmp_path / "quoted.md"
    quoted.write_text(text + "\n<!-- hansei-id: " + "1" * 32 + " -->\n", encoding="utf-8")
    assert load_with_id(quoted).document_id is None
    first = tmp_path / "first.md"
    first.write_text("\n<!-- hansei-id: " + "1" * 32 + " revision: 4 -->\n" + text, "utf-8")
    loaded = load_with_id(first)
    assert (loaded.document_id, loaded.revision) == ("1" * 32, 4)
