"""One question's stored answer as a case file shows it, and back again.

Stored values are what the forms produce (``questionnaire.forms.extract_values``): codes, numbers,
the person's own words, and for search questions a code and the words typed (either may be
None). A case file shows each code with its Bokmål label (and the Norwegian STYRK-08 / NUS2000
code where there is one) and each piece of free text with the locale it was typed in.
``render`` and ``parse`` are inverses on stored values, which is what makes an import lossless;
labels and the other derived parts are recomputed on import, never read.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..codes import education, occupations
from ..questionnaire.model import Kind, Question
from ..questionnaire.options import LANGUAGE_LEVELS
from . import labels, systems
from .systems import CodeSystem

SEARCH_KINDS = (Kind.OCCUPATION, Kind.LANGUAGE)
TEXT_KINDS = (Kind.TEXT, Kind.TEXTAREA)
CODED_KINDS = (Kind.CHOICE, Kind.COUNTRY, Kind.FIELD)
# Options whose codes belong to a published classification (the rest are the catalogue's own).
ISCED_LEVEL_QUESTIONS = frozenset({("higher", "level")})


def code_system(step_key: str, question: Question) -> CodeSystem | None:
    """The classification a question's codes belong to; None for the catalogue's own options."""
    by_kind = {
        Kind.OCCUPATION: systems.ISCO08,
        Kind.LANGUAGE: systems.LANGUAGE,
        Kind.COUNTRY: systems.COUNTRY,
        Kind.FIELD: systems.ISCEDF2013,
    }
    if question.kind in by_kind:
        return by_kind[question.kind]
    if question.options == LANGUAGE_LEVELS:
        return systems.CEFR
    if (step_key, question.key) in ISCED_LEVEL_QUESTIONS:
        return systems.ISCED2011
    return None


def is_answered(question: Question, values: Mapping[str, Any]) -> bool:
    if question.kind in SEARCH_KINDS:
        return question.key in values or question.text_key in values
    return question.key in values


def free_text(text: str | None, locale: str) -> dict[str, str] | None:
    return None if text is None else {"text": text, "locale": locale}


def coded(step_key: str, question: Question, code: str) -> dict[str, Any]:
    answer: dict[str, Any] = {"code": code, "label_nb": labels.code_label(step_key, question, code)}
    if (step_key, question.key) in ISCED_LEVEL_QUESTIONS:
        nus = education.nus_level_for_isced(code)
        answer["nus2000"] = {"code": nus, "label_nb": labels.nus_label(nus)}
    return answer


def render(step_key: str, question: Question, values: Mapping[str, Any], text_locale: str) -> Any:
    """The document's answer to one answered question (``is_answered`` must hold)."""
    kind = question.kind
    if kind in SEARCH_KINDS:
        code = values.get(question.key)
        answer = {
            "code": code,
            "label_nb": labels.code_label(step_key, question, code) if code else None,
        }
        if kind is Kind.OCCUPATION:
            answer["styrk08"] = occupations.styrk_code(code) if code else None
        answer["own_words"] = free_text(values.get(question.text_key), text_locale)
        return answer
    value = values[question.key]
    if kind in TEXT_KINDS:
        return free_text(value, text_locale)
    if kind in CODED_KINDS:
        return coded(step_key, question, value)
    if kind is Kind.MULTI:
        return [coded(step_key, question, code) for code in value]
    return value  # integer, partial date, DUF number, phone: as stored


def parse(question: Question, answer: Any) -> dict[str, Any]:
    """Stored values for one question from its (validated) answer in a document."""
    kind = question.kind
    if kind in SEARCH_KINDS:
        own = answer.get("own_words")
        return {question.key: answer.get("code"), question.text_key: own["text"] if own else None}
    if kind in TEXT_KINDS:
        return {question.key: answer["text"]}
    if kind in CODED_KINDS:
        return {question.key: answer["code"]}
    if kind is Kind.MULTI:
        return {question.key: [item["code"] for item in answer]}
    return {question.key: answer}
