"""A case file: one person's registration as one JSON document, and its stored answers again.

``build_case_file`` turns what the store holds into the document the schemas dump;
``stored_answers`` turns a loaded document back into exactly the values the store held, so that
moving a registration between installations loses nothing. Only steps that apply are included:
answers to steps a later answer made irrelevant are not part of what the person submitted.

Free text is marked with the locale it was typed in: the person's page language, or Bokmål
for a step staff saved last (staff pages are in Norwegian).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from ..i18n import DEFAULT_LOCALE
from ..models import Registration
from ..questionnaire import flow
from ..questionnaire.catalogue import CATALOGUE
from ..questionnaire.model import Step
from ..verification import SELF_REPORTED, item_key, status_of
from . import answers as answer_forms
from . import derived, labels, systems
from .schemas import FORMAT, FORMAT_VERSION, case_file_schema

STAFF_LOCALE = "nb"

__all__ = ["FORMAT", "FORMAT_VERSION", "StoredCaseFile", "build_case_file", "stored_answers"]


def _verification(statuses: Mapping[str, Any], step: str, entry_id: str | None = None) -> dict:
    status = status_of(statuses, step, entry_id)
    return {"code": status, "label_nb": labels.verification_label(status)}


def _answers(step: Step, values: Mapping[str, Any], text_locale: str) -> dict[str, Any]:
    return {
        question.key: answer_forms.render(step.key, question, values, text_locale)
        for question in step.questions
        if answer_forms.is_answered(question, values)
    }


def _step(step: Step, values: Mapping[str, Any], statuses: Mapping[str, Any], by_staff: bool,
          locale: str) -> dict[str, Any]:
    text_locale = STAFF_LOCALE if by_staff else locale
    if not step.repeatable:
        return {
            "changed_by_staff": by_staff,
            "verification": _verification(statuses, step.key),
            **_answers(step, values, text_locale),
        }
    return {
        "changed_by_staff": by_staff,
        "entries": [
            {
                "id": entry["id"],
                "verification": _verification(statuses, step.key, entry["id"]),
                **_answers(step, entry, text_locale),
            }
            for entry in (values or {}).get(flow.ENTRIES, [])
        ],
    }


def build_case_file(
    registration: Registration,
    stored: Mapping[str, Any],
    *,
    statuses: Mapping[str, Any] | None = None,
    staff_steps: Iterable[str] = (),
) -> dict[str, Any]:
    """The document for one registration, ready for ``json.dumps`` (needs an app context).

    ``stored`` is ``PersonalStore.load_all``; ``statuses`` the verification record's values;
    ``staff_steps`` the steps staff saved last (``PersonalStore.changed_by``).
    """
    applying = flow.prune(CATALOGUE, stored)
    locale = registration.locale or DEFAULT_LOCALE
    staff = frozenset(staff_steps)
    document = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "registration": registration,
        "centre": registration.centre,
        "classifications": systems.editions(),
        "identity": derived.identity(applying),
        "summary": {"education_level": derived.education_level(applying)},
        "answers": {
            step.key: _step(step, applying[step.key], statuses or {}, step.key in staff, locale)
            for step in CATALOGUE.steps
            if step.key in applying
        },
    }
    return case_file_schema().dump(document)


@dataclass(frozen=True)
class StoredCaseFile:
    """What a (loaded, valid) document puts back in the store."""

    answers: dict[str, Any]  # {step: values}, as PersonalStore.load_all gives them
    statuses: dict[str, str]  # the verification record: only what is not self-reported
    staff_steps: frozenset[str]  # steps staff saved last


def _values(step: Step, answered: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for question in step.questions:
        if question.key in answered:
            values.update(answer_forms.parse(question, answered[question.key]))
    return values


def stored_answers(document: Mapping[str, Any]) -> StoredCaseFile:
    """The store's values from a document loaded by ``case_file_schema().load``."""
    answers: dict[str, Any] = {}
    statuses: dict[str, str] = {}
    staff = set()
    for key, shown in document["answers"].items():
        step = CATALOGUE.step(key)
        if shown["changed_by_staff"]:
            staff.add(key)
        if not step.repeatable:
            answers[key] = _values(step, shown)
            marks = [(item_key(key), shown["verification"]["code"])]
        else:
            entries = [{"id": entry["id"], **_values(step, entry)} for entry in shown["entries"]]
            answers[key] = {flow.ENTRIES: entries}
            marks = [(item_key(key, e["id"]), e["verification"]["code"]) for e in shown["entries"]]
        statuses.update((item, status) for item, status in marks if status != SELF_REPORTED)
    return StoredCaseFile(answers, statuses, frozenset(staff))
