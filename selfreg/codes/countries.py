"""Countries by ISO 3166-1 alpha-2 code, with names from CLDR in the reader's language.

Residents give their country of origin and the countries where they studied and worked.
The stored value is the two-letter code, which every case system understands; the name is
looked up in the reader's language when a page or export is made.

"Stateless" and "unknown" are answers of the questionnaire, not countries, so they are not
here.
"""

from __future__ import annotations

from functools import cache, lru_cache

from selfreg.codes.locales import babel_locale, english
from selfreg.codes.text import sort_key

NOT_COUNTRIES = frozenset(
    {
        # Groupings and placeholders CLDR names among its regions.
        "EU",  # European Union
        "EZ",  # Eurozone
        "UN",  # United Nations
        "QO",  # Outlying Oceania
        "ZZ",  # Unknown Region
        "XA",  # Pseudo-Accents (test locale)
        "XB",  # Pseudo-Bidi (test locale)
        # ISO "exceptionally reserved" codes for parts of other countries, which CLDR lists
        # too; a person's country is the one they belong to (SH, FR, GB, ES, ...).
        "AC",  # Ascension Island
        "CP",  # Clipperton Island
        "CQ",  # Sark
        "DG",  # Diego Garcia
        "EA",  # Ceuta & Melilla
        "IC",  # Canary Islands
        "TA",  # Tristan da Cunha
    }
)
"""Two-letter CLDR region codes that are not countries. Kosovo (XK, a user-assigned code
used by the EU and by Norwegian authorities) and Palestine (PS) are kept."""


@cache
def all_codes() -> tuple[str, ...]:
    """The 249 ISO 3166-1 countries and territories plus Kosovo (XK), sorted by code."""
    return tuple(
        sorted(
            code
            for code in english().territories
            if len(code) == 2 and code.isalpha() and code not in NOT_COUNTRIES
        )
    )


@cache
def _code_set() -> frozenset[str]:
    return frozenset(all_codes())


def is_valid(code: str) -> bool:
    return code in _code_set()


def label(code: str, locale: str) -> str:
    """The country's name in the reader's language, else in English, else the code itself."""
    reader = babel_locale(locale)
    name = reader.territories.get(code) if reader is not None else None
    return name or english().territories.get(code) or code


@lru_cache(maxsize=64)
def _choices(locale: str) -> tuple[tuple[str, str], ...]:
    pairs = [(code, label(code, locale)) for code in all_codes()]
    return tuple(sorted(pairs, key=lambda pair: (sort_key(pair[1], locale), pair[0])))


def choices(locale: str) -> list[tuple[str, str]]:
    """(code, name) for every country, sorted by name as the reader reads it.

    The order ignores case and accents (see selfreg.codes.text.sort_key); it is not full
    CLDR collation, which would need ICU. A fresh list each call, so callers may change it.
    """
    return list(_choices(locale))
