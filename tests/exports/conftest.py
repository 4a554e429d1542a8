"""Fixtures for case files: a person who walked the questionnaire (once per module: walking
takes seconds), a counsellor's marks, the published JSON Schema, a second installation."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterator

import pytest
from flask import Flask
from jsonschema import Draft202012Validator
from sqlalchemy import select

from selfreg import access_codes, create_app, db, keys, registrations
from selfreg.cli import init_database
from selfreg.exports import iter_case_files
from selfreg.models import Registration
from selfreg.storage import VERIFICATION, PersonalStore
from tests.resident.walk import accept_privacy, sign_in, walk

from .helpers import SCHEMA_FILE, STAFF_CONTACT, add_staff_user


@pytest.fixture(scope="session")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@dataclass(frozen=True)
class Walked:
    app: Flask
    registration_id: str

    def export(self, selection=None, **options) -> list[dict[str, Any]]:
        with self.app.app_context():
            chosen = select(Registration) if selection is None else selection
            return list(iter_case_files(db.session(), keys.keyring(), chosen, **options))


def _walk_and_verify(app: Flask) -> str:
    with app.app_context():
        session = db.session()
        centre = registrations.create_centre(session, "Testmottak")
        created = registrations.create_registrations(session, keys.keyring(), centre, 1)[0]
        session.commit()
    client = app.test_client()
    sign_in(client, access_codes.format_code(created.code))
    accept_privacy(client)
    walk(client)
    assert client.post("/submit").status_code == 303
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, created.registration.id)
        store = PersonalStore(session, keys.keyring())
        work = store.load_all(registration)["work"]["entries"][0]
        store.save_record(registration, VERIFICATION, {
            "origin": "document_seen",
            f"work/{work['id']}": "confirmed_in_interview",
        }, user_id=None)
        store.save_step(registration, "contact", STAFF_CONTACT,
                        changed_by_user_id=add_staff_user(session))
        session.commit()
        return registration.id


@pytest.fixture(scope="module")
def walked(tmp_path_factory) -> Iterator[Walked]:
    """A registration walked with tests/resident/walk.py and submitted; then a counsellor saw
    the papers for the DUF number, confirmed the work in the interview and corrected the
    phone number. Shared by a module's tests: treat it as read-only."""
    with pytest.MonkeyPatch.context() as patch:
        folder = tmp_path_factory.mktemp("walked")
        patch.setenv("SELFREG_INSTANCE", str(folder))
        patch.setenv("SELFREG_SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
        for name in ("SELFREG_DATABASE_URL", "SELFREG_KEYRING", "SELFREG_KEYRING_JSON",
                     "SELFREG_ENV"):
            patch.delenv(name, raising=False)
        app = create_app({"TESTING": True, "WTF_CSRF_ENABLED": False})
        init_database(app)
        yield Walked(app, _walk_and_verify(app))


@pytest.fixture
def other_app(make_app, tmp_path):
    """A second installation: its own database and its own keyring."""
    return make_app(
        SELFREG_DATABASE_URL=f"sqlite:///{tmp_path / 'other.db'}",
        SELFREG_KEYRING=str(tmp_path / "other-keyring.json"),
    )
