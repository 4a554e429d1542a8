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


def update() -> None:
    extract()
    subprocess.run(
        [sys.executable, "-m", "babel.messages.frontend", "update", "-i", str(POT), "-d",
         str(TRANSLATIONS), "--no-fuzzy-matching", "--ignore-obsolete"],
        cwd=ROOT, check=True,
    )
    fill_english()
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        _clear_header_fuzzy(po)
    update_staff()


def update_staff() -> None:
    subprocess.run(EXTRACT_STAFF, cwd=ROOT, check=True)
    for locale in STAFF_LOCALES:
        po = TRANSLATIONS / locale / "LC_MESSAGES" / "staff.po"
        action = "update" if po.exists() else "init"
        extra = ["--no-fuzzy-matching", "--ignore-obsolete"] if action == "update" else []
        subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", action, "-D", "staff",
             "-i", str(STAFF_POT), "-d", str(TRANSLATIONS), "-l", locale, *extra],
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
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="en")
    for message in catalog:
        if message.id:
            message.string = message.id
            message.flags.discard("fuzzy")
    catalog.fuzzy = False
    with path.open("wb") as handle:
        write_po(handle, catalog, sort_output=True, width=100, omit_header=False)


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
