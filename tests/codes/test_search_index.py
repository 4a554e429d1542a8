"""The ranking rules of the shared search index, on small made-up lists."""

import pytest

from selfreg.codes.search_index import (
    EXACT_TERM,
    EXACT_WORDS,
    INSIDE_WORD,
    PREFIX,
    SPREAD,
    SearchIndex,
)


def keys(index: SearchIndex, query: str, limit: int = 20) -> list[str]:
    return [hit.key for hit in index.search(query, limit)]


def test_exact_term_beats_exact_word_beats_prefix_beats_inside():
    index = SearchIndex(
        [
            ("inside", "sykepleiere"),
            ("prefix", "pleiers"),
            ("word", "senior pleier"),
            ("term", "pleier"),
        ]
    )
    hits = index.search("pleier")
    assert [h.key for h in hits] == ["term", "word", "prefix", "inside"]
    assert [h.rank for h in hits] == [EXACT_TERM, EXACT_WORDS, PREFIX, INSIDE_WORD]


def test_more_matching_terms_win_among_equal_ranks():
    index = SearchIndex(
        [
            ("A", "dry nurse"),
            ("B", "ward nurse with a long title"),
            ("B", "district nurse with a long title"),
        ]
    )
    assert keys(index, "nurse") == ["B", "A"]


def test_shorter_term_wins_among_equal_rank_and_count():
    index = SearchIndex([("long", "mental health nurse"), ("short", "ward nurse")])
    assert keys(index, "nurse") == ["short", "long"]


def test_each_key_appears_once_with_its_best_term():
    index = SearchIndex([("K", "bus driver"), ("K", "driver"), ("K", "drivers mate")])
    hits = index.search("driver")
    assert len(hits) == 1
    assert hits[0].term == "driver"
    assert hits[0].rank == EXACT_TERM


def test_all_query_words_must_match_one_term_for_ranks_up_to_inside():
    index = SearchIndex([("both", "truck driver"), ("one", "truck mechanic")])
    assert keys(index, "truck driv") == ["both"]


def test_words_spread_over_terms_of_one_key_rank_last():
    index = SearchIndex(
        [("spread", "community nurse"), ("spread", "mental health worker"), ("one", "nurse")]
    )
    hits = index.search("mental nurse")
    assert [(h.key, h.rank) for h in hits] == [("spread", SPREAD)]


def test_case_accents_and_word_order_do_not_matter():
    index = SearchIndex([("7411", "électricien du bâtiment")])
    assert keys(index, "BATIMENT Electricien") == ["7411"]


def test_fragments_inside_words_need_three_letters():
    index = SearchIndex([("K", "sykepleier")])
    assert keys(index, "ple") == ["K"]
    assert keys(index, "le") == []


def test_inside_matches_are_only_sought_when_better_ones_are_too_few():
    index = SearchIndex([("prefix", "pleier"), ("inside", "sykepleier")])
    assert keys(index, "pleier", limit=1) == ["prefix"]
    assert keys(index, "pleier", limit=2) == ["prefix", "inside"]


def test_one_letter_word_beside_others_matches_whole_words_only():
    index = SearchIndex([("C", "licence class C"), ("other", "licence class camper")])
    assert keys(index, "class c") == ["C"]


@pytest.mark.parametrize("query", ["", " ", "a", "-", "é"])
def test_too_short_queries_find_nothing(query):
    assert SearchIndex([("K", "a b")]).search(query) == []


def test_limit_is_respected():
    index = SearchIndex((str(n), f"worker {n}") for n in range(50))
    assert len(index.search("worker", limit=7)) == 7
    assert index.search("worker", limit=0) == []


def test_terms_without_words_are_ignored():
    index = SearchIndex([("K", "--"), ("L", "welder")])
    assert len(index) == 1
