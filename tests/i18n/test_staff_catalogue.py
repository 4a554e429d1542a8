"""The staff catalogue (domain "staff", Bokmål) is complete, faithful and compiled."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
PO = TRANSLATIONS / "nb" / "LC_MESSAGES" / "staff.po"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _load():
    with PO.open("rb") as handle:
        return read_po(handle, locale="nb")


def test_every_staff_text_is_translated_and_not_fuzzy():
    missing = [m.id for m in _load() if m.id and (not m.string or "fuzzy" in m.flags)]
    assert not missing, f"untranslated or fuzzy staff texts: {missing[:5]}"


def test_placeholders_and_markup_match():
    for message in _load():
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        for translated in strings:
            assert sorted(PLACEHOLDER.findall(translated)) == sorted(PLACEHOLDER.findall(ids[-1])), message.id
            assert sorted(TAG.findall(translated)) == sorted(TAG.findall(ids[-1])), message.id


def test_compiled_staff_catalogue_is_current():
    compiled = PO.with_suffix(".mo")
    assert compiled.is_file(), "run python tools/i18n.py compile"
    def as_dict(catalogue):
        def key(value):
            return tuple(value) if isinstance(value, (list, tuple)) else value

        return {key(m.id): key(m.string) for m in catalogue if m.id}

    with compiled.open("rb") as handle:
        shipped = as_dict(read_mo(handle))
    fresh = io.BytesIO()
    write_mo(fresh, _load())
    fresh.seek(0)
    assert shipped == as_dict(read_mo(fresh))


def test_staff_catalogue_follows_the_source(tmp_path):
    pot = tmp_path / "staff.pot"
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "extract", "-F",
         str(TRANSLATIONS / "babel-staff.cfg"), "-k", "_s", "-k", "_ls", "--no-location",
         "--omit-header", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )
    with pot.open("rb") as handle:
        source = {m.id for m in read_po(handle) if m.id}
    assert source == {m.id for m in _load() if m.id}, "run python tools/i18n.py update-staff"

