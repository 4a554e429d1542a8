"""The resident's own copy: their answers in their language beside Norwegian Bokmål.

The person keeps this to show a counsellor or an employer, so every label is given twice: in
the language they read (the page's language) and in Bokmål, rendered by the same display code
as the review page under ``force_locale``. Their own words are shown once, as written, marked
with the language they answered in. With it goes the record of what they agreed to, in the
words of the privacy page they accepted.

Labels are lazy strings that follow the current locale, so everything is turned into plain
text inside the ``force_locale`` block; the templates only place strings.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Mapping

from flask import current_app
from flask_babel import force_locale, format_date, gettext

from .. import db
from ..exports.disclosures import recipients_holding
from ..i18n import catalogue_name, locale_info
from ..models import Registration
from ..questionnaire import flow
from ..questionnaire.catalogue import CATALOGUE
from ..retention import effective_retention_days
from .consent import responsible
from .review import review_sections

NB = "nb"


@dataclass(frozen=True)
class Pair:
    """One text in the reader's language and in Bokmål; ``nb`` is None when they are one."""

    own: str
    nb: str | None = None
    as_written: bool = False  # the operator's own (Norwegian) words, shown once as they are


@dataclass(frozen=True)
class CopyAnswer:
    label: Pair
    text: Pair | None  # labels and numbers; None when the answer is only the person's words
    own_words: str | None  # exactly as written, shown once


@dataclass(frozen=True)
class CopyEntry:
    title: Pair
    answers: list[CopyAnswer]


@dataclass(frozen=True)
class CopyStep:
    title: Pair
    repeatable: bool
    answers: list[CopyAnswer]
    entries: list[CopyEntry]


@dataclass(frozen=True)
class CopySection:
    title: Pair
    steps: list[CopyStep]


@dataclass(frozen=True)
class RecordPart:
    heading: Pair
    paragraphs: list[Pair]


@dataclass(frozen=True)
class OwnCopy:
    bilingual: bool  # False when the reader reads Bokmål: everything once
    own_name: str  # the two languages' names in their own scripts (column heads)
    nb_name: str
    words_lang: str | None  # lang and dir of the person's own words
    words_dir: str
    title: Pair  # "My copy", and the app's name: the downloaded file's heading
    app_name: Pair
    sent: Pair
    sections: list[CopySection]
    record: list[RecordPart]


def deletion_due(registration: Registration, retention_days: int) -> datetime:
    """When the registration falls due for erasure: its last change or submission + retention.

    The same rule as ``keyops.erasure.expired`` and ``retention.due_by_month``.
    """
    last = registration.updated_at
    if registration.submitted_at is not None and registration.submitted_at > last:
        last = registration.submitted_at
    return last + timedelta(days=retention_days)


def build(registration: Registration, answers: Mapping[str, Any], locale: str) -> OwnCopy:
    """The whole copy for a submitted registration, read in ``locale`` (a public code)."""
    bilingual = locale != NB
    due = deletion_due(
        registration, effective_retention_days(db.session(), current_app.config)
    )
    answers = flow.prune(CATALOGUE, answers)
    own = _rendered(locale, answers, registration, due)
    other = _rendered(NB, answers, registration, due) if bilingual else own
    words = _words_language(registration.locale)
    return OwnCopy(
        bilingual=bilingual,
        own_name=locale_info(locale).autonym,
        nb_name=locale_info(NB).autonym,
        words_lang=words[0],
        words_dir=words[1],
        title=_pair(own["title"], other["title"], bilingual),
        app_name=_pair(own["app_name"], other["app_name"], bilingual),
        sent=_pair(own["sent"], other["sent"], bilingual),
        sections=_sections(own["sections"], other["sections"], bilingual),
        record=[
            RecordPart(
                _pair(mine[0], theirs[0], bilingual),
                [a if isinstance(a, Pair) else _pair(a, b, bilingual)
                 for a, b in zip(mine[1], theirs[1], strict=True)],
            )
            for mine, theirs in zip(own["record"], other["record"], strict=True)
        ],
    )


def _words_language(code: str | None) -> tuple[str | None, str]:
    """lang and dir for the person's own words: the language they answered in."""
    if not code:
        return None, "auto"
    try:
        info = locale_info(code)
    except (ValueError, LookupError):
        return None, "auto"
    return info.html_lang, info.direction


def _rendered(
    locale: str, answers: Mapping[str, Any], registration: Registration, due: datetime
) -> dict[str, Any]:
    """Everything in one language, as plain strings (lazy labels resolved here)."""
    with force_locale(catalogue_name(locale)):
        return {
            "title": gettext("My copy"),
            "app_name": gettext("My competence"),
            "sent": gettext("Sent on %(date)s.",
                            date=format_date(registration.submitted_at, "long")),
            "sections": [
                {
                    "title": str(group["section"].title),
                    "steps": [_plain_step(item) for item in group["steps"]],
                }
                for group in review_sections(answers, locale)
            ],
            "record": _record(registration, due),
        }


