"""Who is asked to review what: kept in a table on every save, filled for stores older
than that table, and read a page at a time, on both stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from hansei.config import Settings
from hansei.model.access import Role
from hansei.services import saving
from hansei.services.reviewing import actor_of, take_review_step
from hansei.services.searching import (
    PostmortemSummary,
    SearchFilters,
    SortOrder,
    list_postmortems,
    waiting_for_review,
)
from hansei.store import Database, create_engine, open_database
from hansei.store.mapping import prepare
from hansei.store.migrate import upgrade
from hansei.store.tables import PostmortemRow, ReviewerRow, table_of
from hansei.workflow import ReviewAction
from tests.databases import empty_database_url
from tests.factories import postmortem


def _ask(database: Database, title: str, status: str, reviewers: list[str]) -> str:
    document = postmortem(title=title, status=status, reviewers=reviewers)
    return saving.create_postmortem(database, document, user="t").postmortem_id


def _titles(found: list[PostmortemSummary]) -> list[str | None]:
    return [summary.title for summary in found]


def test_waiting_names_the_reviewer_however_written_longest_waiting_first(
    database: Database,
) -> None:
    _ask(database, "first", "review", ["@Mori", "ito"])
    _ask(database, "draft", "draft", ["mori"])
    _ask(database, "other reviewer", "review", ["@sato"])
    _ask(database, "second", "review", [" mori ", "@MORI"])
    found, total = waiting_for_review(database, "MORI")
    assert (_titles(found), total) == (["first", "second"], 2)
    page, total = waiting_for_review(database, "@mori", limit=1, offset=1)
    assert (_titles(page), total) == (["second"], 2)
    past_the_end, total = waiting_for_review(database, "mori", limit=5, offset=9)
    assert (past_the_end, total) == ([], 2)
    assert waiting_for_review(database, "nobody") == ([], 0)


def test_a_save_replaces_the_reviewers(database: Database) -> None:
    postmortem_id = _ask(database, "asked", "draft", ["@mori"])
    changed = postmortem(title="asked", status="draft", reviewers=["@ito"])
    saving.update_postmortem(database, postmortem_id, changed, user="t", base_revision=1)
    assert list_postmortems(database, SearchFilters(reviewer="mori")) == ([], 0)
    assert _titles(list_postmortems(database, SearchFilters(reviewer="ito"))[0]) == ["asked"]
    with database.reading() as session:
        keys = session.scalars(
            sa.select(ReviewerRow.reviewer_key).where(ReviewerRow.postmortem_id == postmortem_id)
        ).all()
    assert keys == ["ito"]


def test_the_list_filters_by_reviewer(database: Database) -> None:
    _ask(database, "mine", "draft", ["@mori"])
    _ask(database, "not mine", "review", ["@ito"])
    summaries, total = list_postmortems(database, SearchFilters(reviewer="@Mori"))
    assert (_titles(summaries), total) == (["mine"], 1)


def test_upgrading_an_older_store_fills_the_reviewers(database_kind: str, tmp_path: Path) -> None:
    with empty_database_url(database_kind, tmp_path) as url:
        bare = Database(create_engine(url))
        upgrade(bare, "0008")
        now = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
        with bare.engine.begin() as connection:
            for number, (status, reviewers) in enumerate(
                [("review", ["@Mori", "mori", "@ito"]), ("review", []), ("draft", ["mori"])]
            ):
                prepared = prepare(postmortem(title=f"pm {number}", status=status,
                                              reviewers=reviewers))  # fmt: skip
                connection.execute(
                    sa.insert(table_of(PostmortemRow)),
                    {
                        "id": f"pm{number}",
                        **prepared.columns,
                        "document": prepared.document,
                        "content_hash": prepared.digest,
                        "revision": 1,
                        "last_revision": 1,
                        "created_at": now,
                        "created_by": "t",
                        "updated_at": now + dt.timedelta(minutes=number),
                        "updated_by": "t",
                    },
                )
        upgrade(bare)
        bare.dispose()
        database = open_database(url)
        try:
            with database.reading() as session:
                rows = session.execute(
                    sa.select(
                        ReviewerRow.postmortem_id,
                        ReviewerRow.reviewer_key,
                        ReviewerRow.status,
                        ReviewerRow.updated_at,
                    ).order_by(ReviewerRow.postmortem_id, ReviewerRow.reviewer_key)
                ).all()
            later = now + dt.timedelta(minutes=2)
            assert [tuple(row) for row in rows] == [
                ("pm0", "ito", "review", now),
                ("pm0", "mori", "review", now),
                ("pm2", "mori", "draft", later),
            ]
            assert _titles(waiting_for_review(database, "mori")[0]) == ["pm 0"]
        finally:
            database.dispose()


def test_waiting_follows_each_save_and_review_step(database: Database) -> None:
    first = _ask(database, "first", "review", ["@mori"])
    _ask(database, "second", "review", ["@mori"])
    assert _titles(waiting_for_review(database, "mori")[0]) == ["first", "second"]
    # A save is a change: the first has now waited the least.
    retitled = postmortem(title="first, edited", status="review", reviewers=["@mori"])
    saving.update_postmortem(database, first, retitled, user="t", base_revision=1)
    assert _titles(waiting_for_review(database, "mori")[0]) == ["second", "first, edited"]
    by_change = list_postmortems(
        database, SearchFilters(status="review", reviewer="mori"), sort=SortOrder.updated
    )
    assert (_titles(by_change[0]), by_change[1]) == (["first, edited", "second"], 2)
    # Out of review, it waits for nobody.
    take_review_step(
        database,
        first,
        ReviewAction.request_changes,
        actor=actor_of("ito", Role.reviewer),
        settings=Settings(),
        comment="more detail",
    )
    assert waiting_for_review(database, "mori")[1] == 1
    drafts = list_postmortems(
        database,
        SearchFilters(status="draft", reviewer="mori"),
        sort=SortOrder.longest_waiting,
    )
    assert (_titles(drafts[0]), drafts[1]) == (["first, edited"], 1)
