"""A summary ``Document`` as print-ready PDF bytes (A4, Norwegian Bokmål).

Layout: the title, a subtitle, a shaded band with the header rows (the person's language and
interpreter need), then each section as two columns — the Norwegian label on the left, the
value wrapped on the right. Every page ends with "Side N av M"; later pages repeat the title
and subtitle at the top, so a page that comes loose from the stack still says whose it is.

The person's own text may be in any script. Each paragraph is set in the font of its script
and any run of characters that font lacks in another loaded font (see ``pdf_fonts``); fpdf2
shapes it with HarfBuzz (Arabic joining, Ge'ez syllables) and orders mixed runs with the
Unicode bidi algorithm. Direction is decided per paragraph, so Norwegian text and a Dari
paragraph can share one value. Fonts are subset: only the glyphs used are embedded.

No Flask and no database here: the counsellor view builds the ``Document``.
"""
from __future__ import annotations

import unicodedata
from typing import Iterator

from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from .document import Document, Row
from .pdf_fonts import FACES, Script, needed_fonts, script_of

# Sizes in mm unless named _PT.
MARGIN = 20.0
TOP = 18.0
BOTTOM = 20.0
LABEL_WIDTH = 50.0
GAP = 5.0
BODY_PT = 11.0
LINE = 5.8  # an 11pt line with room for Arabic marks above and below
NOTE_PT = 9.0
NOTE_LINE = 4.6
TITLE_PT = 17.0
SECTION_PT = 13.0
SMALL_PT = 8.5
ROW_GAP = 2.0
KEEP_TOGETHER = 60.0  # rows up to this height are never split over two pages
KEEP_LINES = 3
BAND_PADDING = 2.5

BLACK = (0, 0, 0)
GREY = (90, 90, 90)
RULE = (170, 170, 170)
BAND = (236, 236, 236)

EMPTY = "–"  # printed for an empty value, so a blank is visibly "not answered"
PAGES_ALIAS = "{nb}"
BASE = FACES[Script.BASE].family


def render_pdf(document: Document) -> bytes:
    """The PDF of ``document``. Raises ``pdf_fonts.FontMissing`` if a needed font is absent."""
    pdf = _SummaryPDF(document)
    pdf.write_document()
    return bytes(pdf.output())


def norwegian_timestamp(document: Document) -> str:
    return f"{document.generated_at:%d.%m.%Y} kl. {document.generated_at:%H.%M}"


