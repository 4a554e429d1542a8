"""Stored values as words, in the reader's language (review page, receipt, summaries).

Codes become labels at display time; the person's own words are shown as they wrote them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from babel.dates import format_date
from datetime import date

from ..codes import countries, education, languages, occupations
from .checks import parse_partial_date
from .model import Kind, Question, Step


@dataclass(frozen=True)
class ShownAnswer:
    question: Question
    text: str  # labels and numbers, in the reader's language
    own_words: str | None = None  # free text exactly as the person wrote it


def _option_label(question: Question, code: str) -> str:
    for option in question.options:
        if option.code == code:
            return str(option.label)
    return code


def format_partial_date(value: str, locale: str) -> str:
    year, month, day = parse_partial_date(value)
    if month and day:
        return format_date(date(year, month, day), format="long", locale=locale)
    if month:
        return format_date(date(year, month, 1), format="MMMM y", locale=locale)
    return str(year)


def classification_label(question: Question, code: str, locale: str) -> str | None:
    """The label of a code from a classification (country, field, occupation, language)."""
    if question.kind is Kind.COUNTRY:
        return countries.label(code, locale)
    if question.kind is Kind.FIELD:
        return education.field_label(code, locale)
    if question.kind is Kind.OCCUPATION:
        return occupations.label(code, locale)
    if question.kind is Kind.LANGUAGE:
        return languages.label(code, locale)
    return None


def code_label(question: Question, code: str, locale: str) -> str:
    label = classification_label(question, code, locale)
    return label if label is not None else _option_label(question, code)


def show(question: Question, values: Mapping[str, Any], locale: str) -> ShownAnswer | None:
    """The answer to one question, or None when it was not answered."""
    value = values.get(question.key)
    if question.kind in (Kind.OCCUPATION, Kind.LANGUAGE):
        own = values.get(question.text_key)
        if not value and not own:
            return None
        return ShownAnswer(question, code_label(question, value, locale) if value else "", own)
    if value is None or value == [] or value == "":
        return None
    if question.kind is Kind.MULTI:
        text = ", ".join(_option_label(question, code) for code in value)
    elif question.kind in (Kind.CHOICE, Kind.COUNTRY, Kind.FIELD):
        text = code_label(question, value, locale)
    elif question.kind is Kind.PARTIAL_DATE:
        text = format_partial_date(value, locale)
    elif question.kind in (Kind.TEXT, Kind.TEXTAREA):
        return ShownAnswer(question, "", str(value))
    else:
        text = str(value)
    return ShownAnswer(question, text)


def show_step(step: Step, values: Mapping[str, Any], locale: str) -> list[ShownAnswer]:
    from .flow import visible_questions

    shown = []
    for question in visible_questions(step, values):
        answer = show(question, values, locale)
        if answer is not None:
            shown.append(answer)
    return shown


def entry_title(step: Step, entry: Mapping[str, Any], locale: str) -> str:
    """A short name for a repeatable entry ("Nurse", "Arabic")."""
    if step.entry_title:
        answer = show(step.question(step.entry_title), entry, locale)
        if answer is not None:
            return answer.text or answer.own_words or ""
    return ""
