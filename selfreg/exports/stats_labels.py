"""Words for the statistics' dimensions and categories, in Bokmål (exports) and English.

Bokmål is what the CSV and JSON carry (``label_nb``); the admin page shows the staff member's
language (nb or en). Classification labels come from ``selfreg.codes``; the catalogue's own
options are the residents' translations, read with Flask-Babel (so an app context is needed);
the few words that are the statistics' own are written here, as the ISCED level titles are
in ``codes.education``.
"""
from __future__ import annotations

from functools import cache
from typing import Mapping

from flask_babel import force_locale

from ..codes import education, languages, occupations
from ..questionnaire.catalogue import CATALOGUE
from .stats_count import NONE, UNCODED, UNKNOWN

NB, EN = "nb", "en"

# (Bokmål, English) titles of the tables, in the order they are published.
TITLES: Mapping[str, tuple[str, str]] = {
    "centre": ("Mottak", "Reception centre"),
    "municipality": ("Kommune (mottakets)", "Municipality (of the centre)"),
    "age_band": ("Aldersgruppe", "Age group"),
    "education_nus": ("Høyeste fullførte utdanning (NUS2000)",
                      "Highest completed education (NUS2000)"),
    "education_field": ("Utdanningsfelt (ISCED-F 2013, hovedgruppe)",
                        "Field of education (ISCED-F 2013, broad field)"),
    "mother_tongue": ("Morsmål", "First language"),
    "other_languages": ("Andre språk", "Other languages"),
    "norwegian_level": ("Norsk, muntlig (egen vurdering, CEFR)",
                        "Norwegian, speaking (own assessment, CEFR)"),
    "english_level": ("Engelsk, muntlig (egen vurdering, CEFR)",
                      "English, speaking (own assessment, CEFR)"),
    "occupation_group": ("Arbeidserfaring (ISCO-08 hovedgruppe)",
                         "Work experience (ISCO-08 major group)"),
    "wish_work_group": ("Ønsket arbeid i Norge (ISCO-08 hovedgruppe)",
                        "Wished work in Norway (ISCO-08 major group)"),
    "wish_education": ("Ønske om utdanning i Norge", "Wish for education in Norway"),
    "training_need": ("Eget syn: trenger mer utdanning eller opplæring",
                      "Own view: needs more education or training"),
    "training_needs": ("Eget syn: hva som trengs", "Own view: what is needed"),
}

_SPECIAL: Mapping[str, tuple[str, str]] = {
    UNKNOWN: ("Ikke oppgitt", "Not stated"),
    NONE: ("Ingen", "None"),
    UNCODED: ("Egne ord, ikke kodet", "Own words only, not coded"),
}
# Where "none" needs more words to be understood on its own.
_NONE_BY_DIMENSION: Mapping[str, tuple[str, str]] = {
    "education_field": ("Ingen videregående eller høyere utdanning oppgitt",
                        "No upper secondary or higher education given"),
    "other_languages": ("Ingen andre språk", "No other languages"),
    "occupation_group": ("Ingen arbeidserfaring oppgitt", "No work experience given"),
    "wish_work_group": ("Ikke oppgitt", "Not stated"),
    "wish_education": ("Ikke oppgitt", "Not stated"),
    "municipality": ("Ikke registrert for mottaket", "Not recorded for the centre"),
    "training_needs": ("Ingenting valgt", "Nothing chosen"),
}
_AGE = {"16-17": ("16–17 år", "16–17"), "18-24": ("18–24 år", "18–24"),
        "25-34": ("25–34 år", "25–34"), "35-44": ("35–44 år", "35–44"),
        "45-54": ("45–54 år", "45–54"), "55-66": ("55–66 år", "55–66"),
        "67+": ("67 år og eldre", "67 and over")}
_CEFR = {"none": ("Ikke i det hele tatt", "Not at all"),
         "A1-A2": ("A1–A2 (grunnleggende)", "A1–A2 (basic)"),
         "B1-B2": ("B1–B2 (selvstendig)", "B1–B2 (independent)"),
         "C1-C2": ("C1–C2 (avansert)", "C1–C2 (proficient)")}
_WISH_EDUCATION = {"yes": ("Har skrevet hva hen vil lære", "Wrote what they want to learn")}

# Dimensions whose categories are a catalogue question's options: (step, question).
OPTION_QUESTIONS = {"training_need": ("wishes_education", "need"),
                    "training_needs": ("wishes_education", "needs")}


def title(dimension: str, locale: str) -> str:
    nb, en = TITLES[dimension]
    return nb if locale == NB else en


def _pick(pair: tuple[str, str], locale: str) -> str:
    return pair[0] if locale == NB else pair[1]


@cache
def _option_labels(locale: str) -> Mapping[tuple[str, str, str], str]:
    with force_locale(locale):
        return {
            (step.key, question.key, option.code): str(option.label)
            for step in CATALOGUE.steps for question in step.questions
            for option in question.options
        }


def option_codes(dimension: str) -> list[str]:
    step, question = OPTION_QUESTIONS[dimension]
    return [option.code for option in CATALOGUE.step(step).question(question).options]


def label(dimension: str, category: str, locale: str,
          names: Mapping[str, str] | None = None) -> str:
    """The words for a category; ``names`` gives centre names by category (the centre id)."""
    if names is not None and category in names:
        return names[category]
    own = {"age_band": _AGE, "norwegian_level": _CEFR, "english_level": _CEFR,
           "wish_education": _WISH_EDUCATION}.get(dimension, {})
    if category in own:
        return _pick(own[category], locale)
    if category == NONE and dimension in _NONE_BY_DIMENSION:
        return _pick(_NONE_BY_DIMENSION[dimension], locale)
    if category in _SPECIAL:
        return _pick(_SPECIAL[category], locale)
    if dimension == "education_nus":
        return education.nus_label(category)  # SSB publishes Bokmål only
    if dimension == "education_field":
        return education.field_label(category, locale)
    if dimension in ("mother_tongue", "other_languages"):
        return languages.label(category, locale)
    if dimension in ("occupation_group", "wish_work_group"):
        return occupations.label(category, locale)
    if dimension in OPTION_QUESTIONS:
        step, question = OPTION_QUESTIONS[dimension]
        return _option_labels(locale).get((step, question, category), category)
    return category
