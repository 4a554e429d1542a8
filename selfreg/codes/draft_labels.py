"""Our own labels for classifications in languages their publishers do not cover.

ISCO-08 titles exist officially in English and French (ESCO) and Bokmål (STYRK-08), ISCED-F
fields in a few European languages, ISCED levels in English only. For the other interface
languages we ship drafts in ``data/draft_labels/<locale>.json`` (machine-assisted, marked so in
each file and in translations/STATUS.md). Official labels always win; a draft only fills a gap,
and English is the last resort.
"""
from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Mapping

from .datafiles import read_json
from .locales import language_of

# Babel's own name for Kurmanji's data differs from the public code (see selfreg/i18n.py).
_FILE_NAMES = {"kmr": "ku"}
SECTIONS = ("isco08", "iscedf2013", "isced2011")


def _file_for(locale: str) -> str | None:
    normalised = (locale or "").replace("-", "_")
    folder = resources.files("selfreg.codes").joinpath("data", "draft_labels")
    for candidate in (normalised, language_of(normalised)):
        name = _FILE_NAMES.get(candidate, candidate)
        if name and folder.joinpath(f"{name}.json").is_file():
            return name
    return None


@cache
def labels(locale: str) -> Mapping[str, Mapping[str, str]]:
    """{section: {code: label}} for a locale, empty when we have no drafts for it."""
    name = _file_for(locale)
    if name is None:
        return {}
    data = read_json(f"draft_labels/{name}.json")
    return {section: dict(data.get(section, {})) for section in SECTIONS}


def label(section: str, code: str, locale: str) -> str | None:
    return labels(locale).get(section, {}).get(code) or None


@cache
def all_locales() -> tuple[str, ...]:
    folder = resources.files("selfreg.codes").joinpath("data", "draft_labels")
    if not folder.is_dir():
        return ()
    return tuple(sorted(item.name[:-5] for item in folder.iterdir() if item.name.endswith(".json")))
