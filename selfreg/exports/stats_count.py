"""What one person's answers add to the statistics: a set of categories per dimension.

Pure functions on a decrypted answer dict (``{step: values}``); nothing here reads the database
or keeps anything. ``selfreg.exports.stats`` calls :func:`person_categories` once per person and
adds the result to its counters, then forgets the answers.

Every dimension gives each person at least one category ("unknown", "none" or "uncoded" when
the answers hold no code), so that every table covers everyone counted: the sum of a
single-valued table is the number of people, which the suppression rules rely on.
"""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from ..codes import occupations
from ..questionnaire.catalogue import CATALOGUE
from ..questionnaire.checks import parse_partial_date
from ..questionnaire.flow import ENTRIES, prune
from .derived import education_level

UNKNOWN = "unknown"  # the question was not answered
NONE = "none"  # answered, and the answer is "nothing" (no work, no other language …)
UNCODED = "uncoded"  # answered in the person's own words only, with no code chosen

# (lowest age, category); a person belongs to the last band whose lowest age they reached.
AGE_BANDS = ((0, "16-17"), (18, "18-24"), (25, "25-34"), (35, "35-44"), (45, "45-54"),
             (55, "55-66"), (67, "67+"))

# Self-assessed CEFR answers grouped as the CEFR's own three bands.
CEFR_BANDS = {"none": "none", "A1": "A1-A2", "A2": "A1-A2", "B1": "B1-B2", "B2": "B1-B2",
              "C1": "C1-C2", "C2": "C1-C2"}
# Which of the four self-assessed skills the level tables count (see stats.py).
LEVEL_SKILL = "speak"

NEED_STEP, NEED_QUESTION, NEEDS_QUESTION = "wishes_education", "need", "needs"
NEEDS_ASKED_FOR = frozenset({"yes", "unsure"})  # the catalogue's show_if for "needs"


def age_band(birth_date: str | None, today: date) -> str:
    """The age band on ``today``; unknown month or day count as January and the 1st.

    That is the benefit of the doubt the birth-date check gives (questionnaire.checks), so no
    one who registered at 16 falls below the youngest band; anyone younger still (a date
    typed by staff, say) is counted in it rather than made into a band of their own.
    """
    if not birth_date:
        return UNKNOWN
    try:
        year, month, day = parse_partial_date(birth_date)
    except (TypeError, ValueError):
        return UNKNOWN
    month, day = month or 1, day or 1
    age = today.year - year - ((today.month, today.day) < (month, day))
    band = AGE_BANDS[0][1]
    for lowest, name in AGE_BANDS:
        if age >= lowest:
            band = name
    return band


def _entries(answers: Mapping[str, Any], step: str) -> list[Mapping[str, Any]]:
    return list((answers.get(step) or {}).get(ENTRIES, []))


def _coded(values: list[Mapping[str, Any]], key: str, text_key: str, to_category) -> set[str]:
    """Categories of coded answers; UNCODED for entries in own words only."""
    found: set[str] = set()
    for entry in values:
        code = entry.get(key)
        if code:
            found.add(to_category(code))
        elif entry.get(text_key):
            found.add(UNCODED)
    return found


def _major_group(code: str) -> str:
    return occupations.major_group(code) or UNCODED


def _level_band(answers: Mapping[str, Any], step: str) -> str:
    return CEFR_BANDS.get((answers.get(step) or {}).get(LEVEL_SKILL), UNKNOWN)


def _fields(answers: Mapping[str, Any]) -> set[str]:
    """Broad ISCED-F fields of upper secondary and higher education, finished or not."""
    codes = [(answers.get("upper_details") or {}).get("field")]
    codes += [entry.get("field") for entry in _entries(answers, "higher")]
    return {code[:2] for code in codes if code}


def _training_needs(answers: Mapping[str, Any]) -> set[str]:
    values = answers.get(NEED_STEP) or {}
    if values.get(NEED_QUESTION) not in NEEDS_ASKED_FOR:
        return set()
    return {code for code in values.get(NEEDS_QUESTION) or [] if code}


def person_categories(answers: Mapping[str, Any], today: date) -> dict[str, set[str]]:
    """{dimension: categories} for one person, from their stored answers.

    Answers to steps that no longer apply (e.g. higher education after "no") are left out
    first, as the review page and the case file do. Centre and municipality are not here:
    they come from the registration, not the answers.
    """
    birth_date, categories = lasting_categories(answers)
    return {"age_band": {age_band(birth_date, today)}, **categories}


def lasting_categories(answers: Mapping[str, Any]) -> tuple[str | None, dict[str, set[str]]]:
    """(birth date, every dimension but the age band): what does not change with the day the
    statistics are made, so it can be worked out once and kept (``stats_facts``)."""
    answers = prune(CATALOGUE, answers)
    wishes_work = answers.get("wishes_work") or {}
    wishes_education = answers.get(NEED_STEP) or {}
    work = _coded(_entries(answers, "work"), "occupation", "occupation_text", _major_group)
    wished = _coded([wishes_work], "work", "work_text", _major_group)
    return (answers.get("birth") or {}).get("birth_date"), {
        "education_nus": {education_level(answers)["nus2000"]["code"]},
        "education_field": _fields(answers) or {NONE},
        "mother_tongue": _coded(_entries(answers, "mother_tongue"), "language", "language_text",
                                str) or {UNKNOWN},
        "other_languages": _coded(_entries(answers, "other_languages"), "language",
                                  "language_text", str) or {NONE},
        "norwegian_level": {_level_band(answers, "norwegian")},
        "english_level": {_level_band(answers, "english")},
        "occupation_group": work or {NONE},
        "wish_work_group": wished or {NONE},
        "wish_education": {"yes" if (wishes_education.get("education") or "").strip() else NONE},
        "training_need": {wishes_education.get(NEED_QUESTION) or UNKNOWN},
        "training_needs": _training_needs(answers) or {NONE},
    }
