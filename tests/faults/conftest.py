"""Fixtures for fault tests: live servers that are always stopped, and the stored truth read
straight through selfreg.storage.PersonalStore in the test process."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import select

from .live import AppServer


@dataclass(frozen=True)
class StoredRegistration:
    answers: dict[str, Any]  # step -> decrypted values
    revisions: dict[str, int]  # step -> revision
    keys: dict[str, tuple[str, int]]  # idempotency key -> (step, revision it produced)


@pytest.fixture
def stored(app):
    """``stored(registration_id)``: what the database holds, decrypted in this process."""
    from selfreg import db, keys
    from selfreg.models import IdempotencyKey, Registration
    from selfreg.storage import PersonalStore

    def read(registration_id: str) -> StoredRegistration:
        with app.app_context():
            session = db.session()
            registration = session.get(Registration, registration_id)
            store = PersonalStore(session, keys.keyring())
            rows = session.scalars(
                select(IdempotencyKey).where(IdempotencyKey.registration_id == registration_id))
            return StoredRegistration(
                answers=store.load_all(registration),
                revisions=store.revisions(registration),
                keys={row.key: (row.step, row.revision) for row in rows},
            )

    return read


@pytest.fixture
def start_server(app, tmp_path):
    """``start_server()`` → a running AppServer on this test's database; stopped at the end.

    Depends on ``app`` so the database and keyring exist before gunicorn's workers start.
    """
    started: list[AppServer] = []

    def start(**options) -> AppServer:
        server = AppServer(tmp_path / "gunicorn.log", **options)
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()  # nothing to finish: the test has read what it needs
