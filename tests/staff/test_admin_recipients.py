"""Admin: export recipients - public keys checked by the bundle loader, pull tokens shown once."""
from __future__ import annotations

import hashlib
import io
import re

import pytest
from sqlalchemy import select, text

from selfreg import db
from selfreg.crypto import sealed_keys
from selfreg.models import AuditEvent, ExportRecipient, Role

from ..databases import stored_bytes


@pytest.fixture
def admin(app, make_user, login):
    return login(app.test_client(), make_user(Role.ADMIN))


def _keypair():
    private, public = sealed_keys.generate_recipient_keypair()
    return (sealed_keys.recipient_private_key_to_text(private),
            sealed_keys.recipient_public_key_to_text(public), public.fingerprint)


def _recipient(app, name):
    with app.app_context():
        return db.session().scalar(select(ExportRecipient).where(ExportRecipient.name == name))


def _details(app, action):
    with app.app_context():
        return [e.detail for e in db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def test_a_pasted_public_key_is_stored_with_its_fingerprint(app, admin):
    _private, public, fingerprint = _keypair()
    # Pasted from an e-mail: CRLF line ends and blank lines around it.
    pasted = "\r\n" + public.replace("\n", "\r\n") + "\r\n"
    response = admin.post("/staff/admin/recipients", data={"name": "NIR", "public_key": pasted})
    assert response.status_code == 303
    stored = _recipient(app, "NIR")
    assert stored.fingerprint == fingerprint and stored.public_key == public
    assert stored.active and stored.pull_token_hash is None
    page = admin.get("/staff/admin/recipients").get_data(as_text=True)
    assert fingerprint in page and "NIR" in page
    assert _details(app, "recipient.create") == [f"recipient {stored.id} key {fingerprint}"]


def test_an_uploaded_key_file_works_too(app, admin):
    _private, public, fingerprint = _keypair()
    response = admin.post("/staff/admin/recipients", data={
        "name": "Karrieresenter Vest", "public_key": "",
        "key_file": (io.BytesIO(public.encode("ascii")), "vest.pub"),
    }, content_type="multipart/form-data")
    assert response.status_code == 303
    assert _recipient(app, "Karrieresenter Vest").fingerprint == fingerprint


def test_bad_keys_are_refused_and_a_private_key_is_never_echoed(app, admin):
    private, public, _ = _keypair()
    response = admin.post("/staff/admin/recipients", data={"name": "Oops", "public_key": private})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "PRIVATE key" in page
    body = private.splitlines()[3]
    assert body not in page and 'value="Oops"' in page
    for bad in ["hello", public.replace("fingerprint: ", "fingerprint: 0"), public[:400],
                "é" + public, "x" * 5000]:
        response = admin.post("/staff/admin/recipients", data={"name": "Typed name",
                                                                "public_key": bad})
        assert response.status_code == 400, bad[:40]
        assert 'value="Typed name"' in response.get_data(as_text=True)
    response = admin.post("/staff/admin/recipients", data={"name": "No key", "public_key": ""})
    assert response.status_code == 400 and "Paste the public key" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session().scalar(select(ExportRecipient)) is None
    assert _details(app, "recipient.create") == []


def test_the_same_name_or_key_is_not_registered_twice(app, admin):
    _private, public, _ = _keypair()
    assert admin.post("/staff/admin/recipients", data={"name": "A", "public_key": public}).status_code == 303
    assert admin.post("/staff/admin/recipients", data={"name": "B", "public_key": public}).status_code == 400
    _private, other, _ = _keypair()
    assert admin.post("/staff/admin/recipients", data={"name": "A", "public_key": other}).status_code == 400


def test_a_pull_token_is_shown_once_and_only_its_hash_is_stored(app, admin):
    _private, public, _ = _keypair()
    admin.post("/staff/admin/recipients", data={"name": "NIR", "public_key": public})
    recipient_id = _recipient(app, "NIR").id
    response = admin.post(f"/staff/admin/recipients/{recipient_id}/token")
    assert response.status_code == 200
    token = re.search(r'id="pull-token">([A-Za-z0-9_-]{40,})<', response.get_data(as_text=True)).group(1)
    stored = _recipient(app, "NIR")
    assert stored.pull_token_hash == hashlib.sha256(token.encode()).digest()
    assert token not in admin.get("/staff/admin/recipients").get_data(as_text=True)
    # The token itself is nowhere in the database.
    assert token.encode() not in stored_bytes(app)
    assert _details(app, "recipient.token") == [f"recipient {recipient_id}"]
    # A new token replaces the old one.
    again = admin.post(f"/staff/admin/recipients/{recipient_id}/token").get_data(as_text=True)
    second = re.search(r'id="pull-token">([A-Za-z0-9_-]{40,})<', again).group(1)
    assert second != token
    assert _recipient(app, "NIR").pull_token_hash == hashlib.sha256(second.encode()).digest()


def test_deactivating_withdraws_the_token(app, admin):
    _private, public, _ = _keypair()
    admin.post("/staff/admin/recipients", data={"name": "NIR", "public_key": public})
    recipient_id = _recipient(app, "NIR").id
    admin.post(f"/staff/admin/recipients/{recipient_id}/token")
    assert admin.post(f"/staff/admin/recipients/{recipient_id}/deactivate").status_code == 303
    stored = _recipient(app, "NIR")
    assert not stored.active and stored.pull_token_hash is None
    # No token for an inactive recipient.
    assert admin.post(f"/staff/admin/recipients/{recipient_id}/token").status_code == 400
    assert admin.post(f"/staff/admin/recipients/{recipient_id}/reactivate").status_code == 303
    assert _recipient(app, "NIR").active
    assert _details(app, "recipient.change") == [f"recipient {recipient_id} deactivated",
                                                 f"recipient {recipient_id} reactivated"]
    assert admin.post("/staff/admin/recipients/9999/deactivate").status_code == 404
    with app.app_context():
        assert db.session().execute(text("select count(*) from export_recipients")).scalar() == 1
