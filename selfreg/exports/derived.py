"""Parts of a case file worked out from the answers: identity at a glance, education level.

A case worker matching a person wants the name, birth date and DUF number in one place, and a
register wants one education level per person (NUS2000 is what Norwegian registers use). Both
follow from the answers, which stay the authority: an import recomputes these and never reads
them, so they cannot disagree with what is stored.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..codes import education
from ..questionnaire.flow import ENTRIES
from . import labels

COMPLETED = "completed"
PRIMARY_SCHOOL_YEARS = 6  # ISCED 1 is usually six years


def identity(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The "About you" answers, flat: what a case system matches a person on."""
    name = answers.get("name") or {}
    origin = answers.get("origin") or {}
    contact = answers.get("contact") or {}
    country = origin.get("country_of_origin")
    return {
        "given_names": name.get("given_names"),
        "family_name": name.get("family_name"),
        "birth_date": (answers.get("birth") or {}).get("birth_date"),
        "country_of_origin": (
            {"code": country, "label_nb": labels.country_label(country)} if country else None
        ),
        "duf_number": origin.get("duf_number"),
        "phone": contact.get("phone"),
        "municipality": contact.get("municipality"),
    }


def _completed_isced_levels(answers: Mapping[str, Any]) -> list[str]:
    """ISCED 2011 levels the answers say were completed (conservative: never more than said)."""
    levels = []
    if (answers.get("school") or {}).get("attended") == "never":
        levels.append("0")
    school = answers.get("school_details") or {}
    if school.get("completed") == "yes":
        levels.append("2")
    elif school:
        levels.append("1" if (school.get("years") or 0) >= PRIMARY_SCHOOL_YEARS else "0")
    if (answers.get("upper_details") or {}).get("status") == COMPLETED:
        levels.append("3")
    for entry in (answers.get("higher") or {}).get(ENTRIES, []):
        if entry.get("status") == COMPLETED and entry.get("level"):
            levels.append(entry["level"])
    return levels


def education_level(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The highest completed ISCED 2011 level and the NUS2000 level it gives.

    Unfinished upper secondary school counts as NUS 3 ("Videregående, grunnutdanning"), which
    is what that level means, though the highest completed ISCED level stays lower. Unfinished
    higher education adds nothing; without any school answer the NUS level is 9 (Uoppgitt).
    """
    levels = _completed_isced_levels(answers)
    isced = max(levels, key=int) if levels else None
    nus = education.nus_level_for_isced(isced, completed=True) if isced else education.NUS_UNKNOWN
    upper = answers.get("upper_details") or {}
    if upper and upper.get("status") != COMPLETED and (isced is None or int(isced) < 3):
        nus = education.nus_level_for_isced("3", completed=False)
    return {
        "isced2011": {"code": isced, "label_nb": labels.isced_label(isced)} if isced else None,
        "nus2000": {"code": nus, "label_nb": labels.nus_label(nus)},
    }
