"""ISCO-08 occupations: the code we store for work experience, and search in plain words.

A registration stores the 4-digit ISCO-08 unit group: it is what the case system, the career
centre and statistics can use. A resident does not know the codes or the official titles, so
search matches what people call their job: ISCO titles (English and French from ESCO, Bokmål
from SSB's STYRK-08) and every ESCO occupation label under the unit group. The result shows
the ISCO title in the reader's language; ESCO labels are only search terms.

Bokmål titles come from STYRK-08. Where STYRK has the ISCO code, its title is used. SSB left
out or merged 33 ISCO unit groups (STYRK has 407 against ISCO's 436); those get the title of
the nearest STYRK ancestor (3, 2 or 1 digit), so 5412 "Police officers" reads
"Sikkerhetsarbeidere" (STYRK 541). `styrk_code()` returns a STYRK-08 code only where the same
code exists, because a broader group is not a valid STYRK unit group for export; `get(code)
.nb_from` tells which STYRK code the Bokmål title came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from types import MappingProxyType

from selfreg.codes import draft_labels
from selfreg.codes.datafiles import read_csv, read_json
from selfreg.codes.locales import NORWEGIAN, language_of
from selfreg.codes.search_index import SearchIndex

UNIT_GROUP_LEVEL = 4


@dataclass(frozen=True, slots=True)
class Occupation:
    """A search result: an ISCO-08 unit group and its title in the reader's language.

    `matched` is the term the query hit (an ESCO label or a title, in any language), so a
    page can show why a title with other words came up; it is not part of equality.
    """

    code: str
    label: str
    matched: str = field(default="", compare=False)


@dataclass(frozen=True, slots=True)
class IscoGroup:
    """An ISCO-08 group at any level (1 to 4 digits) with its titles."""

    code: str
    title_en: str
    title_fr: str
    title_nb: str
    nb_from: str
    """The STYRK-08 code whose Bokmål title `title_nb` is: the same code or an ancestor."""

    @property
    def level(self) -> int:
        """1 = major group ... 4 = unit group: the number of digits."""
        return len(self.code)

    @property
    def styrk_code(self) -> str | None:
        """The same code in STYRK-08, or None where SSB does not have it."""
        return self.code if self.nb_from == self.code else None

    def title(self, locale: str) -> str:
        """Bokmål for Norwegian locales, French for French, English for everything else."""
        language = language_of(locale)
        if language in NORWEGIAN:
            return self.title_nb
        if language == "fr":
            return self.title_fr
        if language != "en":
            draft = draft_labels.label("isco08", self.code, locale)
            if draft:
                return draft
        return self.title_en


@cache
def _groups() -> Mapping[str, IscoGroup]:
    groups = {
        row["code"]: IscoGroup(
            code=row["code"],
            title_en=row["title_en"],
            title_fr=row["title_fr"],
            title_nb=row["title_nb"],
            nb_from=row["nb_from"],
        )
        for row in read_csv("isco08.csv")
    }
    return MappingProxyType(groups)


@cache
def _unit_groups() -> tuple[IscoGroup, ...]:
    return tuple(g for g in _groups().values() if g.level == UNIT_GROUP_LEVEL)


def _search_terms() -> list[tuple[str, str]]:
    """(unit group, term) pairs: titles in three languages, ESCO labels, STYRK-only titles."""
    entries: list[tuple[str, str]] = []
    for group in _unit_groups():
        entries.extend((group.code, title) for title in (group.title_en, group.title_fr))
        entries.append((group.code, group.title_nb))
    for code, terms in read_json("esco_terms.json")["terms"].items():
        entries.extend((code, term) for term in terms)
    entries.extend((row["isco_code"], row["title_nb"]) for row in read_csv("styrk_extra_terms.csv"))
    # Our drafts in the other interface languages, so people can search in their own words.
    for name in draft_labels.all_locales():
        entries.extend(draft_labels.labels(name).get("isco08", {}).items())
    return entries


@cache
def _index() -> SearchIndex:
    return SearchIndex(_search_terms())


def search(query: str, locale: str, limit: int = 20) -> list[Occupation]:
    """Unit groups matching what a resident typed, best first, each unit group once.

    Case, accents and punctuation are ignored, and a word may be typed in part ("nurs",
    "electricien"); see selfreg.codes.search_index for the ranking.
    """
    groups = _groups()
    return [
        Occupation(code=hit.key, label=groups[hit.key].title(locale), matched=hit.term)
        for hit in _index().search(query, limit)
    ]


def preload() -> None:
    """Build the search index now instead of on the first search.

    Building it takes about half a second; an app can call this at start-up (before workers
    fork) so that no resident waits for it.
    """
    _index()


def unit_groups() -> tuple[IscoGroup, ...]:
    """All 436 ISCO-08 unit groups, in code order."""
    return _unit_groups()


def get(code: str) -> IscoGroup | None:
    """The ISCO-08 group with this code at any level, or None."""
    return _groups().get(code)


def is_valid(code: str) -> bool:
    """Whether `code` is an ISCO-08 unit group, the only level a registration stores."""
    group = _groups().get(code)
    return group is not None and group.level == UNIT_GROUP_LEVEL


def label(code: str, locale: str) -> str:
    """The title of an ISCO-08 group in the reader's language; the bare code if unknown.

    An unknown code shows as itself rather than failing, so a page or export built from an
    older record still renders.
    """
    group = _groups().get(code)
    return group.title(locale) if group else code


def styrk_code(code: str) -> str | None:
    """The STYRK-08 code for an ISCO-08 code: the same code if SSB has it, else None."""
    group = _groups().get(code)
    return group.styrk_code if group else None


def major_group(code: str) -> str | None:
    """The 1-digit ISCO-08 major group of a known group code, e.g. "2" for 2221; else None."""
    return code[0] if code in _groups() else None
