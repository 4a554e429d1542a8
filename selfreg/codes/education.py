"""Education levels (ISCED 2011, NUS2000) and fields of study (ISCED-F 2013).

Registrations store ISCED codes: they are international, so a resident can place a foreign
education in them, and NOKUT and the career centres read them. Norwegian exports and
statistics also want SSB's NUS2000 level, which `nus_level_for_isced` derives.

Bokmål labels for the ISCED 2011 levels are ours (the source has English only); everything
else is from the files described in data/SOURCES.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Literal

from selfreg.codes import draft_labels
from selfreg.codes.datafiles import read_csv
from selfreg.codes.locales import NORWEGIAN, language_of

# -- ISCED 2011 levels --------------------------------------------------------------------

ISCED_LEVELS_NB = MappingProxyType(
    {
        # Written by us for this project, after the UNESCO English titles; plain words a
        # counsellor and a resident both understand, not an official SSB translation.
        "0": "Barnehage og førskole",
        "1": "Barneskole",
        "2": "Ungdomsskole",
        "3": "Videregående skole",
        "4": "Utdanning etter videregående skole, ikke høyere utdanning",
        "5": "Kort høyere utdanning (for eksempel fagskole)",
        "6": "Bachelorgrad eller tilsvarende",
        "7": "Mastergrad eller tilsvarende",
        "8": "Doktorgrad eller tilsvarende",
    }
)


@dataclass(frozen=True, slots=True)
class IscedLevel:
    """An ISCED 2011 level, 0 (early childhood) to 8 (doctoral)."""

    code: str
    title_en: str
    short_title_en: str
    title_nb: str

    def label(self, locale: str) -> str:
        """Bokmål for Norwegian locales, English otherwise (no other language in the source)."""
        if language_of(locale) in NORWEGIAN:
            return self.title_nb
        return draft_labels.label("isced2011", self.code, locale) or self.title_en


@cache
def _isced_levels() -> Mapping[str, IscedLevel]:
    levels = {
        row["code"]: IscedLevel(
            code=row["code"],
            title_en=row["title_en"],
            short_title_en=row["short_title_en"],
            title_nb=ISCED_LEVELS_NB[row["code"]],
        )
        for row in read_csv("isced2011_levels.csv")
    }
    return MappingProxyType(levels)


def isced_levels() -> tuple[IscedLevel, ...]:
    """The nine ISCED 2011 levels, 0 to 8, in order."""
    return tuple(_isced_levels().values())


def is_valid_isced(code: str) -> bool:
    return code in _isced_levels()


def isced_label(code: str, locale: str) -> str:
    """The level's title in Bokmål or English; the bare code if unknown, so pages still render."""
    level = _isced_levels().get(code)
    return level.label(locale) if level else code


# -- NUS2000 levels -----------------------------------------------------------------------

NUS_UNKNOWN = "9"
"""NUS2000 level 9, "Uoppgitt": what an export says when the level is not known."""

# ISCED 2011 level -> NUS2000 level digit. Conservative: where a level could be one of two NUS
# levels, the lower one, so an export never claims more education than was registered.
#   0 -> 0 "Ingen utdanning og førskoleutdanning"
#   1 -> 1 "Barneskoleutdanning";  2 -> 2 "Ungdomsskoleutdanning"
#   3 -> 3 "Videregående, grunnutdanning", or 4 "Videregående, avsluttende utdanning" only when
#        the upper secondary education was completed (NUS 4 is the final year).
#   4 -> 5 "Påbygging til videregående utdanning": post-secondary, non-tertiary education
#        builds on upper secondary, which is what NUS 5 names; NUS 4 is still upper secondary.
#   5 -> 5 short-cycle tertiary: Norway's own ISCED 5 (fagskole) is NUS 5; a short programme
#        at a foreign university might count as NUS 6, but nothing registered tells us so.
#   6 -> 6 "Universitets- og høgskoleutdanning, lavere nivå"
#   7 -> 7 "Universitets- og høgskoleutdanning, høyere nivå";  8 -> 8 "Forskerutdanning"
_NUS_FOR_ISCED = MappingProxyType(
    {"0": "0", "1": "1", "2": "2", "3": "3", "4": "5", "5": "5", "6": "6", "7": "7", "8": "8"}
)


def nus_level_for_isced(isced_level: str | int, completed: bool = False) -> str:
    """The NUS2000 level digit for an ISCED 2011 level; "9" (Uoppgitt) if not a level 0-8.

    `completed` matters only for ISCED 3: completed upper secondary is NUS 4, anything less
    NUS 3. See the table above for the reasons.
    """
    code = str(isced_level)
    if code == "3" and completed:
        return "4"
    return _NUS_FOR_ISCED.get(code, NUS_UNKNOWN)


