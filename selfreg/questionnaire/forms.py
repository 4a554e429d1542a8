"""WTForms built from a step of the catalogue, and the conversion to and from stored values.

Every form has CSRF (Flask-WTF), strips and cleans text, and gives messages in the reader's
language. Fields are rendered by our own macros, so only data and errors matter here.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Mapping

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import Field, SelectMultipleField, StringField, TextAreaField

from ..codes import countries, education, languages, occupations
from .checks import check_duf, normalise_duf
from .model import Kind, Question, Step
from .sanitise import clean_line, clean_multiline, to_ascii_digits

ChoicesFor = Callable[[Question], list]
# What people type for a DUF number: digits (any script) with spaces, dashes or dots between.
DUF_TYPED = re.compile(r"[\d\s.\-/]+")

MSG_REQUIRED_TEXT = _l("Write an answer.")
MSG_REQUIRED_CHOICE = _l("Choose an answer.")
MSG_NOT_NUMBER = _l("Write a number with digits, for example 3.")
MSG_BAD_CHOICE = _l("Choose one of the answers in the list.")
MSG_YEAR = _l("Write the year with 4 digits, for example 1995.")
MSG_MONTH = _l("The month must be a number from 1 to 12.")
MSG_DAY = _l("The day must be a number from 1 to 31.")
MSG_DAY_WITHOUT_MONTH = _l("Write the month too, or leave the day empty.")
MSG_SEARCH_FIRST = _l("Write a word and press Search, or choose from the list.")
MSG_LANGUAGE_UNKNOWN = _l("Choose a language from the list. Press Search to see the list.")


class StepForm(FlaskForm):
    """Base form: the step is attached by ``build_form``."""

    step: Step


def _text_field(question: Question, multiline: bool) -> Field:
    cls = TextAreaField if multiline else StringField
    return cls(filters=[clean_multiline if multiline else clean_line])


def _fields_for(question: Question) -> dict[str, Field]:
    key = question.key
    if question.kind is Kind.TEXTAREA:
        return {key: _text_field(question, True)}
    if question.kind is Kind.PARTIAL_DATE:
        return {
            f"{key}__year": StringField(filters=[clean_line, to_ascii_digits]),
            f"{key}__month": StringField(filters=[clean_line, to_ascii_digits]),
            f"{key}__day": StringField(filters=[clean_line, to_ascii_digits]),
        }
    if question.kind is Kind.MULTI:
        # Allowed codes are checked in extract_values, with our own message.
        return {key: SelectMultipleField(validate_choice=False)}
    if question.kind in (Kind.OCCUPATION, Kind.LANGUAGE):
        return {key: StringField(filters=[clean_line]), question.text_key: _text_field(question, False)}
    if question.kind in (Kind.INTEGER, Kind.DUF, Kind.PHONE):
        return {key: StringField(filters=[clean_line, to_ascii_digits])}
    return {key: _text_field(question, False)}


_FORM_CLASSES: dict[str, type[StepForm]] = {}


def build_form_class(step: Step) -> type[StepForm]:
    """The step's form class, made once per process: its fields depend on the step only
    (choices and texts are set on each instance), and WTForms sorts a new class's fields
    again on first use, which cost every request a little."""
    made = _FORM_CLASSES.get(step.key)
    if made is None or made.step is not step:
        attrs: dict[str, Any] = {"step": step}
        for question in step.questions:
            attrs.update(_fields_for(question))
        made = _FORM_CLASSES[step.key] = type(f"StepForm_{step.key}", (StepForm,), attrs)
    return made


# --- converting between forms and stored values -------------------------------------------


def form_data_from_values(step: Step, values: Mapping[str, Any]) -> dict[str, Any]:
    """What to pre-fill a form with, from stored values."""
    data: dict[str, Any] = {}
    for question in step.questions:
        value = values.get(question.key)
        if question.kind is Kind.PARTIAL_DATE:
            parts = (value or "").split("-") if value else []
            for index, part in enumerate(("year", "month", "day")):
                data[f"{question.key}__{part}"] = str(int(parts[index])) if len(parts) > index else ""
        elif question.kind in (Kind.OCCUPATION, Kind.LANGUAGE):
            data[question.key] = value or ""
            data[question.text_key] = values.get(question.text_key) or ""
        elif question.kind is Kind.MULTI:
            data[question.key] = list(value or [])
        else:
            data[question.key] = "" if value is None else str(value)
    return data


def _raw(form: StepForm, name: str) -> Any:
    return form[name].data


def _fail(form: StepForm, name: str, message: Any) -> None:
    form[name].errors = list(form[name].errors) + [message]


def _choice_codes(question: Question, choices_for: ChoicesFor) -> set[str]:
    if question.options:
        return {option.code for option in question.options}
    return {code for code, _label in choices_for(question)}


def _digits(text: str) -> bool:
    """Only 0-9 (digits of other scripts are converted before): "²" passes str.isdigit()
    but not int()."""
    return text.isascii() and text.isdigit()


def _small_number(text: str) -> int | None:
    """The number, if ``text`` is digits and at most nine of them count; None otherwise (int()
    refuses thousands of digits, and no answer here needs ten)."""
    return int(text) if _digits(text) and len(text.lstrip("0")) <= 9 else None


def _parse_int(form: StepForm, name: str, question: Question) -> int | None:
    text = (_raw(form, name) or "").strip()
    if not text:
        return None
    if not _digits(text):
        _fail(form, name, MSG_NOT_NUMBER)
        return None
    number = _small_number(text)
    low = question.minimum if question.minimum is not None else 0
    high = question.maximum if question.maximum is not None else 10**6
    if number is None or not low <= number <= high:
        _fail(form, name, gettext("Write a number from %(min)d to %(max)d.", min=low, max=high))
        return None
    return number


def _too_long(limit: int) -> Any:
    return gettext("This is too long. Use at most %(max)d characters.", max=limit)


def _partial_date(form: StepForm, question: Question) -> str | None:
    key = question.key
    year_text = (_raw(form, f"{key}__year") or "").strip()
    month_text = (_raw(form, f"{key}__month") or "").strip()
    day_text = (_raw(form, f"{key}__day") or "").strip()
    if not (year_text or month_text or day_text):
        return None
    if not (_digits(year_text) and len(year_text) == 4):
        _fail(form, f"{key}__year", MSG_YEAR)
        return None
    parts = [year_text]
    if month_text:
        month = _small_number(month_text)
        if month is None or not 1 <= month <= 12:
            _fail(form, f"{key}__month", MSG_MONTH)
            return None
        parts.append(f"{month:02d}")
    if day_text:
        if not month_text:
            _fail(form, f"{key}__day", MSG_DAY_WITHOUT_MONTH)
            return None
        day = _small_number(day_text)
        if day is None or not 1 <= day <= 31:
            _fail(form, f"{key}__day", MSG_DAY)
            return None
        parts.append(f"{day:02d}")
    return "-".join(parts)


def _first_field_name(question: Question) -> str:
    if question.kind is Kind.PARTIAL_DATE:
        return f"{question.key}__year"
    if question.kind in (Kind.OCCUPATION, Kind.LANGUAGE):
        return question.text_key
    return question.key


def _is_valid_search_code(question: Question, code: str) -> bool:
    if question.kind is Kind.OCCUPATION:
        return occupations.is_valid(code)
    return languages.is_valid(code)


def extract_values(form: StepForm, questions: list[Question], choices_for: ChoicesFor) -> dict | None:
    """Validate the posted form and return stored values, or None with errors on the fields.

    ``questions`` are the questions that apply (``show_if`` already resolved by the caller).
    """
    values: dict[str, Any] = {}
    for question in questions:
        key = question.key
        kind = question.kind
        if kind is Kind.PARTIAL_DATE:
            value = _partial_date(form, question)
        elif kind is Kind.INTEGER:
            value = _parse_int(form, key, question)
        elif kind is Kind.MULTI:
            chosen = [code for code in (_raw(form, key) or []) if code]
            allowed = _choice_codes(question, choices_for)
            if any(code not in allowed for code in chosen):
                _fail(form, key, MSG_BAD_CHOICE)
                continue
            # Keep the catalogue's order, drop duplicates.
            value = [o.code for o in question.options if o.code in chosen] or None
        elif kind in (Kind.OCCUPATION, Kind.LANGUAGE):
            code = (_raw(form, key) or "").strip() or None
            text = _raw(form, question.text_key) or None
            if text and len(text) > question.max_length:
                _fail(form, question.text_key, _too_long(question.max_length))
                continue
            if code and not _is_valid_search_code(question, code):
                _fail(form, question.text_key, MSG_BAD_CHOICE)
                continue
            if question.required and not code and not text:
                _fail(form, question.text_key, MSG_SEARCH_FIRST)
                continue
            if kind is Kind.LANGUAGE and question.required and not code and not question.allow_free_text:
                _fail(form, question.text_key, MSG_LANGUAGE_UNKNOWN)
                continue
            if code or text:
                values[key] = code
                values[question.text_key] = text
            continue
        elif kind in (Kind.CHOICE, Kind.COUNTRY, Kind.FIELD):
            value = (_raw(form, key) or "").strip() or None
            if value is not None and value not in _choice_codes(question, choices_for):
                _fail(form, key, MSG_BAD_CHOICE)
                continue
        elif kind is Kind.DUF:
            raw = _raw(form, key) or ""
            value = normalise_duf(raw) or None
            if raw and (value is None or not DUF_TYPED.fullmatch(raw)):
                _fail(form, key, check_duf(""))
                continue
        else:
            value = _raw(form, key) or None
            if value is not None and len(value) > question.max_length:
                _fail(form, key, _too_long(question.max_length))
                continue
        field_name = _first_field_name(question)
        if form[field_name].errors:
            continue
        if value is None:
            if question.required:
                choice_like = kind in (Kind.CHOICE, Kind.COUNTRY, Kind.FIELD, Kind.MULTI)
                _fail(form, field_name, MSG_REQUIRED_CHOICE if choice_like else MSG_REQUIRED_TEXT)
            continue
        if question.check is not None:
            message = question.check(value)
            if message is not None:
                _fail(form, field_name, message)
                continue
        values[key] = value
    if any(form[name].errors for name in form._fields if name != "csrf_token"):
        return None
    return values


def choices_for_locale(locale: str) -> ChoicesFor:
    """Option lists that come from classifications, labelled in the reader's language."""

    def choices(question: Question) -> list:
        if question.kind is Kind.COUNTRY:
            return countries.choices(locale)
        if question.kind is Kind.FIELD:
            return [
                (code, label)
                for items in education.field_choices(locale).values()
                for code, label in items.items()
            ]
        return [(option.code, option.label) for option in question.options]

    return choices


def errors_in_order(form: StepForm) -> list[tuple[str, str]]:
    """(field id, message) pairs for the error summary, in page order."""
    out = []
    for name, field in form._fields.items():
        for message in field.errors:
            out.append((name, str(message)))
    return out

