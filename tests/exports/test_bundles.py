"""Sealed bundles end to end: the CLI, the case system's pull endpoint, the staff download.

A bundle made by ``export`` opens with ``open-export`` and yields case files that validate
against the published JSON Schema; a flipped byte, a truncated file or a bundle for another
recipient is refused; what was sent is marked and audited once, and only when complete.
"""
from __future__ import annotations

import hashlib
import io
import json
import secrets

import pytest
from sqlalchemy import func, select

from selfreg import audit, db, keys, signing
from selfreg.crypto.sealed import open_sealed
from selfreg.crypto.sealed_keys import generate_recipient_keypair, recipient_public_key_to_text
from selfreg.demo import add_demo_people
from selfreg.models import AuditEvent, Centre, ExportRecipient, Region, Registration


@pytest.fixture
def people(app):
    """Five submitted demo people in centre A (region A) and three in centre B (region B)."""
    with app.app_context():
        session = db.session()
        region_a, region_b = Region(name="A"), Region(name="B")
        centre_a = Centre(name="Mottak A", region=region_a)
        centre_b = Centre(name="Mottak B", region=region_b)
        session.add_all([region_a, region_b, centre_a, centre_b])
        session.commit()
        add_demo_people(session, keys.keyring(), centre_a, 5)
        add_demo_people(session, keys.keyring(), centre_b, 3)
        session.commit()
        return {"a": centre_a.id, "b": centre_b.id, "region_a": region_a.id}


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args), catch_exceptions=False)


