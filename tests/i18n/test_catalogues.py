"""Catalogues are complete, faithful to the source's placeholders and markup, and compiled.

Runs for every supported locale and for every catalogue folder present, so a half-done
catalogue cannot slip in unnoticed.
"""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from selfreg.i18n import SUPPORTED_LOCALES, catalogue_name

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[0-9a-z_]*\}")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")

LOCALES = sorted({catalogue_name(code) for code in SUPPORTED_LOCALES} | {
    path.parent.parent.name for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")
})


def load(locale: str):
    with (TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=locale)


def forms(value) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


@pytest.mark.parametrize("locale", LOCALES)
def test_catalogue_is_complete_and_not_fuzzy(locale):
    catalogue = load(locale)
    assert not catalogue.fuzzy, f"{locale}: header is fuzzy"
    empty = [m.id for m in catalogue if m.id and not all(forms(m.string))]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert not empty, f"{locale}: {len(empty)} untranslated, e.g. {empty[:3]}"
    assert not fuzzy, f"{locale}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:3]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_and_markup_match_the_source(locale):
    problems = []
    for message in load(locale):
        if not message.id:
            continue
        source = forms(message.id)
        for index, translated in enumerate(forms(message.string)):
            original = source[min(index, len(source) - 1)] if len(source) > 1 else source[0]
            # Languages with one plural form use the plural source's placeholders.
            if len(source) > 1 and len(forms(message.string)) == 1:
                original = source[1]
            if sorted(PLACEHOLDER.findall(translated)) != sorted(PLACEHOLDER.findall(original)):
                problems.append(("placeholders", message.id))
            if sorted(TAG.findall(translated)) != sorted(TAG.findall(original)):
                problems.append(("markup", message.id))
    assert not problems, f"{locale}: {problems[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_plural_forms_match_the_locale(locale):
    catalogue = load(locale)
    for message in catalogue:
        if message.id and isinstance(message.id, tuple):
            assert len(forms(message.string)) == catalogue.num_plurals, (locale, message.id)


@pytest.mark.parametrize("locale", LOCALES)
def test_compiled_catalogue_is_current(locale):
    compiled = TRANSLATIONS / locale / "LC_MESSAGES" / "messages.mo"
    assert compiled.is_file(), f"{locale}: run python tools/i18n.py compile"
    with compiled.open("rb") as handle:
        shipped = read_mo(handle)
    fresh_bytes = io.BytesIO()
    write_mo(fresh_bytes, load(locale))
    fresh_bytes.seek(0)
    fresh = read_mo(fresh_bytes)
    def as_dict(catalogue):
        return {
            (tuple(m.id) if isinstance(m.id, (list, tuple)) else m.id): (
                tuple(m.string) if isinstance(m.string, (list, tuple)) else m.string
            )
            for m in catalogue
            if m.id
        }

    assert as_dict(shipped) == as_dict(fresh), f"{locale}: stale .mo; run python tools/i18n.py compile"


def test_catalogues_follow_the_source_texts(tmp_path):
    """Extraction drift: every text in the code is in the template and in every catalogue."""
    pot = tmp_path / "messages.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
         "-k", "_l", "-k", "lazy_gettext", "--no-location", "--omit-header", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        source_ids = {m.id for m in read_po(handle) if m.id}
    with (TRANSLATIONS / "messages.pot").open("rb") as handle:
        template_ids = {m.id for m in read_po(handle) if m.id}
    assert source_ids == template_ids, (
        f"messages.pot is out of date: run python tools/i18n.py update "
        f"(new: {list(source_ids - template_ids)[:3]}, gone: {list(template_ids - source_ids)[:3]})"
    )
    for locale in LOCALES:
        catalogue_ids = {m.id for m in load(locale) if m.id}
        assert catalogue_ids == source_ids, f"{locale} does not match the source texts"
