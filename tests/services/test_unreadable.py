"""A document the store cannot read back: never written now, and one written by an older
version (before the model's bounds) is reported while everything else goes on."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from hansei.errors import DocumentError, UnreadableDocumentError
from hansei.markdown import parse_markdown
from hansei.model import Postmortem
from hansei.services import exporting, history, issue_export, reminding, saving, searching
from hansei.store import Database
from hansei.store.queries import ActionFilters
from hansei.store.tables import PostmortemRow, RevisionRow, table_of
from tests.conftest import EXAMPLES

WALK = (EXAMPLES / "2025-01-16-walk-api-nil-pointer.ja.md").read_text(encoding="utf-8")
SEARCH = (EXAMPLES / "2025-05-20-search-latency.en.md").read_text(encoding="utf-8")

# What older versions stored, each of which the model refuses now.
OLDER_DOCUMENTS: dict[str, tuple[str, Any]] = {
    "downtime 1e308": ("impact", {"downtime_minutes": 1e308, "services": ["Walk API"]}),
    "year 1": ("times", {"detected": "0001-01-01T00:00:00+09:00"}),
    "action number 2^64": (
        "action_items",
        [{"number": 2**64, "horizon": "immediate", "task": "x", "owner": "@ksato"}],
    ),
}


def _store(database: Database, text: str) -> str:
    return saving.create_postmortem(
        database, parse_markdown(text).postmortem, user="mori"
    ).postmortem_id


def _as_older_versions_stored(database: Database, postmortem_id: str, key: str, value: Any) -> None:
    """Overwrite the stored document as an older version would have written it."""
    with database.transaction() as session:
        document = dict(session.get(PostmortemRow, postmortem_id).document)  # type: ignore[union-attr]
        document[key] = value
        for table in (table_of(PostmortemRow), table_of(RevisionRow)):
            column = table.c.id if table is table_of(PostmortemRow) else table.c.postmortem_id
            session.execute(
                sa.update(table).where(column == postmortem_id).values(document=document)
            )


def test_a_document_that_would_not_read_back_is_not_stored(database: Database) -> None:
    document = parse_markdown(WALK).postmortem
    # model_copy skips validation: the store checks what it writes.
    broken = document.model_copy(
        update={"impact": document.impact.model_copy(update={"downtime_minutes": 1e308})}
    )
    with pytest.raises(DocumentError, match="cannot be stored") as refused:
        saving.create_postmortem(database, broken, user="mori")
    assert refused.value.field == "impact.downtime_minutes"
    assert searching.list_postmortems(database)[1] == 0


@pytest.mark.parametrize("older", sorted(OLDER_DOCUMENTS))
def test_an_unreadable_document_is_reported_and_the_rest_go_on(
    database: Database, tmp_path: Path, older: str
) -> None:
    bad = _store(database, WALK.replace("**ステータス**: Final", "**ステータス**: Draft"))
    good = _store(database, SEARCH)
    key, value = OLDER_DOCUMENTS[older]
    _as_older_versions_stored(database, bad, key, value)

    with pytest.raises(UnreadableDocumentError) as unreadable:
        history.get_postmortem(database, bad)
    assert unreadable.value.postmortem_id == bad
    assert unreadable.value.field is not None
    assert unreadable.value.field.startswith(key)
    assert bad in str(unreadable.value)
    with pytest.raises(UnreadableDocumentError):
        history.revision_document(database, bad, 1)

    # Listing, search, action items and reminders read rows, not the document.
    summaries, total = searching.list_postmortems(database)
    assert total == 2
    assert {summary.id for summary in summaries} == {bad, good}
    assert [hit.id for hit in searching.search_postmortems(database, "latency")] == [good]
    items = searching.find_action_items(database)
    assert {item.postmortem_id for item in items} >= {good}
    reminding.reminders(database, timezone="Asia/Tokyo", today=dt.date(2025, 6, 1))

    # Export writes every readable document and reports the other.
    reported: list[UnreadableDocumentError] = []
    written = exporting.export_all(database, tmp_path / "out", on_unreadable=reported.append)
    assert [file.postmortem_id for file in written] == [good]
    assert [error.postmortem_id for error in reported] == [bad]
    assert len(list((tmp_path / "out").iterdir())) == 1
    # Without a listener the error comes once the rest are written.
    with pytest.raises(UnreadableDocumentError):
        exporting.export_all(database, tmp_path / "again")
    assert len(list((tmp_path / "again").iterdir())) == 1

    # Issue export plans the readable items and names the unreadable postmortem.
    to_export = issue_export.items_to_export(database, ActionFilters())
    planned = issue_export.plan(database, to_export)
    now = dt.datetime.now(dt.UTC)
    assert [(step.item.postmortem_id, step.action(now)) for step in planned] == [
        (item.postmortem_id, "cannot read" if item.postmortem_id == bad else "open")
        for item in to_export
    ]
    assert {item.postmortem_id for item in to_export} == {bad, good}
    assert all(bad in (step.unreadable or bad) for step in planned)


def test_a_readable_document_round_trips_through_the_store(database: Database) -> None:
    identifier = _store(database, SEARCH)
    stored = history.get_postmortem(database, identifier).postmortem
    assert Postmortem.model_validate(stored.to_json_dict()) == stored