def _lines(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_export_then_open_gives_valid_case_files(app, people, tmp_path, validator):
    assert _cli(app, "keygen-recipient", "--out", str(tmp_path / "nav")).exit_code == 0
    assert oct((tmp_path / "nav.key").stat().st_mode & 0o777) == "0o600"
    result = _cli(app, "export", "--recipient", str(tmp_path / "nav.pub"),
                  "--out", str(tmp_path / "b.bundle"))
    assert result.exit_code == 0 and "Sealed 8 case file(s)" in result.output
    result = _cli(app, "open-export", str(tmp_path / "b.bundle"), "--key",
                  str(tmp_path / "nav.key"), "--out", str(tmp_path / "cases.jsonl"))
    assert result.exit_code == 0, result.output
    documents = _lines(tmp_path / "cases.jsonl")
    assert len(documents) == 8
    for document in documents:
        assert not list(validator.iter_errors(document))
    with app.app_context():
        session = db.session()
        assert session.scalar(select(func.count()).where(Registration.exported_at.is_not(None))) == 8
        assert session.scalar(select(func.count()).where(AuditEvent.action == "export")) == 8
        assert audit.verify(session).intact


def test_the_bundle_hides_the_case_files(app, people, tmp_path):
    _cli(app, "keygen-recipient", "--out", str(tmp_path / "nav"))
    _cli(app, "export", "--recipient", str(tmp_path / "nav.pub"), "--out", str(tmp_path / "b.bundle"))
    _cli(app, "open-export", str(tmp_path / "b.bundle"), "--key", str(tmp_path / "nav.key"),
         "--out", str(tmp_path / "cases.jsonl"))
    sealed = (tmp_path / "b.bundle").read_bytes()
    first = _lines(tmp_path / "cases.jsonl")[0]
    family_name = first["identity"]["family_name"]
    assert family_name and family_name.encode("utf-8") in (tmp_path / "cases.jsonl").read_bytes()
    assert family_name.encode("utf-8") not in sealed


@pytest.mark.parametrize("damage", ["flip", "truncate", "other_recipient", "other_signer"])
def test_damaged_or_foreign_bundles_are_refused(app, people, tmp_path, damage, make_app):
    other_app = make_app(  # another installation: its own database, keyring and signing key
        SELFREG_DATABASE_URL=f"sqlite:///{tmp_path / 'other.db'}",
        SELFREG_KEYRING=str(tmp_path / "other-keyring.json"),
        SELFREG_SIGNING_KEY=str(tmp_path / "other-signing.pem"),
    )
    _cli(app, "keygen-recipient", "--out", str(tmp_path / "nav"))
    _cli(app, "keygen-recipient", "--out", str(tmp_path / "kommune"))
    source = other_app if damage == "other_signer" else app
    if damage == "other_signer":
        with other_app.app_context():
            add_demo_people(db.session(), keys.keyring(), _a_centre(other_app), 2)
            db.session().commit()
    _cli(source, "export", "--recipient", str(tmp_path / "nav.pub"), "--out", str(tmp_path / "b.bundle"))
    bundle = tmp_path / "b.bundle"
    data = bytearray(bundle.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
    elif damage == "truncate":
        data = data[: len(data) - 100]
    bundle.write_bytes(bytes(data))
    key = "kommune.key" if damage == "other_recipient" else "nav.key"
    result = app.test_cli_runner().invoke(args=[
        "open-export", str(bundle), "--key", str(tmp_path / key), "--out", str(tmp_path / "x.jsonl")])
    assert result.exit_code == 1 and "REFUSED" in result.output
    assert not (tmp_path / "x.jsonl").exists()


def _a_centre(app):
    with app.app_context():
        session = db.session()
        centre = Centre(name="Annet mottak")
        session.add(centre)
        session.commit()
        return session.get(Centre, centre.id)


def test_since_limits_the_bundle(app, people, tmp_path):
    _cli(app, "keygen-recipient", "--out", str(tmp_path / "nav"))
    result = _cli(app, "export", "--recipient", str(tmp_path / "nav.pub"),
                  "--out", str(tmp_path / "b.bundle"), "--since", "2999-01-01")
    assert "Sealed 0 case file(s)" in result.output
    assert _cli(app, "export", "--recipient", str(tmp_path / "nav.pub"), "--out",
                str(tmp_path / "c.bundle"), "--since", "yesterday").exit_code != 0


# --- the pull endpoint ----------------------------------------------------------------------


@pytest.fixture
def recipient(app):
    private, public = generate_recipient_keypair()
    token = secrets.token_urlsafe(32)
    with app.app_context():
        session = db.session()
        session.add(ExportRecipient(
            name="NAV", public_key=recipient_public_key_to_text(public),
            fingerprint=public.fingerprint,
            pull_token_hash=hashlib.sha256(token.encode()).digest()))
        session.commit()
    return private, token


def _open(app, body: bytes, private):
    with app.app_context():
        opened = open_sealed(io.BytesIO(body), private, signing.verifying_key(app))
        return [json.loads(line) for line in opened.iter_lines()]


def test_pull_sends_what_is_new_once(app, client, people, recipient):
    private, token = recipient
    auth = {"Authorization": f"Bearer {token}"}
    first = client.get("/api/v1/case-files", headers=auth)
    assert first.status_code == 200 and first.mimetype == "application/vnd.selfreg.sealed-bundle"
    assert len(_open(app, first.get_data(), private)) == 8
    second = client.get("/api/v1/case-files", headers=auth)
    assert _open(app, second.get_data(), private) == []  # the cursor moved on
    again = client.get("/api/v1/case-files?since=2000-01-01", headers=auth)
    assert len(_open(app, again.get_data(), private)) == 8
    with app.app_context():
        assert db.session().scalar(select(ExportRecipient.last_export_at)) is not None
        assert audit.verify(db.session()).intact


def test_pull_needs_a_valid_token_and_slows_guessing(app, client, people, recipient):
    assert client.get("/api/v1/case-files").status_code == 401
    limit = app.config["SELFREG_CODE_ATTEMPT_LIMIT"]
    for _ in range(limit - 1):
        response = client.get("/api/v1/case-files", headers={"Authorization": "Bearer wrong"})
        assert response.status_code == 401 and "WWW-Authenticate" in response.headers
    _, token = recipient
    assert client.get("/api/v1/case-files", headers={"Authorization": f"Bearer {token}"}).status_code == 429
    assert client.get("/api/v1/case-files?since=notadate",
                      environ_base={"REMOTE_ADDR": "10.9.9.9"},
                      headers={"Authorization": f"Bearer {token}"}).status_code == 400


def test_a_pull_cut_off_half_way_marks_nothing(app, people, recipient):
    _, token = recipient
    client = app.test_client()
    response = client.get("/api/v1/case-files", headers={"Authorization": f"Bearer {token}"},
                          buffered=False)
    next(iter(response.response))  # the client reads the first bytes, then goes away
    response.close()
    with app.app_context():
        assert db.session().scalar(
            select(func.count()).where(Registration.exported_at.is_not(None))) == 0
        assert db.session().scalar(select(ExportRecipient.last_export_at)) is None
