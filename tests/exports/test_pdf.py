"""The counsellor summary PDF, read back with poppler's ``pdftotext`` and ``pdfinfo``.

What the text checks can and cannot prove: pdftotext maps each glyph back to the characters
it was shaped from (the font's ToUnicode map), so finding an Arabic sentence proves that its
glyphs are in the file, in the order we wrote them, and copy as the letters the person typed.
For a right-to-left line pdftotext returns each right-to-left run in logical order, wrapped in
RLE/PDF marks (U+202B, U+202C) that we strip; where a line mixes directions ("... (IBM 2010).")
it lists the runs in visual order, left to right, so there we only check each run. Where an RTL
block lands in the page's reading order (pdftotext may read a right-aligned column after the
footer) is pdftotext's guess and not asserted. That the glyphs *look* right (joined Arabic
letters, Ge'ez syllables) is not something text extraction can see.
"""
from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from selfreg.exports.document import Document, Row, Section
from selfreg.exports.pdf import is_rtl, paragraphs, printed_texts, render_pdf
from selfreg.exports.pdf_fonts import (
    DEBIAN_PACKAGE,
    FONT_DIR_ENV,
    FontMissing,
    Script,
    needed_fonts,
    scripts_in,
)

from ..pdf_text import normalised, poppler

OSLO = ZoneInfo("Europe/Oslo")
ARABIC = "عملت ممرضة في مستشفى دمشق لمدة خمس سنوات ولا أزال أحب عملي"
DARI_RUN = "من در دانشگاه کابل پرستاری خواندم و"
DARI = f"{DARI_RUN} ۱۲ سال کار کردم (IBM 2010).\nمی‌خواهم در نروژ کار کنم."
TIGRINYA = "ኣነ ኣብ ኤርትራ መምህር ነይረ።"
RUSSIAN = "Я работал водителем грузовика в Киеве."
GEORGIAN = "ვმუშაობდი მასწავლებლად თბილისში."
LONG = ("Jeg har jobbet som sykepleier i ti år, først på et stort universitetssykehus og "
        "deretter på en liten klinikk på landet, der jeg også hadde ansvar for opplæring av "
        "nye medarbeidere, vaktplaner, innkjøp av utstyr og kontakt med pårørende.")


def summary(wishes: int = 4) -> Document:
    """A typical two-page summary: every script we support, a long paragraph."""
    return Document(
        title="Kompetansesammendrag",
        subtitle="Referanse 7F3K-92QX · Råde ankomstsenter",
        generated_at=datetime(2025, 3, 12, 14, 5, tzinfo=OSLO),
        header_rows=[
            Row("Språk", "Dari (دری)"),
            Row("Tolk", "Ja, behov for tolk på dari"),
        ],
        sections=[
            Section("Utdanning", [
                Row("Høyeste fullførte", "Bachelor (ISCED 6)"),
                Row("Fagfelt", "Sykepleie og jordmorfag"),
                Row("Egen beskrivelse", DARI, lang="fa-AF", direction="rtl",
                    note="Selvrapportert"),
            ]),
            Section("Språk", [
                Row("Norsk", "A2 muntlig, A1 skriftlig"),
                Row("Arabisk", ARABIC, lang="ar", direction="rtl"),
                Row("Tigrinja", TIGRINYA, lang="ti"),
                Row("Russisk", RUSSIAN, lang="ru"),
                Row("Georgisk", GEORGIAN, lang="ka"),
            ]),
            Section("Arbeidserfaring", [
                Row("Yrke", "Sykepleier (STYRK-08 2221)", note="Bekreftet i samtale"),
                Row("Beskrivelse", " ".join([LONG] * 3)),
                Row("Ikke besvart", ""),
            ]),
            *[Section(f"Ønske {number}", [
                Row("Ønsket yrke", "Helsefagarbeider – æøå ÆØÅ"),
                Row("Kommentar", LONG),
            ]) for number in range(1, wishes + 1)],
        ],
    )




@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(summary())


@pytest.fixture(scope="module")
def text(pdf) -> str:
    return poppler(["pdftotext", "-enc", "UTF-8", "-", "-"], pdf)


@pytest.fixture(scope="module")
def info(pdf) -> dict[str, str]:
    lines = poppler(["pdfinfo", "-enc", "UTF-8", "-"], pdf).splitlines()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in lines)}


def test_is_a_small_two_page_a4_pdf(pdf, info):
    assert pdf.startswith(b"%PDF-")
    assert info["Pages"] == "2"
    assert info["Page size"].startswith("595.28 x 841.89 pts (A4)")
    # Five fonts, subset to the glyphs used; the font files alone are ~1.8 MB.
    assert len(pdf) < 150_000, len(pdf)


