"""Norwegian Bokmål words for codes: what a case file shows beside each code.

Case workers read Bokmål (docs/ARCHITECTURE.md, "Languages"), so every code in a case file comes
with its Bokmål label, whatever language the person answered in. Classification labels come
from the code lists; the catalogue's own options are translations, read once with Flask-Babel
(hence an app context) and kept, because a large export asks for the same few hundred labels
again and again.
"""
from __future__ import annotations

from functools import cache
from types import MappingProxyType
from typing import Mapping

from flask import has_app_context
from flask_babel import force_locale

from ..codes import countries, education
from ..questionnaire.catalogue import CATALOGUE
from ..questionnaire.display import classification_label
from ..questionnaire.model import Question
from ..verification import LABELS_NB

NB = "nb"


@cache
def _option_labels() -> Mapping[tuple[str, str, str], str]:
    """{(step, question, option code): Bokmål label} for every option in the catalogue."""
    if not has_app_context():
        raise RuntimeError("Bokmål labels of the catalogue need an app context (Flask-Babel)")
    with force_locale(NB):
        return MappingProxyType({
            (step.key, question.key, option.code): str(option.label)
            for step in CATALOGUE.steps
            for question in step.questions
            for option in question.options
        })


def option_label(step_key: str, question: Question, code: str) -> str:
    """The Bokmål label of a catalogue option (the code itself if the catalogue lacks it)."""
    return _option_labels().get((step_key, question.key, code), code)


def code_label(step_key: str, question: Question, code: str) -> str:
    """The Bokmål label of any coded answer: classification or catalogue option."""
    label = classification_label(question, code, NB)
    return label if label is not None else option_label(step_key, question, code)


def source_text(text: object) -> str:
    """A catalogue text in its source language (English), for the JSON Schema's descriptions.

    Outside an app context a lazy string is already its source; inside one it would follow the
    request's locale, so English is forced: the published schema must not depend on who built it.
    """
    if not has_app_context():
        return str(text)
    with force_locale("en"):
        return str(text)


def verification_label(status: str) -> str:
    return LABELS_NB.get(status, status)


def isced_label(code: str) -> str:
    return education.isced_label(code, NB)


def nus_label(code: str) -> str:
    return education.nus_label(code)


def country_label(code: str) -> str:
    return countries.label(code, NB)
