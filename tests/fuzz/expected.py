"""What a questionnaire form may post, and what an accepted save must have stored from it.

The expectations are about transformation, not validation: whatever the checks accept, the
stored value is the *first* value posted for the field (a repeated field counts once), cleaned
the way selfreg.questionnaire.sanitise says, and text never carries control or direction
characters. A field left out, or posted empty, is not stored.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from selfreg.questionnaire.checks import normalise_duf
from selfreg.questionnaire.flow import visible_questions
from selfreg.questionnaire.model import Kind, Question, Step
from selfreg.questionnaire.sanitise import clean_line, clean_multiline, to_ascii_digits

from .hostile import NUMBERISH, is_clean

# Valid values per kind: the fuzz mixes them with hostile ones so that saves get accepted too.
_VALID_BY_KIND = {
    Kind.TEXT: ["Amina", "  Ali \t Hassan ", "می\u200cخواهم"],
    Kind.TEXTAREA: ["Cooking\nfor many people", "Line one\r\n\r\n\r\nLine two"],
    Kind.COUNTRY: ["SY", "ER", "NO"],
    Kind.FIELD: ["053", "091"],
    Kind.DUF: ["202312345678", "2023 1234 5678", "۲۰۲۳ ۱۲۳۴ ۵۶۷۸", *NUMBERISH],
    Kind.PHONE: ["+47 912 34 567", "(0047) 912-34-567", *NUMBERISH],
}


def _integer_values(question: Question) -> list[str]:
    low = question.minimum if question.minimum is not None else 0
    high = question.maximum if question.maximum is not None else 10
    return [str(low), str(high), str(high + 1), *NUMBERISH]


def form_fields(step: Step) -> dict[str, list[str]]:
    """Every field the step's form reads, with values that pass (or nearly pass) its checks."""
    fields: dict[str, list[str]] = {}
    for question in step.questions:
        key, kind = question.key, question.kind
        if kind is Kind.PARTIAL_DATE:
            fields[f"{key}__year"] = ["1990", "1985", "2020", *NUMBERISH]
            fields[f"{key}__month"] = ["", "3", "12", "13", *NUMBERISH]
            fields[f"{key}__day"] = ["", "30", "31", *NUMBERISH]
        elif kind is Kind.INTEGER:
            fields[key] = _integer_values(question)
        elif kind in (Kind.CHOICE, Kind.MULTI):
            fields[key] = [option.code for option in question.options]
        elif kind is Kind.OCCUPATION:
            fields[key] = ["2221", "7231", ""]
            fields[question.text_key] = ["nurse", "mekaniker"]
        elif kind is Kind.LANGUAGE:
            fields[key] = ["ti", "ar", ""]
            fields[question.text_key] = ["Tigrinya"]
        else:
            fields[key] = _VALID_BY_KIND[kind]
    searches = [q.key for q in step.questions if q.kind in (Kind.OCCUPATION, Kind.LANGUAGE)]
    if searches:
        # The Search button: the page comes back with matches and nothing is saved.
        fields["action"] = ["continue"] + [f"search:{key}" for key in searches]
    return fields


def _first(pairs: Iterable[tuple[str, str]], name: str) -> str | None:
    return next((value for field, value in pairs if field == name), None)


def _all(pairs: Iterable[tuple[str, str]], name: str) -> list[str]:
    return [value for field, value in pairs if field == name]


def _line(raw: str | None) -> str | None:
    return clean_line(raw) or None


def _number_text(raw: str | None) -> str | None:
    return to_ascii_digits(clean_line(raw)) or None


def _posted_choices(step: Step, pairs) -> dict[str, Any]:
    """What the app reads to decide which questions show: choices as posted (first value)."""
    choices: dict[str, Any] = {}
    for question in step.questions:
        if question.kind is Kind.CHOICE:
            choices[question.key] = _line(_first(pairs, question.key))
        elif question.kind is Kind.MULTI:
            choices[question.key] = _all(pairs, question.key)
    return choices


def _expected(question: Question, pairs) -> tuple[bool, Any]:
    """(known, value): the value an accepted save must hold, when the kind says it alone."""
    key, kind = question.key, question.kind
    first = _first(pairs, key)
    if kind is Kind.TEXTAREA:
        return True, clean_multiline(first) or None
    if kind in (Kind.TEXT, Kind.CHOICE, Kind.COUNTRY, Kind.FIELD):
        return True, _line(first)
    if kind is Kind.PHONE:
        return True, _number_text(first)
    if kind is Kind.INTEGER:
        text = _number_text(first)
        return True, int(text) if text else None
    if kind is Kind.DUF:
        return True, normalise_duf(_number_text(first) or "") or None
    if kind is Kind.MULTI:
        chosen = set(_all(pairs, key))
        return True, [o.code for o in question.options if o.code in chosen] or None
    if kind is Kind.PARTIAL_DATE:
        year, month, day = (_number_text(_first(pairs, f"{key}__{part}"))
                            for part in ("year", "month", "day"))
        if not year:
            return True, None
        return True, "-".join([year] + [f"{int(part):02d}" for part in (month, day) if part])
    return False, None


def check_accepted(step: Step, pairs: list[tuple[str, str]], stored: dict[str, Any]) -> None:
    """An accepted save stored exactly what the app says it keeps from ``pairs``."""
    shown = {question.key for question in visible_questions(step, _posted_choices(step, pairs))}
    for question in step.questions:
        key = question.key
        if key not in shown:
            assert key not in stored, f"{key} is hidden but was stored"
            continue
        if question.kind in (Kind.OCCUPATION, Kind.LANGUAGE):
            code, text = _line(_first(pairs, key)), _line(_first(pairs, question.text_key))
            if code or text:
                assert stored.get(key) == code and stored.get(question.text_key) == text, key
            else:
                assert key not in stored
            continue
        known, value = _expected(question, pairs)
        if known:
            assert stored.get(key) == value, (key, stored.get(key), value)
        if question.required:
            assert key in stored, f"required {key} missing from an accepted save"
    assert set(stored) <= {q.key for q in step.questions} | {
        q.text_key for q in step.questions if q.kind in (Kind.OCCUPATION, Kind.LANGUAGE)} | {"id"}
    paragraphs = {question.key for question in step.questions if question.kind is Kind.TEXTAREA}
    for key, value in stored.items():
        for text in value if isinstance(value, list) else [value]:
            if isinstance(text, str):
                assert is_clean(text, multiline=key in paragraphs), (key, text)


def json_pairs(fields: Any) -> list[tuple[str, str]]:
    """The form fields the save API reads from a JSON body's ``fields`` (resident.save_api)."""
    pairs: list[tuple[str, str]] = []
    if not isinstance(fields, dict):
        return pairs
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, (str, int)):
                pairs.append((str(name), str(item)))
    return pairs