def test_metadata_title_and_norwegian_language(pdf, info):
    assert info["Title"] == "Kompetansesammendrag"
    # The catalogue's /Lang entry (pdfinfo does not show it); fpdf2 writes it uncompressed.
    assert re.search(rb"/Lang \(nb\)", pdf)
    # The person's details are printed, not put in metadata.
    assert b"7F3K-92QX" not in pdf


def test_norwegian_text_and_header_first(text):
    flat = normalised(text)
    assert flat.startswith("Kompetansesammendrag Referanse 7F3K-92QX · Råde ankomstsenter Språk")
    for words in ("Høyeste fullførte", "Sykepleie og jordmorfag", "Helsefagarbeider – æøå ÆØÅ",
                  "Ønske 4", "Tolk", "Ja, behov for tolk på dari", "Selvrapportert",
                  "Generert 12.03.2025 kl. 14.05"):
        assert words in flat
    assert flat.index("Tolk") < flat.index("Utdanning")


def test_page_numbers(text):
    flat = normalised(text)
    assert "Side 1 av 2" in flat and "Side 2 av 2" in flat
    assert "{nb}" not in flat


def test_long_paragraph_is_wrapped_in_order(text):
    flat = normalised(text)
    assert " ".join([LONG] * 3) in flat
    # Wrapped: no extracted line holds more than a column's worth of it.
    pieces = [line for line in text.splitlines() if len(line) > 20 and line.strip() in LONG]
    assert len(pieces) >= 6
    assert max(len(line) for line in pieces) < 80


def test_arabic_script_in_logical_order(text):
    flat = normalised(text)
    # A line in one direction comes back as one run, in the order it was typed.
    assert ARABIC in flat
    assert DARI_RUN in flat
    assert "می‌خواهم در نروژ کار کنم" in flat  # ZWNJ kept
    # The mixed Dari line comes back run by run in visual order: check each run.
    for run in ("۱۲", "سال کار کردم", "IBM 2010"):
        assert run in flat
    # The glyphs map back to the letters typed, not to presentation forms.
    assert not re.search("[\ufb50-\ufdff\ufe70-\ufeff]", text)


def test_geez_cyrillic_and_georgian(text):
    flat = normalised(text)
    assert TIGRINYA in flat
    assert RUSSIAN in flat
    assert GEORGIAN in flat


def test_only_the_fonts_used_are_embedded():
    latin = Document("Sammendrag", None, datetime(2025, 1, 2, 9, 0, tzinfo=OSLO),
                     sections=[Section("Språk", [Row("Russisk", RUSSIAN)])])
    pdf = render_pdf(latin)
    assert b"NotoSans" in pdf
    assert b"Arabic" not in pdf and b"Ethiopic" not in pdf
    assert len(pdf) < 40_000, len(pdf)


def test_font_dir_override_and_missing_font(tmp_path, monkeypatch):
    fonts = needed_fonts([("a", False)])
    for font in fonts:
        (tmp_path / font.path.name).symlink_to(font.path)
    monkeypatch.setenv(FONT_DIR_ENV, str(tmp_path))
    latin = Document("Sammendrag", None, datetime(2025, 1, 2, 9, 0, tzinfo=OSLO),
                     sections=[Section("Utdanning", [Row("Fagfelt", "Sykepleie")])])
    assert render_pdf(latin).startswith(b"%PDF-")

    geez = Document("Sammendrag", None, datetime(2025, 1, 2, 9, 0, tzinfo=OSLO),
                    sections=[Section("Språk", [Row("Tigrinja", TIGRINYA, lang="ti")])])
    with pytest.raises(FontMissing) as error:
        render_pdf(geez)
    assert DEBIAN_PACKAGE in str(error.value) and "Ge'ez" in str(error.value)
    assert "NotoSansEthiopic-Regular.ttf" in str(error.value)


def test_fonts_follow_the_scripts_of_the_text():
    assert scripts_in("Ålesund Київ") == {Script.BASE}
    assert scripts_in("Dari (دری)") == {Script.BASE, Script.ARABIC}
    assert scripts_in(TIGRINYA + GEORGIAN) >= {Script.ETHIOPIC, Script.GEORGIAN}
    wanted = {(font.script, font.bold) for font in needed_fonts(printed_texts(summary()))}
    assert (Script.ARABIC, False) in wanted and (Script.ARABIC, True) not in wanted


def test_direction_and_paragraphs():
    assert is_rtl("(2010) دری") and not is_rtl("Dari (دری)") and not is_rtl("2010")
    assert list(paragraphs("a\r\nb\x07\tc\n\nd ")) == ["a", "b c", "", "d"]


def test_document_refuses_naive_time_and_unknown_direction():
    with pytest.raises(ValueError, match="timezone-aware"):
        Document("Sammendrag", None, datetime(2025, 1, 2, 9, 0))
    with pytest.raises(ValueError, match="direction"):
        Row("Språk", "دری", direction="right")
