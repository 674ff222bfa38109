"""The postmortems counted in each status follow every write, on both stores."""

from __future__ import annotations

import threading
from pathlib import Path

import sqlalchemy as sa

from hansei.config import Settings
from hansei.model import Postmortem
from hansei.model.access import Role
from hansei.services import history, importing, saving
from hansei.services.reviewing import actor_of, take_review_step
from hansei.services.searching import SearchFilters, list_postmortems
from hansei.store import Database
from hansei.store import repository as repo
from hansei.workflow import ReviewAction
from tests.factories import postmortem


def _kept(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT status, postmortems FROM postmortem_counts"))
        return {status: count for status, count in rows if count}


def _counted(database: Database) -> dict[str, int]:
    with database.engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT status, count(*) FROM postmortems GROUP BY status")
        )
        return {status: count for status, count in rows}


def _store(database: Database, postmortem_id: str, document: Postmortem) -> None:
    """A write as the review steps make it, the status included."""
    with database.transaction() as session:
        repo.update(session, postmortem_id, document, user="t", base_revision=None)


def test_creates_saves_review_steps_and_restores_keep_the_counts(database: Database) -> None:
    first = saving.create_postmortem(database, postmortem(title="a"), user="t").postmortem_id
    saving.create_postmortem(database, postmortem(title="b", status="review"), user="t")
    assert _kept(database) == {"draft": 1, "review": 1}
    # A save that changes nothing, and one that keeps the status, count nothing again.
    saving.update_postmortem(database, first, postmortem(title="a"), user="t", base_revision=1)
    saving.update_postmortem(database, first, postmortem(title="a2"), user="t", base_revision=1)
    assert _kept(database) == {"draft": 1, "review": 1}
    # A stale save is kept as a conflict revision: the current status stays.
    stale = postmortem(title="a3", status="review", reviewers=["@mori"])
    with database.transaction() as session:
        outcome = repo.update(session, first, stale, user="t", base_revision=1)
    assert outcome.outcome == "conflict"
    assert _kept(database) == {"draft": 1, "review": 1}
    _store(database, first, postmortem(title="a3", status="review", reviewers=["@mori"]))
    assert _kept(database) == {"review": 2}
    take_review_step(
        database,
        first,
        ReviewAction.request_changes,
        actor=actor_of("mori", Role.reviewer),
        settings=Settings(),
        comment="more detail",
    )
    assert _kept(database) == {"draft": 1, "review": 1}
    # A restore keeps the status the postmortem has now.
    history.restore_revision(database, first, 1, user="t")
    assert _kept(database) == _counted(database) == {"draft": 1, "review": 1}
    everything = list_postmortems(database, limit=1)[1]
    drafts = list_postmortems(database, SearchFilters(status="draft"))[1]
    assert (everything, drafts) == (2, 1)


def test_an_import_counts_what_it_stored_and_nothing_it_refused(
    database: Database, tmp_path: Path
) -> None:
    for number in range(5):
        status = "final" if number == 0 else "draft"
        text = f"# imported {number}\n\n- ステータス: {status}\n" if number != 3 else "\x00"
        (tmp_path / f"{number}.md").write_text(text, encoding="utf-8")
    report = importing.import_paths(database, sorted(tmp_path.glob("*.md")), user="t", workers=1)
    assert len(report.failed) == 1
    assert _kept(database) == _counted(database)
    assert sum(_kept(database).values()) == 4


def test_writers_moving_postmortems_both_ways_at_once_all_finish(database: Database) -> None:
    reviewed = [
        saving.create_postmortem(
            database, postmortem(title=f"r{n}", status="review"), user="t"
        ).postmortem_id
        for n in range(6)
    ]
    drafted = [
        saving.create_postmortem(database, postmortem(title=f"d{n}"), user="t").postmortem_id
        for n in range(6)
    ]
    failures: list[BaseException] = []

    def move(ids: list[str], status: str) -> None:
        try:
            for postmortem_id in ids:
                _store(database, postmortem_id, postmortem(title="moved", status=status))
        except BaseException as error:  # the test reports it below
            failures.append(error)

    threads = [
        threading.Thread(target=move, args=(reviewed, "draft")),
        threading.Thread(target=move, args=(drafted, "review")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert _kept(database) == _counted(database) == {"draft": 6, "review": 6}