def _plain_step(item: Mapping[str, Any]) -> dict[str, Any]:
    def plain(shown) -> list[tuple[str, str, str | None]]:
        return [(str(answer.question.label), answer.text, answer.own_words) for answer in shown]

    return {
        "title": str(item["step"].title),
        "repeatable": item["step"].repeatable,
        "answers": plain(item.get("answers") or []),
        "entries": [(entry["title"], plain(entry["answers"]))
                    for entry in item.get("entries") or []],
    }


def _record(registration: Registration, due: datetime) -> list[tuple[str, list[str | Pair]]]:
    """What the person agreed to, in the privacy page's words where they say the same."""
    return [
        (gettext("Your information and your rights"), [
            gettext("You agreed to this on %(date)s.",
                    date=format_date(registration.consented_at, "long")),
        ]),
        (gettext("Why"), [
            gettext("So that the municipality and the career centre can help you find the right "
                    "education and work. The answers are also used for statistics without names."),
        ]),
        (gettext("Who can see it"), [
            gettext("The staff at your centre, a career counsellor, and the municipality you will "
                    "live in. They see it only when they need it for their work."),
            # Translators: NAV is the Norwegian labour and welfare office; keep the name "NAV".
            gettext("Your answers are sent to the municipality where you will live, or to NAV "
                    "there, and to the career centre."),
            *_sent_to(registration),
        ]),
        (gettext("It is not used in your asylum case"), [
            gettext("UDI and the police do not get your answers. What you write here does not "
                    "help or harm your asylum case."),
        ]),
        (gettext("How long we keep it"), [
            gettext("We delete your answers on %(date)s.", date=format_date(due, "long")),
        ]),
        (gettext("Your rights"), [
            gettext("Do you want to correct or delete your answers? Ask the staff at your centre "
                    "or the career counsellor. They can correct and delete them."),
            gettext("If you think we use your information in a wrong way, you can complain to "
                    "Datatilsynet, the Norwegian Data Protection Authority."),
        ]),
        (gettext("Who is responsible"), _responsible()),
    ]


def _sent_to(registration: Registration) -> list[str | Pair]:
    """The recipients the case file has gone to so far (GDPR art. 15(1)(c)), by the names the
    admin registered them under, as written."""
    holding = recipients_holding(db.session(), registration.id)
    if not holding:
        return []
    # Translators: followed by the names of the offices (in Norwegian), one per line.
    parts: list[str | Pair] = [gettext("Your answers have been sent to:")]
    for item in holding:
        parts.append(Pair(item.recipient, as_written=True) if item.recipient else gettext(
            "an office that no longer receives answers from here"))
    return parts


def _responsible() -> list[str | Pair]:
    """Who is responsible and how to reach them; the operator's Norwegian words stay as they
    are (once, not "translated" beside themselves)."""
    operator = responsible()
    controller, dpo = operator["controller"], operator["dpo_contact"]
    if not controller:
        parts: list[str | Pair] = [gettext(
            "Ask the staff at your centre which office is responsible for your information and "
            "how to contact it.")]
    else:
        parts = [gettext("This office is responsible for your information:"),
                 Pair(controller, as_written=True)]
    if dpo:
        parts += [gettext("Data protection officer:"), Pair(dpo, as_written=True)]
    return parts


def _pair(own: str, nb: str, bilingual: bool) -> Pair:
    return Pair(own, nb if bilingual else None)


def _answers(
    own: list[tuple[str, str, str | None]], nb: list[tuple[str, str, str | None]], bilingual: bool
) -> list[CopyAnswer]:
    result = []
    for (label, text, words), (label_nb, text_nb, _same_words) in zip(own, nb, strict=True):
        result.append(CopyAnswer(
            label=_pair(label, label_nb, bilingual),
            text=_pair(text, text_nb, bilingual) if text else None,
            own_words=words or None,
        ))
    return result


def _sections(own: list[dict], nb: list[dict], bilingual: bool) -> list[CopySection]:
    def pair(text: str, text_nb: str) -> Pair:
        return _pair(text, text_nb, bilingual)

    sections = []
    for mine, theirs in zip(own, nb, strict=True):
        steps = []
        for step, step_nb in zip(mine["steps"], theirs["steps"], strict=True):
            entries = [
                # A title taken from the person's own words is the same in both: shown once.
                CopyEntry(Pair(title) if title == title_nb else pair(title, title_nb),
                          _answers(shown, shown_nb, bilingual))
                for (title, shown), (title_nb, shown_nb)
                in zip(step["entries"], step_nb["entries"], strict=True)
            ]
            steps.append(CopyStep(
                title=pair(step["title"], step_nb["title"]),
                repeatable=step["repeatable"],
                answers=_answers(step["answers"], step_nb["answers"], bilingual),
                entries=entries,
            ))
        sections.append(CopySection(pair(mine["title"], theirs["title"]), steps))
    return sections
