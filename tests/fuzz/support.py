"""What every fuzz test checks about an answer, and the residents they work with."""
from __future__ import annotations

import logging
import re
import traceback
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from flask import Flask
from flask.testing import FlaskClient

from selfreg import access_codes, db, keys
from selfreg.models import Registration
from selfreg.storage import CAREER_NOTE, VERIFICATION, PersonalStore
from tests.resident.walk import ENTRIES, accept_privacy, sign_in, walk

from .hostile import MARKUP

# Answers that make every step of the catalogue apply, so each can be fuzzed.
EVERY_BRANCH = {"other_languages_any": {"any": "yes"}, "training_any": {"any": "yes"}}
EVERY_BRANCH_ENTRIES = {
    **ENTRIES,
    "other_languages": [{"language": "ar", "language_text": "Arabic", "understand": "B1",
                         "speak": "B1", "read": "A2", "write": "A1"}],
    "training": [{"kind": "course", "name": "Welding", "country": "SY", "year": "2015",
                  "months": "6", "documents": "with_me"}],
}


class ServerErrors(logging.Handler):
    """Keeps the traceback behind each logged server error, so a 500 in a fuzz test says where
    (the app logs only the exception's type, by design)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.tracebacks: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.tracebacks.append(traceback.format_exc())


SERVER_ERRORS = ServerErrors()


def assert_answered(response, *, html_lang: str | None = None) -> str:
    """Never a server error; a refusal says why; markup that came in goes out escaped."""
    status = response.status_code
    if status >= 500:
        where = SERVER_ERRORS.tracebacks[-1] if SERVER_ERRORS.tracebacks else "(not logged)"
        raise AssertionError(f"server error {status}:\n{where}")
    if response.mimetype not in ("text/html", "application/json"):
        return ""
    body = response.get_data(as_text=True)
    assert MARKUP not in body and "<script>alert(1)" not in body
    if response.mimetype == "application/json":
        if status >= 400:
            payload = response.get_json()
            assert isinstance(payload, dict) and (payload.get("error") or payload.get("title"))
        return body
    if 400 <= status < 500:
        assert_clear_refusal(body, status)
    if html_lang is not None and not 300 <= status < 400:  # pages and refusals, not redirects
        assert f'<html lang="{html_lang}"' in body
    return body


def too_large(pairs: list[tuple[str, str]]) -> bool:
    """Whether a form post of ``pairs`` is over the request size limit (refused with 413)."""
    return len(urlencode(pairs).encode("ascii")) > 256 * 1024  # MAX_CONTENT_LENGTH


def assert_form_refused(response, body: str, statuses: tuple[int, ...] = (400,)) -> None:
    """The form again, with an error summary; or the "too much text" page (413), which the
    request's size decides before any form is read."""
    if response.status_code == 413:
        return
    assert response.status_code in statuses, response.status_code
    assert 'class="error-summary"' in body


def assert_clear_refusal(body: str, status: int) -> None:
    """A refused form comes back with an error summary; anything else is an error page."""
    assert "Traceback" not in body
    if 'class="error-summary"' in body:
        return
    # error.html: a heading that says what went wrong, and the way back.
    assert re.search(r"<h1>[^<]+</h1>", body), f"{status} without a message"


def snapshot(app: Flask, registration_id: str) -> dict[str, Any]:
    """Everything stored about one person: answers, revisions, staff records and status."""
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        if registration is None:
            return {}
        store = PersonalStore(db.session(), keys.keyring())
        readable = not registration.is_erased
        records = {kind: store.load_record(registration, kind)
                   for kind in (VERIFICATION, CAREER_NOTE)} if readable else {}
        return {
            "answers": store.load_all(registration) if readable else None,
            "revisions": store.revisions(registration),
            "records": {kind: (r.values, r.revision) if r else None for kind, r in records.items()},
            "status": (registration.status, registration.submitted_at, registration.followed_up_at,
                       registration.centre_id, registration.is_erased),
        }


def walk_every_branch(app: Flask, code: str, *, submit: bool) -> FlaskClient:
    """A resident answers every step (every branch taken); returns their client."""
    client = app.test_client()
    sign_in(client, access_codes.format_code(code))
    accept_privacy(client)
    walk(client, answers=EVERY_BRANCH, entries=EVERY_BRANCH_ENTRIES)
    if submit:
        assert client.post("/submit").status_code == 303
    return client


@dataclass
class Resident:
    """A signed-in person who answered every step, with every branch taken."""

    app: Flask
    client: FlaskClient
    registration_id: str

    def stored(self) -> tuple[dict[str, Any], dict[str, int]]:
        with self.app.app_context():
            registration = db.session().get(Registration, self.registration_id)
            store = PersonalStore(db.session(), keys.keyring())
            return store.load_all(registration), store.revisions(registration)

    def put_back(self, step_key: str, values: Any) -> None:
        """Undo an accepted save, so the next example starts from the walked answers."""
        with self.app.app_context():
            registration = db.session().get(Registration, self.registration_id)
            PersonalStore(db.session(), keys.keyring()).save_step(registration, step_key, values)
            db.session().commit()
