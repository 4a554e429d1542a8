"""Counsellors and admins download sealed bundles: counsellors only their region's profiles."""
from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from selfreg import audit, db, keys, signing
from selfreg.crypto.sealed import open_sealed
from selfreg.crypto.sealed_keys import generate_recipient_keypair, recipient_public_key_to_text
from selfreg.demo import add_demo_people
from selfreg.models import AuditEvent, Centre, ExportRecipient, Registration, Role


@pytest.fixture
def setup(app, world):
    private, public = generate_recipient_keypair()
    with app.app_context():
        session = db.session()
        add_demo_people(session, keys.keyring(), session.get(Centre, world.centre_a), 4)
        add_demo_people(session, keys.keyring(), session.get(Centre, world.centre_b), 2)
        recipient = ExportRecipient(name="NAV", public_key=recipient_public_key_to_text(public),
                                    fingerprint=public.fingerprint)
        session.add(recipient)
        session.commit()
        return private, recipient.id


def _download(app, client, recipient_id, private):
    page = client.get("/staff/exports")
    assert page.status_code == 200
    response = client.post("/staff/exports", data={"recipient": recipient_id})
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    body = response.get_data()
    response.close()  # ends the streamed request's context before another one is pushed
    with app.app_context():
        opened = open_sealed(io.BytesIO(body), private, signing.verifying_key(app))
        return [json.loads(line) for line in opened.iter_lines()]


def test_a_counsellor_exports_only_their_region(app, world, make_user, login, setup):
    private, recipient_id = setup
    client = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    documents = _download(app, client, recipient_id, private)
    assert len(documents) == 4 and {d["centre"]["name"] for d in documents} == {"Mottak A"}
    with app.app_context():
        session = db.session()
        assert session.scalar(select(func.count()).where(Registration.exported_at.is_not(None))) == 4
        assert session.scalar(select(func.count()).where(AuditEvent.action == "export")) == 4
        assert audit.verify(session).intact


def test_an_admin_exports_every_submitted_profile(app, world, make_user, login, setup):
    private, recipient_id = setup
    client = login(app.test_client(), make_user(Role.ADMIN))
    assert len(_download(app, client, recipient_id, private)) == 6


def test_guides_cannot_export(app, world, make_user, login, setup):
    _, recipient_id = setup
    client = login(app.test_client(), make_user(Role.GUIDE, centres=[world.centre_a]))
    assert client.get("/staff/exports").status_code == 404
    assert client.post("/staff/exports", data={"recipient": recipient_id}).status_code == 404


def test_an_unknown_recipient_is_a_form_error(app, world, make_user, login, setup):
    client = login(app.test_client(), make_user(Role.ADMIN))
    response = client.post("/staff/exports", data={"recipient": "999"})
    assert response.status_code == 400 and "<form" in response.get_data(as_text=True)
