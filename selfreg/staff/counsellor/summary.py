"""The counsellor's summary: the basis for the career-guidance conversation, on paper or as PDF.

``GET .../summary`` is a print-ready page (the browser prints it; print.css drops the menu and
footer and sets A4); ``GET .../summary.pdf`` is the same content as a PDF download
(selfreg.exports.pdf). Both are built from the profile page's view-model
(``profile.load_page`` → ``profile_nb.Profile``), so the summary says exactly what the profile
says. Only the choice and layout are decided here: the person's language and interpreter need
first, then education, languages, work, other skills, wishes and own view of training need,
and the papers the person has — each entry with its verification status. Identity is reduced
to the name (so a loose sheet still says whose it is); the DUF number, phone, verification form
and career note are left out.

The page follows the counsellor's staff language; the PDF is an export and is always built in
Norwegian Bokmål (staff texts read with the locale forced to nb, statuses from
``verification.LABELS_NB``). Neither the PDF's file name nor its metadata title names the
person.
"""
from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Callable
from zoneinfo import ZoneInfo

from flask import Response, render_template
from flask_babel import force_locale, format_date

from ... import audit, db
from ...audit import Action
from ...exports.document import Document, Row, Section
from ...exports.pdf import render_pdf
from ...exports.pdf_fonts import FontMissing
from ...models import Registration
from ...staff_i18n import _s
from ...verification import LABELS_NB
from .. import bp
from ..auth import current_user
from ..scope import Do, registration_for
from .common import counsellor_only, reference
from .profile import STATUS_LABELS, ProfilePage, TextLanguage, load_page, text_language
from .profile_nb import (
    NEED_MAYBE,
    NEED_NO,
    NEED_YES,
    Interpreter,
    Item,
    Profile,
    SectionView,
    StepView,
)

log = logging.getLogger(__name__)

PDF_LOCALE = "nb"
OSLO = ZoneInfo("Europe/Oslo")
# Profile sections left out of the summary (identity: only the name is kept, in the subtitle).
LEFT_OUT = frozenset({"identity"})
LANGUAGE_SECTION = "language"
NAME_STEP = "name"
PAPERS = "papers"


@dataclass(frozen=True)
class Line:
    """One labelled value. Same attribute names as ``profile_nb.Answer``, so the profile's
    ``answer_rows`` macro renders both."""

    label: str
    text: str = ""  # ours: Norwegian labels of codes, numbers, dates, staff texts
    own_words: str | None = None  # the person's, exactly as written
    hint: str | None = None  # a short remark under the value
    text_dir: str | None = None  # "auto" where ``text`` may hold the person's words


@dataclass(frozen=True)
class Block:
    """One step or entry: what gets one verification status."""

    heading: str | None
    status: str | None  # the status as words; None when not verified on its own
    lines: tuple[Line, ...]
    empty_text: str | None = None  # shown instead of lines when there are none


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Summary:
    title: str  # also the PDF's metadata title: never the name
    subtitle: str  # name · reference · centre · submitted
    name: str | None  # the person's words
    reference: str
    centre: str
    submitted: str | None
    text_language: TextLanguage
    header: tuple[Line, ...]
    parts: tuple[Part, ...]
    own_words_label: str
    written_in: str | None  # "(written in Arabic)", for the PDF


# Building, in the current locale ---------------------------------------------------------

