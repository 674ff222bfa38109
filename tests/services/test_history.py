"""Nothing is lost: every save is a revision; stale updates are refused but kept."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from hansei.errors import ConflictError, NotFoundError
from hansei.markdown import parse_markdown
from hansei.model import Postmortem, Review, ReviewStatus
from hansei.services import history, saving
from hansei.store import Database, repository
from hansei.store.queries import ActionFilters, action_items
from hansei.store.search import search
from tests.conftest import example_paths
from tests.factories import as_draft


def _example(index: int = 0) -> Postmortem:
    """An example as a draft: these tests edit it, and a Final document takes no edits."""
    text = example_paths()[index].read_text(encoding="utf-8")
    return as_draft(parse_markdown(text).postmortem)


def _retitled(postmortem: Postmortem, title: str) -> Postmortem:
    return postmortem.model_copy(update={"title": title})


def test_a_saved_postmortem_reads_back_equal(database: Database) -> None:
    original = _example()
    created = saving.create_postmortem(database, original, user="mori")
    stored = history.get_postmortem(database, created.postmortem_id)
    assert stored.postmortem == original
    assert (stored.revision, stored.updated_by) == (1, "mori")


def test_every_save_is_a_revision_with_who(database: Database) -> None:
    first = _example()
    created = saving.create_postmortem(database, first, user="mori")
    pid = created.postmortem_id
    saving.update_postmortem(database, pid, _retitled(first, "二版"), user="ito", base_revision=1)
    saving.update_postmortem(database, pid, _retitled(first, "三版"), user="mori", base_revision=2)
    revisions = history.list_revisions(database, pid)
    assert [(r.number, r.created_by, r.based_on, r.current) for r in revisions] == [
        (1, "mori", None, False),
        (2, "ito", 1, False),
        (3, "mori", 2, True),
    ]
    assert history.revision_document(database, pid, 1) == first
    assert history.revision_document(database, pid, 2).title == "二版"


def test_saving_the_same_document_again_changes_nothing(database: Database) -> None:
    document = _example()
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    again = saving.update_postmortem(database, pid, document, user="ito", base_revision=1)
    assert again.outcome == "unchanged"
    assert len(history.list_revisions(database, pid)) == 1


def test_a_stale_update_is_refused_and_both_versions_stay(database: Database) -> None:
    document = _example()
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    mine = _retitled(document, "私の版")
    theirs = _retitled(document, "あなたの版")
    saving.update_postmortem(database, pid, theirs, user="ito", base_revision=1)
    with pytest.raises(ConflictError) as refused:
        saving.update_postmortem(database, pid, mine, user="mori", base_revision=1)
    assert (refused.value.base, refused.value.current, refused.value.kept_revision) == (1, 2, 3)
    assert "revision 2" in str(refused.value)
    assert history.get_postmortem(database, pid).postmortem.title == "あなたの版"
    kept = history.list_revisions(database, pid)[-1]
    assert (kept.number, kept.kind, kept.based_on, kept.current) == (3, "conflict", 1, False)
    assert history.revision_document(database, pid, 3).title == "私の版"
    # The next save from the current revision goes through, numbered after the kept one.
    after = saving.update_postmortem(
        database, pid, _retitled(document, "統合版"), user="mori", base_revision=2
    )
    assert after.revision == 4


def test_restoring_an_old_revision_adds_a_new_one(database: Database) -> None:
    document = _example()
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    saving.update_postmortem(database, pid, _retitled(document, "改"), user="ito", base_revision=1)
    restored = history.restore_revision(database, pid, 1, user="sato")
    assert restored.revision == 3
    assert history.get_postmortem(database, pid).postmortem == document
    last = history.list_revisions(database, pid)[-1]
    assert (last.kind, last.created_by, last.note) == (
        "restore",
        "sato",
        "restored from revision 1",
    )


def test_a_diff_shows_what_changed_as_markdown(database: Database) -> None:
    document = _example()
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    saving.update_postmortem(
        database, pid, _retitled(document, "新しい題"), user="ito", base_revision=1
    )
    diff = history.diff_revisions(database, pid, 1, 2)
    changed = [line for line in diff.splitlines() if line[:1] in "+-" and line[:3] not in "+++---"]
    assert changed == [f"-# ポストモーテム: {document.title}", "+# ポストモーテム: 新しい題"]
    assert history.diff_revisions(database, pid, 1, 1) == ""


def test_a_diff_splits_lines_where_the_parser_does(database: Database) -> None:
    # U+2028 and \x85 end a line for str.splitlines, not in Markdown: the diff keeps
    # them inside the summary's line and shows one line changed.
    document = _example().model_copy(update={"summary": "a\u2028b\x85c"})
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    changed_summary = document.model_copy(update={"summary": "a\u2028b\x85d"})
    saving.update_postmortem(database, pid, changed_summary, user="ito", base_revision=1)
    diff = history.diff_revisions(database, pid, 1, 2)
    changed = [line for line in diff.split("\n") if line[:1] in "+-" and line[:3] not in "+++---"]
    assert changed == ["-a\u2028b\x85c", "+a\u2028b\x85d"]


def test_derived_rows_follow_the_current_revision(database: Database) -> None:
    document = _example()
    owner = document.action_items[0].owner
    assert owner is not None
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    assert action_items_of(database, owner)
    reassigned = document.model_copy(
        update={
            "action_items": [
                item.model_copy(update={"owner": "@new-owner"}) for item in document.action_items
            ]
        }
    )
    saving.update_postmortem(database, pid, reassigned, user="mori", base_revision=1)
    assert action_items_of(database, owner) == []
    assert len(action_items_of(database, "@new-owner")) == len(document.action_items)
    with database.reading() as session:
        assert [hit.id for hit in search(session, "new-owner")] == [pid]


def action_items_of(database: Database, owner: str) -> list[object]:
    with database.reading() as session:
        return list(action_items(session, ActionFilters(owner=owner)))


def test_ids_resolve_from_a_prefix_and_unknown_ones_are_named(database: Database) -> None:
    pid = saving.create_postmortem(database, _example(), user="mori").postmortem_id
    assert history.resolve(database, pid[:8]) == pid
    assert history.resolve(database, pid.upper()) == pid
    with pytest.raises(NotFoundError, match="no postmortem 'ffff0000'"):
        history.resolve(database, "ffff0000")
    with pytest.raises(NotFoundError, match="has no revision 9"):
        history.revision_document(database, pid, 9)


def test_a_failed_save_leaves_nothing_half_written(database: Database) -> None:
    document = _example()
    saving.create_postmortem(database, _example(1), user="mori")
    before = _counts(database)
    # The first create is complete (document, revision, rows, search) when the
    # second breaks the primary key: the transaction must take both back.
    with pytest.raises(sa.exc.IntegrityError):
        _create_twice(database, document, "a" * 32)
    assert _counts(database) == before
    with pytest.raises(NotFoundError):
        history.get_postmortem(database, "a" * 32)


def _create_twice(database: Database, document: Postmortem, postmortem_id: str) -> None:
    with database.transaction() as session:
        repository.create(session, document, user="x", postmortem_id=postmortem_id)
        repository.create(session, document, user="x", postmortem_id=postmortem_id)


def _counts(database: Database) -> dict[str, int]:
    tables = ("postmortems", "revisions", "action_items", "timeline_events", "search_documents")
    with database.reading() as session:
        return {
            t: session.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables
        }


def test_two_writers_from_the_same_revision_one_wins_one_is_kept(database: Database) -> None:
    document = _example()
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def write(user: str) -> None:
        start.wait()
        try:
            saving.update_postmortem(
                database, pid, _retitled(document, f"{user} の版"), user=user, base_revision=1
            )
            outcomes[user] = "saved"
        except ConflictError:
            outcomes[user] = "conflict"

    threads = [threading.Thread(target=write, args=(user,)) for user in ("ito", "sato")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes.values()) == ["conflict", "saved"]
    (winner,) = [user for user, outcome in outcomes.items() if outcome == "saved"]
    revisions = history.list_revisions(database, pid)
    assert [(r.number, r.kind, r.current) for r in revisions] == [
        (1, "save", False),
        (2, "save", True),
        (3, "conflict", False),
    ]
    assert revisions[1].created_by == winner
    assert history.get_postmortem(database, pid).postmortem.title == f"{winner} の版"


def test_the_same_edit_from_an_old_revision_is_no_conflict(database: Database) -> None:
    document = _example()
    pid = saving.create_postmortem(database, document, user="mori").postmortem_id
    fixed = _retitled(document, "同じ直し")
    saving.update_postmortem(database, pid, fixed, user="ito", base_revision=1)
    again = saving.update_postmortem(database, pid, fixed, user="sato", base_revision=1)
    assert (again.outcome, again.revision) == ("unchanged", 2)
    assert len(history.list_revisions(database, pid)) == 2


@pytest.mark.parametrize("status", list(ReviewStatus))
def test_every_review_status_is_stored_and_read_back(
    database: Database, status: ReviewStatus
) -> None:
    review = Review(reviewer="@sato", comment="one more why", status=status)
    original = _example().model_copy(update={"reviews": [review]})
    created = saving.create_postmortem(database, original, user="mori")
    stored = history.get_postmortem(database, created.postmortem_id)
    assert stored.postmortem.reviews[-1].status is status


def test_the_current_revision_is_read_once_and_never_stale(database: Database) -> None:
    first = _example()
    pid = saving.create_postmortem(database, first, user="mori").postmortem_id
    read = history.current(database, pid)
    assert (read.revision, read.postmortem) == (1, first)
    assert history.current(database, pid) is read
    assert history.current(database, pid[:8]) is read
    saving.update_postmortem(database, pid, _retitled(first, "二版"), user="ito", base_revision=1)
    changed = history.current(database, pid)
    assert (changed.revision, changed.postmortem.title, changed.updated_by) == (2, "二版", "ito")
    history.restore_revision(database, pid, 1, user="mori")
    restored = history.current(database, pid)
    assert (restored.revision, restored.postmortem.title) == (3, first.title)
    with pytest.raises(NotFoundError):
        history.current(database, "0" * 32)
