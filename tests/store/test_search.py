"""Search finds exactly the postmortems that contain every term, on both databases."""

from __future__ import annotations

import random
import unicodedata
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa

from hansei.errors import UsageError
from hansei.model import Postmortem
from hansei.services import saving
from hansei.services.searching import (
    MAX_QUERY_LENGTH,
    MAX_QUERY_WORDS,
    day_start,
    search_postmortems,
)
from hansei.store import Database
from hansei.store import search as search_module
from hansei.store.filters import SearchFilters
from hansei.store.migrate import downgrade, upgrade
from hansei.store.search_text import bigram_query, bigram_vector, fold
from hansei.store.tables import PostmortemRow, SearchDocumentRow
from tests.factories import jst, postmortem

# Each document: the fields that carry text, and nothing else that could match.
CORPUS: dict[str, dict[str, object]] = {
    "payment": {
        "title": "決済 API の障害",
        "summary": "外部決済代行の接続タイムアウト。omega-auth v3.18.0 を戻した",
        "impact": {"services": ["Payment API"], "severity": "critical"},
        "status": "final",
        "author": "@sato",
        "times": {"detected": jst(2025, 6, 16, 19, 5), "recovered": jst(2025, 6, 16, 19, 40)},
    },
    "search": {
        "title": "Search API latency",
        "language": "en",
        "summary": "Reindex job delayed; 接続プール exhausted",
        "impact": {"services": ["Search API"], "severity": "medium"},
        "status": "review",
        "author": "@garcia",
        "times": {"detected": jst(2025, 5, 20, 9, 14)},
    },
    "login": {
        "title": "ログイン不可",
        "summary": "鍵ローテーション後の検証失敗 (障害レベル: 高)",
        "timeline": [{"at": jst(2025, 3, 12, 10, 0), "event": "アラート検知"}],
        "impact": {"services": ["Auth API"], "severity": "critical"},
        "status": "draft",
        "author": "@ito",
        "times": {"detected": jst(2025, 3, 12, 10, 0)},
    },
    "walk": {
        "title": "Ｗａｌｋ ＡＰＩ 全面停止",
        "summary": "nil pointer dereference ﾃﾞﾌﾟﾛｲ 直後",
        "impact": {"services": ["Walk API"], "severity": "high"},
        "author": "@mori",
        "times": {"detected": jst(2025, 1, 16, 14, 35)},
    },
    "database": {
        "title": "DB 枯渇",
        "summary": '100% CPU_usage on db-1 "quoted"',
        "action_items": [
            {
                "horizon": "immediate",
                "task": "枯渇 を防ぐ監視",
                "owner": "@mori",
                "due": "2025-02-10",
            }
        ],
        "impact": {"services": ["Auth API"], "severity": "high"},
        "author": "@ito",
        "times": {"detected": jst(2025, 2, 3, 8, 0)},
    },
}

QUERIES = [
    "障害",
    "接続",
    "障",
    "枯渇",
    "API",
    "api",
    "ａｐｉ",
    "walk",
    "デプロイ",
    "omega-auth",
    "v3.18.0",
    "100%",
    "cpu_usage",
    "_",
    "%",
    "検知",
    "アラート検知",
    "latency",
    "接続 タイムアウト",
    "障害 ログイン",
    "nothing-here",
    '"quoted"',
    "x",
    "失敗 (障害",
]


def _folded_text(fields: dict[str, object]) -> str:
    """Every string of the document, folded by the rule the docs state (NFKC, casefold)."""
    strings: list[str] = []

    def collect(value: object) -> None:
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in ("status", "language", "severity", "horizon", "due"):
                    collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(fields)
    return unicodedata.normalize("NFKC", "\n".join(strings)).casefold()


def _expected(query: str) -> set[str]:
    terms = unicodedata.normalize("NFKC", query).casefold().split()
    return {
        name
        for name, fields in CORPUS.items()
        if terms and all(term in _folded_text(fields) for term in terms)
    }


