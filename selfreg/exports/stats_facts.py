"""What the statistics count of one person, worked out once and kept encrypted beside them.

Statistics used to decrypt and classify every answer of every submitted person on every run:
about a millisecond a person, so close to a minute for 40,000 submitted of 100,000. The
categories change only when the answers do, so they are kept in ``registrations.stats_facts``:
encrypted under the person's own data key (erased with it), written when the person submits,
emptied by every write of answers (``PersonalStore``), and filled again by the next statistics
run for anyone whose facts are missing or were made by other code. One decryption a person.

The age band is not kept (it changes with the day the statistics are made): the birth date is,
inside the ciphertext, and the band is worked out on the day.

``version()`` is a digest of the code and code lists the categories come from, so facts made by
an earlier release are never counted as they are: after an upgrade that changes how people are
counted, the first run reads everyone's answers again (and is as slow as it used to be).
"""
from __future__ import annotations

import hashlib
import logging
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Mapping

from ..models import Registration
from ..questionnaire.catalogue import VERSION as CATALOGUE_VERSION
from ..storage import PersonalStore
from .stats_count import age_band, lasting_categories

log = logging.getLogger(__name__)
_PACKAGE = Path(__file__).resolve().parent.parent
# What ``lasting_categories`` depends on: changing any of these may change someone's category.
_SOURCES = (
    "exports/stats_count.py", "exports/derived.py", "exports/stats_facts.py",
    "codes/occupations.py", "codes/education.py",
    "codes/data/isco08.csv", "codes/data/nus2000_levels.csv",
    "codes/data/isced2011_levels.csv", "codes/data/iscedf2013_fields.csv",
    "questionnaire/catalogue.py", "questionnaire/flow.py", "questionnaire/model.py",
    "questionnaire/checks.py",
)


@cache
def version() -> str:
    digest = hashlib.sha256(CATALOGUE_VERSION.encode())
    for name in _SOURCES:
        digest.update(name.encode() + b"\0" + (_PACKAGE / name).read_bytes())
    return digest.hexdigest()[:16]


def of_answers(answers: Mapping[str, Any]) -> dict[str, Any]:
    """The facts to keep for a person with these stored answers (JSON-ready)."""
    birth_date, categories = lasting_categories(answers)
    return {"version": version(), "birth_date": birth_date,
            "categories": {dimension: sorted(found) for dimension, found in categories.items()}}


def categories_on(facts: Any, today: date) -> dict[str, set[str]] | None:
    """{dimension: categories} as ``stats_count.person_categories`` gives them on ``today``;
    None when the facts were made by other code (or are not facts at all)."""
    if not isinstance(facts, dict) or facts.get("version") != version():
        return None
    found = {dimension: set(values) for dimension, values in facts["categories"].items()}
    found["age_band"] = {age_band(facts["birth_date"], today)}
    return found


def keep(store: PersonalStore, registration: Registration, answers: Mapping[str, Any]) -> None:
    """Work out and keep the facts of a registration being submitted with these answers.

    A fault in the counting code must never stop a person from submitting: the facts are then
    left empty (the next statistics run tries again) and only the kind of fault is logged,
    since its message could quote an answer.
    """
    try:
        facts = of_answers(answers)
    except Exception as error:  # noqa: BLE001  (any fault; see above)
        log.warning("statistics facts not kept at submission (%s); the next statistics run "
                    "works them out", type(error).__name__)
        registration.stats_facts = None
        return
    registration.stats_facts = store.encrypt_stats_facts(registration, facts)