def interpreter_lines(interpreter: Interpreter, language: TextLanguage) -> tuple[Line, ...]:
    """The person's language and interpreter need: what the counsellor books first."""
    level = interpreter.norwegian_level
    level = level if level and level != "none" else _s("not at all")
    if interpreter.need == NEED_YES:
        need = _s("Most likely needed: the person rates their Norwegian (understanding and "
                  "speaking) at %(level)s, below B1.", level=level)
    elif interpreter.need == NEED_MAYBE:
        need = _s("Perhaps: the person rates their Norwegian at B1. An interpreter helps in a "
                  "long conversation.")
    elif interpreter.need == NEED_NO:
        need = _s("Probably not needed: the person rates their Norwegian at %(level)s.",
                  level=level)
    else:
        need = _s("Not known. Ask the person.")
    return (
        Line(_s("First language"),
             ", ".join(interpreter.first_languages) or _s("Not given"), text_dir="auto"),
        Line(_s("Interpreter"), need,
             hint=_s("The questionnaire does not ask this directly; it is read from the "
                     "person's own rating of their Norwegian.")),
        Line(_s("Answered the questionnaire in"), language.name or _s("Not known")),
    )


def _block(step: StepView, item: Item, number: int,
           status_label: Callable[[str], str]) -> Block:
    heading = step.title
    if step.repeatable:
        entry = item.title or _s("Entry %(number)d", number=number)
        heading = f"{step.title}: {entry}"
    lines = tuple(Line(answer.label, answer.text, answer.own_words) for answer in item.answers)
    status = status_label(item.status) if item.verifiable else None
    return Block(heading, status, lines, None if lines else _s("No answer."))


def _part(section: SectionView, status_label: Callable[[str], str]) -> Part:
    blocks = []
    for step in section.steps:
        if not step.items:
            blocks.append(Block(step.title, None, (), _s("No entries.")))
        for number, item in enumerate(step.items, start=1):
            blocks.append(_block(step, item, number, status_label))
    return Part(section.key, str(section.title), tuple(blocks))


def _papers(profile: Profile) -> Part:
    lines = tuple(Line(paper.title, paper.answer) for paper in profile.papers)
    empty = _s("No education, course or certificate with papers is registered.")
    return Part(PAPERS, _s("Papers the person has"),
                (Block(None, None, lines, None if lines else empty),))


def person_name(profile: Profile) -> str | None:
    """The name as the person wrote it (first and last names), from the identity section."""
    for section in profile.sections:
        for step in section.steps:
            if step.key == NAME_STEP and step.items:
                words = [answer.own_words or answer.text for answer in step.items[0].answers]
                return " ".join(word for word in words if word) or None
    return None


def build_summary(page: ProfilePage, status_label: Callable[[str], str]) -> Summary:
    """The summary in the current locale (staff texts; codes are Bokmål in any case)."""
    registration = page.registration
    profile = page.profile
    language = text_language(registration)
    centre = registration.centre
    centre_name = f"{centre.name} ({centre.municipality})" if centre.municipality else centre.name
    parts = [_part(section, status_label) for section in profile.sections
             if section.key not in LEFT_OUT]
    if not any(part.key == LANGUAGE_SECTION for part in parts):
        parts.insert(0, Part(LANGUAGE_SECTION, _s("Language and interpreter"), ()))
    parts.append(_papers(profile))
    name = person_name(profile)
    short = reference(registration.id)
    submitted = (format_date(registration.submitted_at, "long")
                 if registration.submitted_at else None)
    subtitle = [name, _s("Reference %(reference)s", reference=short), centre_name,
                _s("Submitted %(date)s", date=submitted) if submitted else None]
    return Summary(
        title=_s("Summary for career guidance"),
        subtitle=" · ".join(piece for piece in subtitle if piece),
        name=name,
        reference=short,
        centre=centre_name,
        submitted=submitted,
        text_language=language,
        header=interpreter_lines(profile.interpreter, language),
        parts=tuple(parts),
        own_words_label=_s("In their own words"),
        written_in=_s("(written in %(language)s)", language=language.name)
        if language.name else None,
    )


# The PDF ------------------------------------------------------------------------------------

def _own_direction(text: str, language: TextLanguage) -> str:
    """The direction of the person's words: the language's, if the text is in a right-to-left
    script; otherwise decided per paragraph ("auto"), so that a Latin word typed on an Arabic
    page ("Asmara College") is not laid out right to left."""
    if language.dir == "rtl" and any(unicodedata.bidirectional(char) in ("R", "AL")
                                     for char in text):
        return "rtl"
    return "auto"


