"""A submitted profile as plain values for the counsellor's page, with Norwegian labels.

Staff read profiles in Norwegian Bokmål whatever language the person answered in: every code
(options, countries, fields of study, ISCO occupations, languages) becomes its Bokmål label
(the residents' catalogue is read with the locale forced to nb), while the person's own words
stay exactly as written; the page wraps them in their language and direction.

The order follows what the counsellor needs first in an interview with an interpreter: the
person's language and the interpreter need, then identity, education, languages (CEFR),
work, other skills, wishes and own view of training need, and the papers the person has.
Nothing here renders HTML or reads the database.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask_babel import force_locale

from ...codes import cefr, languages
from ...questionnaire import flow
from ...questionnaire.catalogue import CATALOGUE
from ...questionnaire.display import entry_title, show_step
from ...questionnaire.model import Step
from ...questionnaire.options import LANGUAGE_LEVELS
from ...staff_i18n import _ls
from ...verification import item_key, status_of

LABEL_LOCALE = "nb"

# Profile sections: (key, title, step keys), in reading order. A step of the catalogue that is
# not listed here still shows, in OTHER at the end, so a new question is never hidden.
SECTIONS: tuple[tuple[str, Any, tuple[str, ...]], ...] = (
    ("language", _ls("Language and interpreter"), ("mother_tongue", "literacy")),
    ("identity", _ls("Identity"), ("name", "birth", "origin", "contact")),
    ("education", _ls("Education"), (
        "school", "school_details", "upper", "upper_details", "higher_any", "higher",
        "training_any", "training",
    )),
    ("languages", _ls("Languages"),
     ("norwegian", "english", "other_languages_any", "other_languages")),
    ("work", _ls("Work"), ("work_any", "work")),
    ("skills", _ls("Other skills"), ("digital", "driving", "other_skills")),
    ("wishes", _ls("Wishes and own view of training need"), ("wishes_work", "wishes_education")),
)
OTHER = ("other", _ls("Other answers"))

# Yes/no questions that only open a list (e.g. "Have you worked?"): the entries are what is
# verified, so these get no status of their own.
GATE_STEPS = frozenset(
    condition.ref.partition(".")[0]
    for step in CATALOGUE.steps if step.repeatable
    for condition in step.applies_if
)
DOCUMENTS_QUESTION = "documents"

# Interpreter need, derived from the person's own rating of their Norwegian (the questionnaire
# does not ask it directly): below B1 an interview needs an interpreter.
NEED_YES, NEED_MAYBE, NEED_NO, NEED_UNKNOWN = "yes", "maybe", "no", "unknown"


@dataclass(frozen=True)
class Answer:
    label: str  # the question, in Bokmål
    text: str  # codes as Bokmål labels, numbers, dates
    own_words: str | None = None  # exactly as the person wrote it


@dataclass(frozen=True)
class Item:
    """What gets one verification status: a plain step, or one entry of a repeatable step."""

    key: str  # selfreg.verification.item_key
    step_key: str
    entry_id: str | None
    title: str | None  # None: an entry without a title (the page numbers it)
    answers: tuple[Answer, ...]
    status: str
    verifiable: bool


@dataclass(frozen=True)
class StepView:
    key: str
    title: str
    repeatable: bool
    items: tuple[Item, ...]
    changed_by: str | None  # the staff e-mail that saved it last; None: the person
    can_add: bool


@dataclass(frozen=True)
class SectionView:
    key: str
    title: Any  # a lazy staff text: rendered in the reader's language
    steps: tuple[StepView, ...]


@dataclass(frozen=True)
class Interpreter:
    first_languages: tuple[str, ...]  # Bokmål names, or the person's own words
    norwegian_level: str | None  # the lower of "understand" and "speak"
    need: str  # NEED_*


@dataclass(frozen=True)
class Paper:
    title: str
    answer: str


@dataclass(frozen=True)
class Profile:
    sections: tuple[SectionView, ...]
    interpreter: Interpreter
    papers: tuple[Paper, ...]

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for step in section.steps
                for item in step.items if item.verifiable]


def _answers_nb(step: Step, values: Mapping[str, Any]) -> tuple[Answer, ...]:
    out = []
    for shown in show_step(step, values, LABEL_LOCALE):
        text = shown.text
        question = shown.question
        code = values.get(question.key)
        if question.options is LANGUAGE_LEVELS and code in cefr.LEVELS:
            text = f"{code} – {text}"
        out.append(Answer(str(question.label), text, shown.own_words))
    return tuple(out)


def _step_view(step: Step, stored: Any, statuses, changed_by: str | None) -> StepView:
    verifiable_step = step.key not in GATE_STEPS
    if step.repeatable:
        entries = list((stored or {}).get(flow.ENTRIES, []))
        items = []
        for entry in entries:
            entry_id = str(entry.get("id") or "")
            answers = _answers_nb(step, entry)
            items.append(Item(
                item_key(step.key, entry_id), step.key, entry_id,
                entry_title(step, entry, LABEL_LOCALE) or None, answers,
                status_of(statuses, step.key, entry_id), bool(entry_id) and bool(answers),
            ))
        can_add = len(entries) < step.max_entries
    else:
        answers = _answers_nb(step, stored or {})
        items = [Item(item_key(step.key), step.key, None, str(step.title), answers,
                      status_of(statuses, step.key), verifiable_step and bool(answers))]
        can_add = False
    return StepView(step.key, str(step.title), step.repeatable, tuple(items), changed_by, can_add)


def interpreter_need(answers: Mapping[str, Any]) -> tuple[str | None, str]:
    norwegian = answers.get("norwegian") or {}
    levels = [norwegian.get(key) for key in ("understand", "speak")]
    levels = [level for level in levels if isinstance(level, str) and cefr.is_valid(level)]
    if not levels:
        return None, NEED_UNKNOWN
    lowest = min(levels, key=cefr.rank)
    if cefr.rank(lowest) < cefr.rank(cefr.B1):
        return lowest, NEED_YES
    if lowest == cefr.B1:
        return lowest, NEED_MAYBE
    return lowest, NEED_NO


def _first_languages(answers: Mapping[str, Any]) -> tuple[str, ...]:
    names = []
    for entry in (answers.get("mother_tongue") or {}).get(flow.ENTRIES, []):
        code = entry.get("language")
        name = languages.label(code, LABEL_LOCALE) if code else entry.get("language_text")
        if name:
            names.append(name)
    return tuple(names)


def _papers(steps: list[Step], answers: Mapping[str, Any]) -> tuple[Paper, ...]:
    """Which papers the person says they have, per education, course or certificate."""
    papers = []
    for step in steps:
        if not any(q.key == DOCUMENTS_QUESTION for q in step.questions):
            continue
        question = step.question(DOCUMENTS_QUESTION)
        stored = answers.get(step.key) or {}
        rows = stored.get(flow.ENTRIES, []) if step.repeatable else [stored]
        for values in rows:
            shown = [a for a in show_step(step, values, LABEL_LOCALE) if a.question is question]
            if not shown:
                continue
            title = str(step.title)
            if step.repeatable:
                title = f"{title}: {entry_title(step, values, LABEL_LOCALE)}".rstrip(": ")
            papers.append(Paper(title, shown[0].text))
    return tuple(papers)


def build_profile(
    answers: Mapping[str, Any],
    statuses: Mapping[str, Any] | None,
    changed_by: Mapping[str, str | None],
) -> Profile:
    """``changed_by``: {step: staff e-mail} for steps a staff user saved last."""
    with force_locale(LABEL_LOCALE):
        steps = [step for step in flow.applicable_steps(CATALOGUE, answers) if step.key in answers]
        by_key = {step.key: step for step in steps}
        placed: set[str] = set()
        sections = []
        for key, title, step_keys in SECTIONS + ((OTHER[0], OTHER[1], ()),):
            if key == OTHER[0]:
                step_keys = tuple(step.key for step in steps if step.key not in placed)
            views = tuple(
                _step_view(by_key[step_key], answers.get(step_key), statuses,
                           changed_by.get(step_key))
                for step_key in step_keys if step_key in by_key
            )
            placed.update(step_keys)
            if views or key == "language":
                sections.append(SectionView(key, title, views))
        level, need = interpreter_need(answers)
        interpreter = Interpreter(_first_languages(answers), level, need)
        papers = _papers(steps, answers)
    return Profile(tuple(sections), interpreter, papers)