@cache
def _nus_levels() -> Mapping[str, str]:
    rows = read_csv("nus2000_levels.csv")
    return MappingProxyType({row["code"]: row["title_nb"] for row in rows})


def nus_levels() -> tuple[tuple[str, str], ...]:
    """(level digit, Bokmål title) for NUS2000 levels 0 to 9."""
    return tuple(_nus_levels().items())


def nus_label(code: str | int) -> str:
    """The Bokmål title of a NUS2000 level digit (SSB publishes no other language here)."""
    return _nus_levels().get(str(code), str(code))


# -- ISCED-F 2013 fields ------------------------------------------------------------------

FieldLevel = Literal["broad", "narrow", "detailed"]
_LEVEL_BY_LENGTH: Mapping[int, FieldLevel] = MappingProxyType(
    {2: "broad", 3: "narrow", 4: "detailed"}
)
FIELD_LANGUAGES = ("en", "nb", "fr", "es", "uk")

UNKNOWN_FIELD_PREFIX = "99"
"""Broad field 99 "Field unknown" and its narrow/detailed codes 999, 9999: valid to store,
but never offered as a choice (a person who does not know says so in free text)."""


@dataclass(frozen=True, slots=True)
class Field:
    """An ISCED-F 2013 field: 2 digits broad, 3 narrow, 4 detailed."""

    code: str
    title_en: str
    title_nb: str
    title_fr: str
    title_es: str
    title_uk: str

    @property
    def level(self) -> FieldLevel:
        return _LEVEL_BY_LENGTH[len(self.code)]

    @property
    def broad(self) -> str:
        return self.code[:2]

    @property
    def narrow(self) -> str | None:
        return self.code[:3] if len(self.code) >= 3 else None

    @property
    def is_unknown(self) -> bool:
        return self.code.startswith(UNKNOWN_FIELD_PREFIX)

    def label(self, locale: str) -> str:
        """The title in en, nb (also for no/nn), fr, es or uk; English for other locales."""
        language = language_of(locale)
        if language in NORWEGIAN:
            return self.title_nb
        if language in FIELD_LANGUAGES:
            return getattr(self, f"title_{language}")
        return draft_labels.label("iscedf2013", self.code, locale) or self.title_en


@cache
def _fields() -> Mapping[str, Field]:
    fields = {
        row["code"]: Field(
            code=row["code"],
            title_en=row["title_en"],
            title_nb=row["title_nb"],
            title_fr=row["title_fr"],
            title_es=row["title_es"],
            title_uk=row["title_uk"],
        )
        for row in read_csv("iscedf2013_fields.csv")
    }
    return MappingProxyType(fields)


def fields(level: FieldLevel) -> list[Field]:
    """All fields of one level ("broad", "narrow" or "detailed"), in code order."""
    if level not in _LEVEL_BY_LENGTH.values():
        raise ValueError(f"unknown ISCED-F level {level!r}")
    return [field for field in _fields().values() if field.level == level]


def get_field(code: str) -> Field | None:
    return _fields().get(code)


def is_valid_field(code: str) -> bool:
    """Whether `code` is an ISCED-F 2013 field at any level, "Field unknown" included."""
    return code in _fields()


def field_label(code: str, locale: str) -> str:
    """The field's title in the reader's language; the bare code if unknown."""
    field = _fields().get(code)
    return field.label(locale) if field else code


@lru_cache(maxsize=64)
def _field_choices(locale: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    broad_fields = [f for f in fields("broad") if not f.is_unknown]
    narrow_fields = [f for f in fields("narrow") if not f.is_unknown]
    return tuple(
        (
            broad.label(locale),
            tuple((f.code, f.label(locale)) for f in narrow_fields if f.broad == broad.code),
        )
        for broad in broad_fields
    )


def field_choices(locale: str) -> dict[str, dict[str, str]]:
    """Narrow fields grouped under their broad field, for a select with <optgroup>s.

    Shape: {broad field label: {narrow code: narrow label}}, broad fields and narrow fields
    in code order. This is WTForms' "shorthand dict" for grouped choices (a dict of dicts
    renders one <optgroup> per key), which WTForms 3.3 accepts without the deprecation
    warning that tuples and dicts of tuples now raise; a template can loop over it as well.
    "Field unknown" (99, 999) is left out; "not further defined" (e.g. 020) stays, so a
    person who only knows the broad field can still answer.
    """
    return {group: dict(options) for group, options in _field_choices(locale)}