def _rows(line: Line, summary: Summary) -> list[Row]:
    language = summary.text_language
    rows = []
    if line.text or not line.own_words:
        rows.append(Row(line.label, line.text, note=line.hint))
    if line.own_words:
        label = summary.own_words_label if line.text else line.label
        rows.append(Row(label, line.own_words, lang=language.lang,
                        direction=_own_direction(line.own_words, language),
                        note=summary.written_in))
    return rows


def summary_document(summary: Summary, generated_at: datetime) -> Document:
    """The PDF's content. Call it in the locale the summary was built in (nb): it adds a few
    staff texts of its own."""
    sections = []
    for part in summary.parts:
        rows: list[Row] = []
        for block in part.blocks:
            if block.heading and not block.status and block.lines and not any(
                    line.own_words for line in block.lines):
                # A question that only opens a list ("Have you worked? Yes"): one row under
                # its step's title, so it does not read as part of the entry above.
                rows.append(Row(block.heading, "\n".join(
                    f"{line.label} {line.text}" for line in block.lines)))
                continue
            if block.heading and (block.status or not block.lines):
                value = (_s("Verification: %(status)s", status=block.status) if block.status
                         else block.empty_text or "")
                rows.append(Row(block.heading, value))
            elif not block.lines and block.empty_text:
                rows.append(Row(part.title, block.empty_text))
            for line in block.lines:
                rows.extend(_rows(line, summary))
        if rows:
            sections.append(Section(part.title, rows))
    header = [row for line in summary.header for row in _rows(line, summary)]
    # The title goes into the PDF's metadata: no name there, only in the printed subtitle.
    return Document(summary.title, summary.subtitle, generated_at, header, sections,
                    lang=PDF_LOCALE)


def pdf_file_name(registration: Registration) -> str:
    """No name, no DUF number: the first hex digits of the random id."""
    return f"sammendrag-{registration.id[:8].lower()}.pdf"


# Routes -------------------------------------------------------------------------------------

def _nb_status(status: str) -> str:
    return LABELS_NB.get(status, status)


def _reader_status(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def _render(registration: Registration, summary: Summary | None, *, font_error: bool = False,
            status: int = 200):
    return render_template(
        "staff/counsellor/summary.html", registration=registration, summary=summary,
        reference=reference(registration.id), font_error=font_error,
        text_language=summary.text_language if summary else None,
    ), status


@bp.get("/counsellor/profile/<registration_id>/summary")
@counsellor_only
def counsellor_summary(registration_id: str):
    user = current_user()
    registration = registration_for(user, registration_id, Do.READ_PROFILE)
    summary = build_summary(load_page(registration), _reader_status)
    audit.record(db.session(), Action.PROFILE_VIEW, user_id=user.id,
                 registration_id=registration.id, detail="summary")
    db.session().commit()
    return _render(registration, summary)


@bp.get("/counsellor/profile/<registration_id>/summary.pdf")
@counsellor_only
def counsellor_summary_pdf(registration_id: str):
    user = current_user()
    registration = registration_for(user, registration_id, Do.READ_PROFILE)
    page = load_page(registration)
    with force_locale(PDF_LOCALE):
        document = summary_document(build_summary(page, _nb_status), datetime.now(OSLO))
    try:
        pdf = render_pdf(document)
    except FontMissing as exc:
        # The message names font files and the Debian package, nothing personal. Nothing
        # left the server, so there is no export to audit.
        log.error("summary pdf: %s", exc)
        return _render(registration, None, font_error=True, status=503)
    audit.record(db.session(), Action.EXPORT, user_id=user.id,
                 registration_id=registration.id, detail="summary pdf")
    db.session().commit()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="{pdf_file_name(registration)}"',
    })
