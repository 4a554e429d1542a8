"""The code systems a case file uses, by name and version, with their valid codes.

A receiving system must know which edition of a classification a code belongs to (ISCO-08 is
not ISCO-88), so every document names them, and the JSON Schema lists each system's codes.
Validation on import asks the same lists, so a document can never carry a code that this
installation would not have let a person choose.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Callable

from babel.core import get_cldr_version

from ..codes import cefr, countries, education, languages, occupations


@dataclass(frozen=True)
class CodeSystem:
    key: str  # the name of its definition in the JSON Schema
    name: str  # as people cite it, e.g. "ISCO-08"
    codes: Callable[[], tuple[str, ...]]

    def is_valid(self, code: str) -> bool:
        return code in _code_set(self.key)


def _unit_groups() -> tuple[str, ...]:
    return tuple(group.code for group in occupations.unit_groups())


def _styrk_codes() -> tuple[str, ...]:
    """STYRK-08 unit groups that carry an ISCO-08 code unchanged (see codes.occupations)."""
    return tuple(group.code for group in occupations.unit_groups() if group.styrk_code)


def _fields() -> tuple[str, ...]:
    return tuple(
        field.code for level in ("broad", "narrow", "detailed") for field in education.fields(level)
    )


ISCO08 = CodeSystem("isco08", "ISCO-08", _unit_groups)
STYRK08 = CodeSystem("styrk08", "STYRK-08", _styrk_codes)
ISCED2011 = CodeSystem(
    "isced2011", "ISCED 2011", lambda: tuple(level.code for level in education.isced_levels())
)
NUS2000 = CodeSystem("nus2000", "NUS2000", lambda: tuple(c for c, _ in education.nus_levels()))
ISCEDF2013 = CodeSystem("iscedf2013", "ISCED-F 2013", _fields)
CEFR = CodeSystem("cefr", "CEFR", lambda: cefr.CHOICES)
COUNTRY = CodeSystem("country", "ISO 3166-1 alpha-2", countries.all_codes)
LANGUAGE = CodeSystem("language", "ISO 639 (CLDR)", languages.all_codes)

ALL = (ISCO08, STYRK08, ISCED2011, NUS2000, ISCEDF2013, CEFR, COUNTRY, LANGUAGE)
_BY_KEY = {system.key: system for system in ALL}


@cache
def _code_set(key: str) -> frozenset[str]:
    return frozenset(_BY_KEY[key].codes())


def cldr_version() -> str:
    """The CLDR release country and language codes (and their names) come from."""
    return str(get_cldr_version())


def editions() -> dict[str, str]:
    """What a document's ``classifications`` block says: which system each kind of code uses."""
    return {
        "occupation": ISCO08.name,
        "occupation_norwegian": STYRK08.name,
        "education_level": ISCED2011.name,
        "education_level_norwegian": NUS2000.name,
        "field_of_education": ISCEDF2013.name,
        "language_level": CEFR.name,
        "country": COUNTRY.name,
        "language": LANGUAGE.name,
        "cldr_version": cldr_version(),
    }