def paragraphs(text: str) -> Iterator[str]:
    """Lines of ``text`` as typed, without control characters that would print as boxes.

    Format characters (ZWNJ, ZWJ, bidi marks) are kept: Persian and Sorani spelling needs them.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    for line in text.split("\n"):
        yield "".join(char for char in line if unicodedata.category(char) != "Cc").rstrip()


def is_rtl(paragraph: str) -> bool:
    """Whether the first letter with a strong direction is right-to-left (bidi rules P2/P3)."""
    for char in paragraph:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return False
        if kind in ("R", "AL"):
            return True
    return False


def printed_texts(document: Document) -> Iterator[tuple[str, bool]]:
    """Every string the layout below prints, with whether it prints it in bold: what decides
    which fonts are loaded."""
    yield document.title, True
    yield document.title, False  # repeated small at the top of later pages
    yield document.subtitle or "", False
    rows = document.header_rows + tuple(row for section in document.sections
                                        for row in section.rows)
    for section in document.sections:
        yield section.title, True
    for row in rows:
        yield row.label, True
        yield row.value, False
        yield row.note or "", False


def needs_shaping(paragraph: str) -> bool:
    """Whether a left-to-right paragraph needs HarfBuzz: other scripts than the base font's,
    right-to-left runs, or combining marks.

    Plain Latin and Cyrillic are measured from advance widths instead, losing only kerning:
    fpdf2 measures a shaped line by shaping it again for every character added, which is what
    makes rendering slow.
    """
    return any(
        script_of(char) is not Script.BASE
        or unicodedata.bidirectional(char) in ("R", "AL")
        or unicodedata.combining(char)
        for char in set(paragraph)
    )


class _SummaryPDF(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        self.set_margins(MARGIN, TOP, MARGIN)
        self.set_auto_page_break(True, margin=BOTTOM)
        self._add_fonts()
        self.set_title(document.title)
        self.set_lang(document.lang)
        self.set_creator("selfreg")
        self.set_creation_date(document.generated_at)
        # "Side N av M": M is known only at the end. fpdf2 substitutes the alias then, but in
        # any text, so it is switched on only while the footer is written (see footer()).
        self.alias_nb_pages(PAGES_ALIAS)
        self.str_alias_nb_pages = None

    def _add_fonts(self) -> None:
        self.families: dict[Script, str] = {}
        for font in needed_fonts(printed_texts(self.document)):
            self.add_font(font.family, "B" if font.bold else "", str(font.path))
            self.families[font.script] = font.family
        # Any font may stand in for another in a run of characters it lacks. With
        # exact_match=False a bold run whose script has no bold face loaded takes the regular.
        self.set_fallback_fonts(list(self.families.values()), exact_match=False)

    def _family_for(self, paragraph: str, style: str) -> str:
        """The font of the paragraph's first letter's script, the others as fallbacks.

        fpdf2 starts a new run at every font change, and with shaping it measures a line by
        shaping each of its runs again for every character added. Arabic words joined by
        spaces from the base font made a run per word, and a page of Arabic took seconds; in
        its own font (which has the space, digits and common punctuation) a line is one run.
        """
        letter = next((char for char in paragraph if unicodedata.category(char)[0] == "L"), "")
        family = self.families.get(script_of(letter), BASE) if letter else BASE
        # printed_texts() loads a face for every script and style printed; should a new bit of
        # layout be missing there, the base font still draws it, with the others as fallbacks.
        return family if (family + style).lower() in self.fonts else BASE

    # Page furniture -----------------------------------------------------------------------

    def header(self) -> None:
        self.str_alias_nb_pages = None
        if self.page_no() == 1:
            return
        shaping = self.text_shaping
        running = self.document.title
        if self.document.subtitle:
            running = f"{running} · {self.document.subtitle}"
        self.set_font(BASE, "", SMALL_PT)
        if self.get_string_width(running) > self.epw:
            running = self.document.title  # one line only: the rule is right under it
        self.set_xy(MARGIN, 9)
        self._write(running, self.epw, size=SMALL_PT, color=GREY, line=4.2)
        self.set_draw_color(*RULE)
        self.line(MARGIN, TOP - 4, self.w - MARGIN, TOP - 4)
        self.set_xy(MARGIN, TOP)
        self.text_shaping = shaping

    def footer(self) -> None:
        shaping = self.text_shaping
        # Shaping is off for the page number: fpdf2 does not substitute the total-pages alias
        # reliably in shaped text. The footer is plain Norwegian, so nothing is lost.
        self.set_text_shaping(False)
        self.str_alias_nb_pages = PAGES_ALIAS
        self.set_font(BASE, "", SMALL_PT)
        self.set_text_color(*GREY)
        self.set_xy(MARGIN, -BOTTOM + 6)
        # The page number is left-aligned: fpdf2 reserves room for a three-digit total, and
        # "av 2" then reads right only at the start of its cell.
        self.cell(self.epw / 2, 4.5, f"Side {self.page_no()} av {PAGES_ALIAS}")
        self.cell(self.epw / 2, 4.5, f"Generert {norwegian_timestamp(self.document)}", align="R")
        self.text_shaping = shaping

    # Content ------------------------------------------------------------------------------

    def write_document(self) -> None:
        self.add_page()
        document = self.document
        self._write(document.title, self.epw, size=TITLE_PT, bold=True, line=8.5)
        if document.subtitle:
            self._write(document.subtitle, self.epw, line=LINE)
        self.y += 3
        if document.header_rows:
            self._header_band(document.header_rows)
        for section in document.sections:
            self._section_title(section.title, first_row=section.rows[0] if section.rows else None)
            for row in section.rows:
                self._row(row)

    def _header_band(self, rows: tuple[Row, ...]) -> None:
        measured = [self._measure(row, BAND_PADDING) for row in rows]
        height = sum(max(sizes) for sizes in measured) + ROW_GAP * (len(rows) - 1)
        top = self.y
        if top + height + 2 * BAND_PADDING <= self.page_break_trigger:
            self.set_fill_color(*BAND)
            self.rect(MARGIN, top, self.epw, height + 2 * BAND_PADDING, style="F")
        self.y = top + BAND_PADDING
        for index, (row, sizes) in enumerate(zip(rows, measured)):
            last = index == len(rows) - 1
            self._row(row, inset=BAND_PADDING, gap=0 if last else ROW_GAP, measured=sizes)
        self.y += BAND_PADDING + 2

    def _section_title(self, title: str, first_row: Row | None) -> None:
        first = max(self._measure(first_row)) if first_row else 0
        needed = 6 + 7 + 3 + min(first, KEEP_LINES * LINE)
        if self.y + needed > self.page_break_trigger:
            self.add_page()  # keep a title with the start of its first row
        elif self.y > TOP + 1:
            self.y += 6
        self.set_x(MARGIN)
        self._write(title, self.epw, size=SECTION_PT, bold=True, line=7)
        self.set_draw_color(*RULE)
        self.set_line_width(0.3)
        self.line(MARGIN, self.y + 0.5, self.w - MARGIN, self.y + 0.5)
        self.y += 3

    def _widths(self, inset: float) -> tuple[float, float]:
        """Label and value column widths. An inset narrows both but keeps the value column
        where it is, so values line up from the header band down through every section."""
        return LABEL_WIDTH - inset, self.epw - LABEL_WIDTH - GAP - inset

    def _measure(self, row: Row, inset: float = 0) -> tuple[float, float]:
        label_width, value_width = self._widths(inset)
        return (self._write(row.label, label_width, bold=True, dry=True),
                self._value(row, value_width, dry=True))

    def _row(self, row: Row, inset: float = 0, gap: float = ROW_GAP,
             measured: tuple[float, float] | None = None) -> None:
        label_width, value_width = self._widths(inset)
        label_height, value_height = measured or self._measure(row, inset)
        height = max(label_height, value_height)
        room = self.page_break_trigger - self.y
        # A row that does not fit starts on a new page if it is short; a long one (a long free
        # text) flows on rather than leaving most of a page blank, but not with only a line or
        # two here: its label and first lines stay together.
        if height > room and (height <= KEEP_TOGETHER
                              or room < max(label_height, KEEP_LINES * LINE)):
            self.add_page()
        top, page = self.y, self.page
        self.set_xy(MARGIN + inset, top)
        self._write(row.label, label_width, bold=True)
        label_bottom = self.y
        self.set_xy(MARGIN + LABEL_WIDTH + GAP, top)
        self._value(row, value_width)
        if self.page == page:
            self.y = max(self.y, label_bottom)
        self.set_x(MARGIN)
        self.y += gap

    def _value(self, row: Row, width: float, dry: bool = False) -> float:
        x = self.x
        value = row.value if row.value.strip() else EMPTY
        height = self._write(value, width, direction=row.direction, lang=row.lang, dry=dry)
        if row.note:
            self.x = x
            height += self._write(row.note, width, size=NOTE_PT, color=GREY, line=NOTE_LINE,
                                  dry=dry)
        return height

    def _write(self, text: str, width: float, *, size: float = BODY_PT, bold: bool = False,
               direction: str = "auto", lang: str | None = None, color=BLACK,
               line: float = LINE, dry: bool = False) -> float:
        """Write ``text`` wrapped to ``width`` from the current position, paragraph by paragraph.

        Returns the height used; with ``dry`` only measures. The cursor ends under the text,
        at the same x.
        """
        self.set_text_color(*color)
        x = self.x
        height = 0.0
        for paragraph in paragraphs(text):
            style = "B" if bold else ""
            self.set_font(self._family_for(paragraph, style), style, size)
            if not paragraph:
                height += line / 2  # a blank line between paragraphs, half height
                if not dry:
                    self.y += line / 2
                continue
            rtl = direction == "rtl" or (direction == "auto" and is_rtl(paragraph))
            if rtl or needs_shaping(paragraph):
                self.set_text_shaping(True, direction="rtl" if rtl else "ltr", language=lang)
            else:
                self.set_text_shaping(False)
            self.x = x
            height += self.multi_cell(
                width, line, paragraph, align="R" if rtl else "L",
                new_x=XPos.LEFT, new_y=YPos.NEXT,
                dry_run=dry, output=MethodReturnValue.HEIGHT,
            )
        self.x = x
        return height

