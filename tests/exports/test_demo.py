"""Demo people: submitted, in every page language and its script, valid as case files."""
from __future__ import annotations

import unicodedata
from datetime import date

import pytest
from sqlalchemy import select

from selfreg import db, keys, registrations
from selfreg.demo import add_demo_people
from selfreg.demo.people import Person
from selfreg.exports import exportable, iter_case_files
from selfreg.i18n import SUPPORTED_LOCALES
from selfreg.models import Registration
from selfreg.storage import PersonalStore

# A letter each script's names must contain (Unicode character names start with the script).
SCRIPTS = {"ar": "ARABIC", "fa_AF": "ARABIC", "fa": "ARABIC", "ps": "ARABIC", "ckb": "ARABIC",
           "ti": "ETHIOPIC", "am": "ETHIOPIC", "uk": "CYRILLIC", "ru": "CYRILLIC",
           "ka": "GEORGIAN", "kmr": "LATIN", "om": "LATIN", "so": "LATIN", "tr": "LATIN",
           "fr": "LATIN", "sw": "LATIN", "nb": "LATIN", "en": "LATIN"}
COUNT = 30


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(char).split()[0] for char in text if char.isalpha()}


@pytest.fixture(scope="module")
def demo(walked):
    """30 demo people beside the walked registration (a module-scoped app, read-only here)."""
    with walked.app.app_context():
        session = db.session()
        centre = registrations.create_centre(session, "Demo mottak")
        lines: list[str] = []
        assert add_demo_people(session, keys.keyring(), centre, COUNT, progress=lines.append,
                               batch_size=12) == COUNT
        assert lines[-1] == f"{COUNT} of {COUNT} demo people added" and len(lines) == 3
        return list(iter_case_files(session, keys.keyring(), exportable().where(
            Registration.centre_id == centre.id)))


def test_demo_people_are_submitted_in_every_locale(demo):
    assert len(demo) == COUNT
    assert {document["registration"]["locale"] for document in demo} == set(SUPPORTED_LOCALES)
    assert all(document["registration"]["status"] == "submitted" for document in demo)


def test_demo_people_validate_as_case_files(demo, validator):
    for document in demo:
        errors = list(validator.iter_errors(document))
        assert not errors, (document["registration"]["locale"], errors[0])


def test_names_and_free_text_are_in_the_persons_script(demo):
    for document in demo:
        locale = document["registration"]["locale"]
        name = document["identity"]["given_names"] + document["identity"]["family_name"]
        assert _scripts(name) == {SCRIPTS[locale]}, (locale, name)
        for entry in document["answers"].get("work", {}).get("entries", []):
            own = entry["occupation"]["own_words"]
            assert own["locale"] == locale and SCRIPTS[locale] in _scripts(own["text"])


def test_demo_answers_use_real_codes_and_norwegian_levels(demo):
    occupations = [entry["occupation"] for document in demo
                   for entry in document["answers"].get("work", {}).get("entries", [])]
    assert any(item["styrk08"] for item in occupations)
    levels = {document["summary"]["education_level"]["nus2000"]["code"] for document in demo}
    assert len(levels) >= 3


def test_the_same_seed_gives_the_same_people():
    today = date(2026, 6, 1)
    assert Person(7, 42, today).answers() == Person(7, 42, today).answers()
    assert Person(7, 42, today).answers() != Person(8, 42, today).answers()


def test_blind_indexes_are_those_of_the_stored_answers(walked, demo):
    with walked.app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        people = session.scalars(select(Registration).where(Registration.steps_done > 0))
        checked = 0
        for registration in people:
            assert (registration.duf_index, registration.name_dob_index) == \
                store.compute_indexes(registration)
            checked += 1
        assert checked >= COUNT
