"""An in-memory word index for type-ahead search over code lists.

Residents type one or two words, often the start of a word, on a slow phone; the list behind
the box has tens of thousands of labels. Scanning every label per keystroke is too slow, so
the labels are split into folded words once, and a search only looks up the words typed.

Ranks, best first (a key's best matching term counts):

0. the whole term equals the query ("driver" = "driver");
1. every query word is a whole word of one term ("nurse" in "district nurse");
2. every query word is a whole word or the start of a word of one term ("nurs" in "nursing");
3. a query word of three letters or more sits inside a word ("pleier" in "sykepleiere");
4. (queries of several words only) the words are found, but spread over several terms of the
   same key.

Among keys of equal rank, the key with more matching terms comes first: when "nurse" is in
forty labels of one unit group and in one label ("dry nurse") of another, the first is what
the word usually names. Then the shorter best term comes first ("nurse" before "mental health
nurse"), then the key, so the order is stable.

A one-letter query word next to others only matches a whole word ("c" in "licence class C"):
as a prefix it would match a fifteenth of all words.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from selfreg.codes.text import words

EXACT_TERM = 0
EXACT_WORDS = 1
PREFIX = 2
INSIDE_WORD = 3
SPREAD = 4

MIN_QUERY_LENGTH = 2
"""Fewer folded characters than this match too much to be useful, so they find nothing."""

MAX_QUERY_LENGTH = 100
"""Longer input is cut: nobody types more into a search box, and it bounds the work."""

MIN_INSIDE_WORD_LENGTH = 3
"""Shorter fragments inside words ("er", "an") match nearly every label."""

_HIGHEST = "\U0010ffff"

# Per key while searching: [rank, matching terms at PREFIX or better, others, best term id].
_RANK, _STRONG, _WEAK, _TERM = range(4)


@dataclass(frozen=True, slots=True)
class Hit:
    """One key found by a search, with the term that placed it and how well it matched."""

    key: str
    term: str
    rank: int


class SearchIndex:
    """Terms grouped by key (a code); a search returns keys, best first, each once."""

    def __init__(self, entries: Iterable[tuple[str, str]]) -> None:
        """Index (key, term) pairs; terms without any word are ignored."""
        folded = [(" ".join(words(term)), key, term) for key, term in entries]
        # Term ids follow term length, so "the smallest id" is "the shortest term".
        folded = sorted((f for f in folded if f[0]), key=lambda f: len(f[0]))
        self._keys = [key for _joined, key, _term in folded]
        self._terms = [term for _joined, _key, term in folded]
        postings: dict[str, list[int]] = defaultdict(list)
        whole: dict[str, list[int]] = defaultdict(list)
        for term_id, (joined, _key, _term) in enumerate(folded):
            whole[joined].append(term_id)
            for word in dict.fromkeys(joined.split()):
                postings[word].append(term_id)
        self._postings = dict(postings)
        self._whole = dict(whole)
        # Per word: (key, shortest term id, number of terms) -- a one-word search, the common
        # case, then walks keys, not the thousands of terms a short prefix can reach.
        self._per_key = {word: self._group(ids) for word, ids in self._postings.items()}
        self._vocabulary = sorted(self._postings)
        # One string of all words lets str.find (C speed) look for fragments inside words.
        self._starts: list[int] = []
        position = 0
        for word in self._vocabulary:
            self._starts.append(position)
            position += len(word) + 1
        self._blob = "\n".join(self._vocabulary)

    def _group(self, term_ids: list[int]) -> tuple[tuple[str, int, int], ...]:
        counts = Counter(map(self._keys.__getitem__, term_ids))
        descending = term_ids[::-1]
        shortest = dict(zip(map(self._keys.__getitem__, descending), descending))
        return tuple((key, term_id, counts[key]) for key, term_id in shortest.items())

    def __len__(self) -> int:
        return len(self._keys)

    def search(self, query: str, limit: int = 20) -> list[Hit]:
        """The best `limit` keys for a query, best first (see the module docstring)."""
        query_words = list(dict.fromkeys(words(query[:MAX_QUERY_LENGTH])))
        if limit <= 0 or sum(map(len, query_words)) < MIN_QUERY_LENGTH:
            return []
        if len(query_words) == 1:
            found = self._search_word(query_words[0], limit)
        else:
            found = self._search_words(query_words, limit)

        def order(item: tuple[str, list[int]]) -> tuple[int, int, int, str]:
            key, (rank, strong, weak, term_id) = item
            return (rank, -(strong if rank <= PREFIX else weak), term_id, key)

        return [
            Hit(key=key, term=self._terms[entry[_TERM]], rank=entry[_RANK])
            for key, entry in sorted(found.items(), key=order)[:limit]
        ]

    # -- finding vocabulary words -------------------------------------------------------------

    def _longer_words(self, word: str) -> list[str]:
        """Vocabulary words that begin with the query word and go on."""
        low = bisect_left(self._vocabulary, word)
        high = bisect_left(self._vocabulary, word + _HIGHEST, low)
        return [candidate for candidate in self._vocabulary[low:high] if candidate != word]

    def _union(self, vocabulary_words: Iterable[str]) -> set[int]:
        """All term ids holding any of these vocabulary words."""
        return set().union(*(self._postings[word] for word in vocabulary_words))

    def _containing(self, fragment: str) -> list[str]:
        """Vocabulary words holding the fragment further in than their start.

        Only asked for when the better matches are fewer than the limit: these rank below
        all of those anyway, and a fragment such as "eur" is inside thousands of words.
        """
        if len(fragment) < MIN_INSIDE_WORD_LENGTH:
            return []
        indexes: set[int] = set()
        position = self._blob.find(fragment)
        while position >= 0:
            index = bisect_right(self._starts, position) - 1
            if self._starts[index] != position:
                indexes.add(index)
            position = self._blob.find(fragment, position + 1)
        return [self._vocabulary[index] for index in sorted(indexes)]

    # -- one query word: per key ----------------------------------------------------------

    def _search_word(self, word: str, limit: int) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for term_id in self._whole.get(word, ()):
            found.setdefault(self._keys[term_id], [EXACT_TERM, 0, 0, term_id])
        if word in self._postings:
            self._tally([word], EXACT_WORDS, found)
        self._tally(self._longer_words(word), PREFIX, found)
        if len(found) < limit:
            self._tally(self._containing(word), INSIDE_WORD, found)
        return found

    def _tally(
        self, vocabulary_words: list[str], rank: int, found: dict[str, list[int]]
    ) -> None:
        """Fold the keys of matching vocabulary words into the per-key entries.

        Called best rank first, so an existing entry never gets a better rank here.
        """
        count_at = _STRONG if rank <= PREFIX else _WEAK
        for candidate in vocabulary_words:
            for key, term_id, count in self._per_key[candidate]:
                entry = found.get(key)
                if entry is None:
                    entry = found[key] = [rank, 0, 0, term_id]
                elif rank == entry[_RANK] and term_id < entry[_TERM]:
                    entry[_TERM] = term_id
                entry[count_at] += count

    # -- several query words: per term, with set operations ----------------------------------

    def _search_words(self, query_words: list[str], limit: int) -> dict[str, list[int]]:
        exact = [set(self._postings.get(word, ())) for word in query_words]
        prefix = [
            self._union(self._longer_words(word)) if len(word) > 1 else set()
            for word in query_words
        ]
        whole = set(self._whole.get(" ".join(query_words), ()))
        all_exact = set.intersection(*exact)
        up_to_prefix = set.intersection(*(e | p for e, p in zip(exact, prefix)))
        by_rank = {
            EXACT_TERM: whole,
            EXACT_WORDS: all_exact - whole,
            PREFIX: up_to_prefix - all_exact,
        }
        found = self._tally_terms(by_rank)
        if len(found) < limit:
            anywhere = [
                e | p | self._union(self._containing(word))
                for word, e, p in zip(query_words, exact, prefix)
            ]
            by_rank[INSIDE_WORD] = set.intersection(*anywhere) - up_to_prefix
            found = self._tally_terms(by_rank)
            self._add_spread(anywhere, found)
        return found

    def _tally_terms(self, by_rank: dict[int, set[int]]) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for rank in sorted(by_rank):
            count_at = _STRONG if rank <= PREFIX else _WEAK
            for term_id in sorted(by_rank[rank]):
                key = self._keys[term_id]
                entry = found.get(key)
                if entry is None:
                    entry = found[key] = [rank, 0, 0, term_id]
                entry[count_at] += 1
        return found

    def _add_spread(self, anywhere: list[set[int]], found: dict[str, list[int]]) -> None:
        """Add keys whose terms hold all the query words between them, not in one term."""
        keys_per_word = [set(map(self._keys.__getitem__, term_ids)) for term_ids in anywhere]
        spread = set.intersection(*keys_per_word) - found.keys()
        for term_id in sorted(anywhere[0]):
            key = self._keys[term_id]
            if key in spread and key not in found:
                found[key] = [SPREAD, 0, 0, term_id]
