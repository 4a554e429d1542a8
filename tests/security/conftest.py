"""Fixtures for the encryption-at-rest tests: people with data, key operations, the files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from selfreg import db, keys
from selfreg.crypto import Keyring
from selfreg.models import Registration
from selfreg.storage import PersonalStore


@dataclass(frozen=True)
class Person:
    registration_id: str
    code: str
    link_token: str
    duf: str


def answers_for(n: int) -> dict[str, dict[str, Any]]:
    """Distinct, realistic-looking answers for person ``n`` (enough for both blind indexes)."""
    return {
        "name": {"given_names": f"Given{n}", "family_name": f"Family{n}"},
        "birth": {"birth_date": f"{1970 + n % 30}-0{1 + n % 9}-1{n % 10}"},
        "origin": {"country_of_origin": "ER", "duf_number": f"{202300000000 + n}"},
        "other_skills": {"skills": f"Skill text {n}", "volunteering": None},
    }


@pytest.fixture
def save_keyring(app) -> Callable[[Keyring], None]:
    """What the CLI passes to key operations: write the keyring file and adopt it."""
    return lambda updated: keys.save(app, updated)


@pytest.fixture
def add_person(app, create_registration) -> Callable[[], Person]:
    """Factory: a registration with name, birth date, DUF number and free text saved."""
    counter = iter(range(1, 10_000))

    def factory() -> Person:
        registration_id, code, token = create_registration()
        n = next(counter)
        with app.app_context():
            session = db.session()
            registration = session.get(Registration, registration_id)
            store = PersonalStore(session, keys.keyring())
            for step, values in answers_for(n).items():
                store.save_step(registration, step, values)
            session.commit()
        return Person(registration_id, code, token, answers_for(n)["origin"]["duf_number"])

    return factory


def read_all(app, registration_id: str) -> dict[str, Any]:
    """Decrypt one registration's answers with the app's current keyring, in a fresh session."""
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, registration_id)
        return PersonalStore(session, keys.keyring()).load_all(registration)


def sqlite_path(app) -> Path:
    url = app.config["SELFREG_DATABASE_URL"]
    assert url.startswith("sqlite:///"), url
    return Path(url.removeprefix("sqlite:///"))
