"""Keep catalogues in step with the source: extract, update, fill English, compile.

Run from the repository root: ``python tools/i18n.py update`` after changing texts, then have
each catalogue translated, then ``python tools/i18n.py compile``. The test suite checks the rest
(tests/i18n/test_catalogues.py).
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

# The catalogues are written 100 columns wide (Babel's command line would re-wrap every entry
# at 76, burying a change of a few messages in a diff of thousands of lines).
WIDTH = 100

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
EXTRACT = [
    sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
    "-k", "_l", "-k", "lazy_gettext", "--add-comments=Translators:", "--no-location",
    "--sort-output", "--project=selfreg", "--copyright-holder=selfreg", "--omit-header",
    "-o", str(POT), ".",
]


# Staff texts: their own domain, Bokmål only (English is the source).
STAFF_POT = TRANSLATIONS / "staff.pot"
STAFF_LOCALES = ("nb",)
EXTRACT_STAFF = [
    sys.executable, "-m", "babel.messages.frontend", "extract",
    "-F", str(TRANSLATIONS / "babel-staff.cfg"), "-k", "_s", "-k", "_ls",
    "--add-comments=Translators:", "--no-location", "--sort-output", "--project=selfreg",
    "--copyright-holder=selfreg", "--omit-header", "-o", str(STAFF_POT), ".",
]


def extract() -> None:
    subprocess.run(EXTRACT, cwd=ROOT, check=True)


def _read(path: Path, locale: str | None = None):
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _write(path: Path, catalog) -> None:
    with path.open("wb") as handle:
        write_po(handle, catalog, width=WIDTH, ignore_obsolete=True)


def update_catalogue(po: Path, template_path: Path) -> None:
    """Bring one catalogue in step with its template: new messages empty (no fuzzy guesses),
    messages gone from the source dropped."""
    locale = po.parent.parent.name
    catalog = _read(po, locale)
    catalog.update(_read(template_path), no_fuzzy_matching=True, update_header_comment=False)
    _write(po, catalog)


def update() -> None:
    extract()
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        update_catalogue(po, POT)
    fill_english()
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        _clear_header_fuzzy(po)
    update_staff()


def update_staff() -> None:
    subprocess.run(EXTRACT_STAFF, cwd=ROOT, check=True)
    for locale in STAFF_LOCALES:
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "staff.po"
        if po.exists():
            update_catalogue(po, STAFF_POT)
            continue
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "init", "-D", "staff",
             "-i", str(STAFF_POT), "-d", str(TRANSLATIONS), "-l", locale],
            cwd=ROOT, check=True,
        )
        _clear_header_fuzzy(po)


def _clear_header_fuzzy(path: Path) -> None:
    """Babel marks a new catalogue's header fuzzy; the header is ours, not a guess."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('#, fuzzy\nmsgid ""\nmsgstr ""', 'msgid ""\nmsgstr ""', 1), encoding="utf-8")


def fill_english() -> None:
    """English is the source language: its catalogue repeats each message."""
    path = TRANSLATIONS / "en" / "LC_MESSAGES" / "messages.po"
    catalog = _read(path, "en")
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    catalog.fuzzy = False
    _write(path, catalog)


def compile_all() -> None:
    for domain in ("messages", "staff"):
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "compile", "-D", domain,
             "-d", str(TRANSLATIONS), "--statistics"],
            cwd=ROOT, check=True,
        )


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "update"
    {"extract": extract, "update": update, "update-staff": update_staff, "fill-english": fill_english, "compile": compile_all}[command]()
