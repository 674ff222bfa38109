"""Folding, the bigram tokens and snippets: the pure parts of search."""

from __future__ import annotations

from hansei.store.search_text import (
    SNIPPET_SCAN,
    bigram_match,
    bigram_tokens,
    fold,
    query_terms,
    snippet,
)

FILLER = "前置きの文章です。" * 10


def test_folding_makes_widths_and_cases_one() -> None:
    assert fold("ＡＰＩ Api ﾃﾞﾌﾟﾛｲ") == "api api デプロイ"
    assert query_terms("  障害  ＤＢ 障害 ") == ["障害", "db"]


def test_bigram_tokens_hold_every_pair_and_the_last_character() -> None:
    tokens = bigram_tokens("障害 a").split()
    assert bigram_match("障害") in tokens
    assert bigram_match("害 ") in tokens  # pairs across spaces are kept, never asked for
    assert tokens[-1] == bigram_match("a")[:-1]
    assert bigram_tokens("") == ""


def test_a_snippet_shows_the_body_match_as_written() -> None:
    display = f"Title with api\n{FILLER} the API gateway {FILLER}"
    shown = snippet(display, ["api"])
    assert "the API gateway" in shown
    assert shown.startswith("…")
    assert shown.endswith("…")


def test_a_snippet_finds_words_that_folding_joins_or_splits() -> None:
    display = f"t\n{FILLER}ﾃﾞﾌﾟﾛｲ 直後 {FILLER}Straße {FILLER}㍻"
    assert "ﾃﾞﾌﾟﾛｲ" in snippet(display, [fold("デプロイ")])
    assert "Straße" in snippet(display, [fold("STRASSE")])
    assert "㍻" in snippet(display, [fold("平成")])


def test_a_title_only_match_shows_the_start() -> None:
    assert snippet("監視の抜け\n詳細は後述", ["監視"]) == "監視の抜け 詳細は後述"


def test_a_snippet_finds_a_match_across_the_pieces_it_folds_in() -> None:
    # Text that NFKC changes everywhere (half-width katakana), a match placed across
    # every boundary of the 4,096-character pieces, and one far into a long document.
    filler = "ｱｲｳｴｵ" * 2_000
    for offset in range(4_080, 4_100):
        display = f"t\n{filler[:offset]}ﾃﾞﾌﾟﾛｲ直後{filler}"
        shown = snippet(display, [fold("デプロイ直後")])
        assert "ﾃﾞﾌﾟﾛｲ直後" in shown, offset
    far = f"t\n{'ｶ' * 60_000}Straße の後"
    assert "Straße の後" in snippet(far, [fold("STRASSE")])


def test_a_snippet_looks_no_further_than_its_scan() -> None:
    # What search found is found; past the first 64 K characters the snippet shows the
    # start rather than fold a whole long document for each hit on a page.
    display = f"題名\n{'ｶ' * 2 * SNIPPET_SCAN}Straße の後"
    assert snippet(display, [fold("STRASSE")]).startswith("題名 ｶｶ")


def test_a_snippet_of_a_long_document_without_a_match_shows_its_start() -> None:
    display = "題名\n" + "ﾃｽﾄ" * 300_000
    assert snippet(display, ["見つからない"]).startswith("題名 ﾃｽﾄ")
    assert snippet(display, []).startswith("題名 ﾃｽﾄ")
