"""Prepared cases shared by several fuzz modules: a case file to import, a recipient pulling
from the API. Fixtures here are registered in conftest.py."""
from __future__ import annotations

import copy
import io
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from selfreg import db, keys
from selfreg.crypto import sealed_keys
from selfreg.crypto.sealed_open import open_sealed_integrity_only
from selfreg.exports import import_case_files, iter_case_files
from selfreg.models import ExportRecipient, Registration
from selfreg.staff.admin.operations import pull_token_hash

from .support import walk_every_branch


@dataclass
class Exported:
    app: Flask
    registration_id: str
    document: dict[str, Any]  # its case file, as exported


@pytest.fixture
def exported(app, create_registration) -> Exported:
    """A person who answered everything and submitted, and their case file."""
    registration_id, code, _token = create_registration()
    walk_every_branch(app, code, submit=True)
    with app.app_context():
        chosen = select(Registration).where(Registration.id == registration_id)
        (document,) = iter_case_files(db.session(), keys.keyring(), chosen)
    return Exported(app, registration_id, document)


def fresh_case_file(document: dict[str, Any], number: int) -> dict[str, Any]:
    """The same person under a new id and DUF number: importable into the same installation."""
    other = copy.deepcopy(document)
    other["registration"]["id"] = uuid.UUID(int=number).hex
    duf = f"2099{number % 10**8:08d}"
    other["answers"]["origin"]["duf_number"] = other["identity"]["duf_number"] = duf
    return other


def import_lines(app: Flask, lines):
    """(counts, refusals) of importing ``lines`` into ``app``."""
    refusals = []
    with app.app_context():
        counts = import_case_files(db.session(), keys.keyring(), lines, on_refusal=refusals.append)
    return counts, refusals


@dataclass
class Puller:
    client: FlaskClient
    token: str
    private_key: sealed_keys.RecipientPrivateKey
    recipient_id: int
    registration_id: str


@pytest.fixture
def puller(app, create_registration) -> Puller:
    """A case system with a pull token, and one submitted registration to pull."""
    app.config["SELFREG_CODE_ATTEMPT_LIMIT"] = 10**6  # reach the checks, not the lock-out
    registration_id, code, _token = create_registration()
    walk_every_branch(app, code, submit=True)
    private, public = sealed_keys.generate_recipient_keypair()
    token = "pull-token-" + "x" * 32
    with app.app_context():
        recipient = ExportRecipient(
            name="Case system", public_key=sealed_keys.recipient_public_key_to_text(public),
            fingerprint=public.fingerprint, pull_token_hash=pull_token_hash(token))
        db.session().add(recipient)
        db.session().commit()
        recipient_id = recipient.id
    return Puller(app.test_client(), token, private, recipient_id, registration_id)


def pull_state(app: Flask, puller: Puller) -> tuple[datetime | None, datetime]:
    """(the recipient's cursor, when the registration last changed)."""
    with app.app_context():
        session = db.session()
        return (session.get(ExportRecipient, puller.recipient_id).last_export_at,
                session.get(Registration, puller.registration_id).updated_at)


def records_in(bundle: bytes, puller: Puller) -> int:
    opened = open_sealed_integrity_only(io.BytesIO(bundle), puller.private_key)
    return b"".join(opened).count(b"\n")
