"""Languages by code, with names from CLDR (through Babel) in the reader's language.

Residents name their mother tongue and other languages; many are languages of small
communities (Tigre, Lingala, Dari, Kurmanji) that a short fixed list would miss. CLDR knows
several hundred, with names in most of our locales and, for many, the name in the language
itself, which is often the only one a resident recognises.

Codes are CLDR's: ISO 639 codes, plus the few regional variants listed below that CLDR names
as languages of their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from types import MappingProxyType

from selfreg.codes.datafiles import read_json
from selfreg.codes.locales import babel_locale, english
from selfreg.codes.search_index import SearchIndex

NOT_LANGUAGES = frozenset({"und", "zxx", "mul"})
"""CLDR codes that name no language: unknown, no linguistic content, several languages."""

LANGUAGE_VARIANTS = ("fa_AF", "sr_ME", "sw_CD")
"""Regional CLDR codes kept because they name a language, not a region's way of writing one:
Dari (the name Afghans use for their Persian, and one of our locales), Montenegrin and Congo
Swahili. Forms like en_GB or zh_Hans are left out: nobody's mother tongue is "British"."""

ALIASES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        # Ours: names people use that CLDR's main names lack, so that search finds them.
        "ckb": ("Sorani",),  # CLDR: "Central Kurdish"
        "ku": ("Kurmanji",),  # CLDR "ku" is Kurmanji ("kurdî (kurmancî)")
        "fa": ("Farsi",),
    }
)


@dataclass(frozen=True, slots=True)
class Language:
    """A search result: a language code and its name in the reader's language.

    `matched` is the name the query hit (perhaps the autonym or an English name).
    """

    code: str
    label: str
    matched: str = field(default="", compare=False)


@cache
def _english_names() -> Mapping[str, str]:
    return MappingProxyType(dict(english().languages))


@cache
def all_codes() -> tuple[str, ...]:
    """Every language code CLDR names, sorted; no region or script forms but LANGUAGE_VARIANTS."""
    names = _english_names()
    codes = {code for code in names if "_" not in code and code not in NOT_LANGUAGES}
    codes.update(code for code in LANGUAGE_VARIANTS if code in names)
    return tuple(sorted(codes))


def is_valid(code: str) -> bool:
    return code in _code_set()


@cache
def _code_set() -> frozenset[str]:
    return frozenset(all_codes())


def _name_in(locale: str | None, code: str) -> str | None:
    reader = babel_locale(locale)
    return reader.languages.get(code) if reader is not None else None


def label(code: str, locale: str) -> str:
    """The language's name in the reader's locale, else in English, else the code itself.

    Codes CLDR only knows as an alias (e.g. "kmr", which it maps to "ku") get the name of
    the language they stand for.
    """
    name = _name_in(locale, code) or _english_names().get(code)
    if name:
        return name
    canonical = babel_locale(code)
    if canonical is not None and canonical.language != code:
        return _name_in(locale, canonical.language) or _english_names().get(
            canonical.language, code
        )
    return code


def live_autonym(code: str) -> str | None:
    """The language's name in itself, read from CLDR now (slow: loads that locale).

    None when CLDR has no locale for the language. For a plain code that CLDR knows only by
    an alias ("kmr" -> "ku") the alias target's own name is used; a regional variant without
    a name of its own gets None rather than the main language's name (Montenegrin is not
    "srpski").
    """
    own = babel_locale(code)
    if own is None:
        return None
    name = own.languages.get(code)
    if name is None and "_" not in code:
        name = own.languages.get(own.language)
    return name


@cache
def _autonyms() -> Mapping[str, str]:
    return MappingProxyType(read_json("language_autonyms.json")["autonyms"])


def autonym(code: str) -> str | None:
    """The language's name in itself (e.g. "ትግርኛ" for ti), or None if CLDR lacks it.

    Read from data/language_autonyms.json, which build_data derives from CLDR: loading the
    ~300 CLDR locales at run time to find them would take seconds and over 100 MB.
    """
    if code in _code_set():
        return _autonyms().get(code)
    return live_autonym(code)


def _names(code: str, locale: str) -> list[str]:
    """Every name search should know a language by, for one reader."""
    names = [label(code, locale), _english_names().get(code, ""), _name_in("nb", code) or ""]
    names.append(autonym(code) or "")
    names.extend(ALIASES.get(code, ()))
    return [name for name in dict.fromkeys(names) if name]


@lru_cache(maxsize=32)
def _index(locale: str) -> SearchIndex:
    return SearchIndex((code, name) for code in all_codes() for name in _names(code, locale))


def search(query: str, locale: str, limit: int = 20) -> list[Language]:
    """Languages whose name (reader's, English, Bokmål, own or an alias) matches the query.

    Case, accents and Arabic-script letter variants are ignored and word starts count, so
    "kurm", "dari", "ትግርኛ" and the Persian "عربی" all find their language.
    """
    return [
        Language(code=hit.key, label=label(hit.key, locale), matched=hit.term)
        for hit in _index(locale).search(query, limit)
    ]