@pytest.fixture
def stored(database: Database) -> dict[str, str]:
    """Corpus name -> postmortem id."""
    ids: dict[str, str] = {}
    for name, fields in CORPUS.items():
        document: Postmortem = postmortem(**fields)
        ids[name] = saving.create_postmortem(database, document, user="test").postmortem_id
    return ids


def _found(database: Database, ids: dict[str, str], query: str, **filters: object) -> set[str]:
    names = {pid: name for name, pid in ids.items()}
    hits = search_postmortems(database, query, SearchFilters(**filters), limit=100)  # type: ignore[arg-type]
    return {names[hit.id] for hit in hits}


def test_the_oracle_itself_sees_two_character_japanese() -> None:
    assert _expected("障害") == {"payment", "login"}
    assert _expected("ｗａｌｋ") == {"walk"}


@pytest.mark.parametrize(
    ("ranked_at_most", "title_first_at_most"),
    [(search_module.RANKED_AT_MOST, search_module.TITLE_FIRST_AT_MOST), (0, 0)],
)
def test_a_query_finds_exactly_the_documents_that_contain_every_term(
    database: Database,
    stored: dict[str, str],
    ranked_at_most: int,
    title_first_at_most: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Both ways each store orders matches (ranked, or newest first when many match).
    monkeypatch.setattr(search_module, "RANKED_AT_MOST", ranked_at_most)
    monkeypatch.setattr(search_module, "TITLE_FIRST_AT_MOST", title_first_at_most)
    found = {query: _found(database, stored, query) for query in QUERIES}
    assert found == {query: _expected(query) for query in QUERIES}
    assert found["障害"] == {"payment", "login"}
    assert found["接続"] == {"payment", "search"}


def test_random_substrings_find_what_contains_them(
    database: Database, stored: dict[str, str]
) -> None:
    texts = [_folded_text(fields) for fields in CORPUS.values()]
    generator = random.Random(20261129)
    queries: list[str] = []
    while len(queries) < 150:
        text = generator.choice(texts)
        length = generator.choice([1, 2, 2, 3, 4, 6])
        start = generator.randrange(0, max(1, len(text) - length))
        query = text[start : start + length]
        if query.strip() and not any(character.isspace() for character in query):
            queries.append(query)
    mismatches = {
        query: (found, expected)
        for query in queries
        if (found := _found(database, stored, query)) != (expected := _expected(query))
    }
    assert mismatches == {}


def test_filters_narrow_the_results(database: Database, stored: dict[str, str]) -> None:
    assert _found(database, stored, "API", service="Payment API") == {"payment"}
    assert _found(database, stored, "", service="Auth API") == {"login", "database"}
    assert _found(database, stored, "", severity="critical") == {"payment", "login"}
    assert _found(database, stored, "", status="review") == {"search"}
    assert _found(database, stored, "", owner="@mori") == {"walk", "database"}
    tokyo = "Asia/Tokyo"
    since = day_start(date(2025, 3, 1), tokyo)
    until = day_start(date(2025, 6, 1), tokyo)
    assert _found(database, stored, "", since=since, until=until) == {"login", "search"}
    assert _found(database, stored, "障害", since=since) == {"payment", "login"}


def test_a_match_in_the_title_ranks_first(database: Database) -> None:
    body_only = postmortem(
        title="夜間バッチ遅延", summary="監視の閾値を見直した。監視 の通知先も。"
    )
    in_title = postmortem(title="監視 の抜け", summary="詳細は後述")
    for other in ("証明書の期限切れ", "DNS レコード削除", "ディスク容量逼迫"):
        saving.create_postmortem(database, postmortem(title=other, summary=other), user="t")
    saving.create_postmortem(database, body_only, user="t")
    wanted = saving.create_postmortem(database, in_title, user="t").postmortem_id
    for query in ("監視", "監視 の"):
        hits = search_postmortems(database, query)
        assert hits[0].id == wanted, query
    # A term of three or more characters: ranked by relevance on SQLite, a title
    # match still first.
    long_body = postmortem(title="夜間の遅延", summary="タイムアウト。再びタイムアウト。")
    long_title = postmortem(title="タイムアウト多発", summary="詳細は後述")
    saving.create_postmortem(database, long_body, user="t")
    wanted = saving.create_postmortem(database, long_title, user="t").postmortem_id
    assert search_postmortems(database, "タイムアウト")[0].id == wanted


def test_each_hit_shows_where_it_matched(database: Database, stored: dict[str, str]) -> None:
    (hit,) = search_postmortems(database, "omega")
    assert "omega-auth" in hit.snippet
    assert hit.services == ["Payment API"]
    (walk,) = search_postmortems(database, "デプロイ")
    assert "ﾃﾞﾌﾟﾛｲ" in walk.snippet  # shown as written, found as folded


def test_paging_walks_through_every_result(database: Database, stored: dict[str, str]) -> None:
    everything = [hit.id for hit in search_postmortems(database, "", limit=100)]
    pages = [
        hit.id
        for offset in range(0, 5, 2)
        for hit in search_postmortems(database, "", limit=2, offset=offset)
    ]
    assert pages == everything
    assert len(everything) == len(CORPUS)


def test_a_deleted_postmortem_is_never_found_again(database: Database) -> None:
    gone = saving.create_postmortem(
        database, postmortem(title="カモノハシ platypus"), user="t"
    ).postmortem_id
    with database.transaction() as session:
        session.execute(sa.delete(PostmortemRow).where(PostmortemRow.id == gone))
    kept = saving.create_postmortem(database, postmortem(title="別の件"), user="t").postmortem_id
    for query in ("platypus", "カモノハシ", "カモ", "別の件"):
        found = [hit.id for hit in search_postmortems(database, query)]
        assert found == ([kept] if query == "別の件" else []), query


def test_filters_find_results_beyond_the_first_window(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On SQLite the best matches are filtered first; a narrow window must still
    # find a match that ranks below it.
    monkeypatch.setattr(search_module, "filtered_window", lambda wanted: 2)
    for number in range(4):
        saving.create_postmortem(
            database, postmortem(title=f"監視 監視 {number}", impact={"severity": "high"}), user="t"
        )
    rare = saving.create_postmortem(
        database, postmortem(title="夜間", summary="監視", impact={"severity": "low"}), user="t"
    ).postmortem_id
    hits = search_postmortems(database, "監視", SearchFilters(severity="low"))
    assert [hit.id for hit in hits] == [rare]
    assert len(search_postmortems(database, "監視", SearchFilters(severity="high"), limit=3)) == 3


def test_when_many_match_the_newest_stored_come_first(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANKED_AT_MOST", 2)
    monkeypatch.setattr(search_module, "TITLE_FIRST_AT_MOST", 2)
    ids = [
        saving.create_postmortem(database, postmortem(title=f"監視 {n}"), user="t").postmortem_id
        for n in range(4)
    ]
    found = [hit.id for hit in search_postmortems(database, "監視", limit=3)]
    if database.dialect == "sqlite":
        assert found == ids[::-1][:3]
    else:  # PostgreSQL: the most recently detected (none is), then by id
        assert found == sorted(ids)[:3]


def test_many_matches_come_newest_detected_first_a_page_at_a_time(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(search_module, "RANKED_AT_MOST", 2)
    monkeypatch.setattr(search_module, "TITLE_FIRST_AT_MOST", 2)
    detected: dict[str, int] = {}
    for day in range(1, 9):
        # Every other one holds the word; the others come between them in time.
        summary = "ロールバックした" if day % 2 else "再起動した"
        document = postmortem(
            title=f"障害 {day}",
            summary=summary,
            times={"detected": f"2025-03-0{day}T10:00:00+09:00"},
            impact={"severity": "high" if day < 7 else "low"},
        )
        created = saving.create_postmortem(database, document, user="t").postmortem_id
        detected[created] = day
    newest_matching = sorted((d for d in detected.values() if d % 2), reverse=True)

    def days(query: str, filters: SearchFilters | None = None, **options: Any) -> list[int]:
        found = search_postmortems(database, query, filters, **options)
        return [detected[hit.id] for hit in found]

    if database.dialect == "postgresql":
        assert days("ロールバック", limit=3) == newest_matching[:3]
        assert days("ロールバック", limit=3, offset=2) == newest_matching[2:5]
        assert days("ロールバック", SearchFilters(severity="high")) == [5, 3, 1]
    else:  # SQLite: the newest stored
        assert days("ロールバック", limit=3) == newest_matching[:3]
    assert sorted(days("ロールバック")) == sorted(newest_matching)


def test_the_bigram_vector_holds_each_character_and_pair_once() -> None:
    vector = bigram_vector("障害 it's", "障害")
    assert vector is not None
    lexemes = set(vector.split(" "))
    assert lexemes == {"'障'", "'害'", "'障害'", "'i'", "'t'", "'s'", "''''", "'it'", "'t'''",
                       "'''s'"}  # fmt: skip
    assert bigram_query("障") == "'障'"
    assert bigram_query("障害障") == "'障害' & '害障'"
    assert bigram_query("a\\b") == "'a\\\\' & '\\\\b'"


def test_a_document_too_large_for_the_bigram_vector_is_still_found(database: Database) -> None:
    generator = random.Random(4)
    # Pairs of random ideographs: more distinct pairs than a tsvector may hold.
    lines = [
        "".join(chr(generator.randrange(0x4E00, 0x9FA5)) for _ in range(5000)) for _ in range(24)
    ]
    text = "\n".join(lines)
    assert bigram_vector("", fold(text)) is None
    big = saving.create_postmortem(
        database, postmortem(title="巨大", summary=text), user="t"
    ).postmortem_id
    small = saving.create_postmortem(
        database, postmortem(title="小さい", summary=lines[3][100:140]), user="t"
    ).postmortem_id
    for query in (lines[3][120], lines[3][120:122], lines[3][120:125]):
        assert {hit.id for hit in search_postmortems(database, query)} == {big, small}, query
    assert [hit.id for hit in search_postmortems(database, lines[5][7:9])] == [big]
    if database.dialect == "postgresql":
        with database.reading() as session:
            unindexed = session.scalars(
                sa.select(SearchDocumentRow.postmortem_id).where(
                    SearchDocumentRow.bigrams.is_(None)
                )
            ).all()
        assert unindexed == [big]


def test_upgrading_fills_the_bigrams_of_what_is_stored(database: Database) -> None:
    found = saving.create_postmortem(
        database, postmortem(title="接続の障害", summary="監視"), user="t"
    ).postmortem_id
    downgrade(database, "0009")
    upgrade(database)
    for query in ("障害", "障", "接続の障", "監視"):
        assert [hit.id for hit in search_postmortems(database, query)] == [found], query
    if database.dialect == "postgresql":
        with database.reading() as session:
            vector = session.scalar(sa.select(sa.func.array_to_string(
                sa.func.tsvector_to_array(SearchDocumentRow.bigrams), " ")))  # fmt: skip
        assert vector is not None
        assert {"障害", "接続", "監視", "障"} <= set(vector.split(" "))


# Four hundred distinct CJK characters: each one word, each one more condition.
_MANY_WORDS = " ".join(chr(0x4E00 + n) for n in range(400))


def test_a_query_of_too_many_words_is_refused_naming_the_limit(database: Database) -> None:
    saving.create_postmortem(database, postmortem(title="障害"), user="test")
    with pytest.raises(UsageError, match=f"at most {MAX_QUERY_WORDS} "):
        search_postmortems(database, _MANY_WORDS)


def test_a_query_at_the_word_limit_is_answered(database: Database) -> None:
    saving.create_postmortem(database, postmortem(title="障害", summary=_MANY_WORDS), user="test")
    words = _MANY_WORDS.split()[:MAX_QUERY_WORDS]
    # The same word twice is one condition: repeats do not count against the limit.
    assert len(search_postmortems(database, " ".join(words + words))) == 1


def test_a_query_too_long_is_refused_naming_the_limit(database: Database) -> None:
    with pytest.raises(UsageError, match=f"at most {MAX_QUERY_LENGTH:,} characters"):
        search_postmortems(database, "障" * (MAX_QUERY_LENGTH + 1))
