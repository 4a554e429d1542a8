"""Restriction of processing (GDPR art. 18): a guide restricts and lifts; while restricted the
data is only stored — no counsellor, export, statistics, purge or save reaches it — and the
person can still read their answers."""
from __future__ import annotations

import hashlib
import io
import json
import re
import secrets
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, update

from selfreg import access_codes, audit, db, keyops, keys, signing
from selfreg.crypto.sealed import open_sealed
from selfreg.crypto.sealed_keys import generate_recipient_keypair, recipient_public_key_to_text
from selfreg.demo import add_demo_people
from selfreg.exports import bundles, iter_case_files, stats
from selfreg.models import (
    AuditEvent,
    Centre,
    ExportRecipient,
    IdempotencyKey,
    Registration,
    RegistrationStatus,
    Role,
    utcnow,
)
from selfreg.storage import PersonalStore
from tests.resident.walk import ENTRIES, accept_privacy, sign_in, walk

from .test_csrf import _login_with_csrf

EN = {"Accept-Language": "en"}
REFUSED_EN = "Your registration is on hold. You cannot save or send answers now."
REFUSED_NB = "Registreringen din er satt på vent. Du kan ikke lagre eller sende svar nå."


def _demo_people(app, centre_id: int, count: int) -> list[str]:
    """Submitted registrations with full answers (fast: written through the store)."""
    with app.app_context():
        session = db.session()
        add_demo_people(session, keys.keyring(), session.get(Centre, centre_id), count)
        session.commit()
        return sorted(session.scalars(
            select(Registration.id).where(Registration.centre_id == centre_id)))


def _set_restricted(app, registration_id: str, restricted: bool) -> None:
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        registration.restricted_at = utcnow() if restricted else None
        db.session().commit()


def _events(app, action):
    with app.app_context():
        return [(e.user_id, e.registration_id, e.detail) for e in db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def _chain_intact(app) -> bool:
    with app.app_context():
        return audit.verify(db.session()).intact


def _counsellor_reference(registration_id: str) -> str:
    head = registration_id[:8].upper()
    return f"{head[:4]} {head[4:]}"


# --- the guide's pages, and what counsellors and guides may do meanwhile -----------------------


def test_a_guide_restricts_and_lifts_and_counsellors_lose_and_regain_it(
        app, world, make_user, login):
    rid, other = _demo_people(app, world.centre_a, 2)
    guide_id = make_user(Role.GUIDE, centres=[world.centre_a])
    guide = login(app.test_client(), guide_id)
    counsellor = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    assert counsellor.get(f"/staff/counsellor/profile/{rid}").status_code == 200
    duf = "202398765432"
    with app.app_context():
        PersonalStore(db.session(), keys.keyring()).save_step(
            db.session().get(Registration, rid), "origin",
            {"country_of_origin": "ER", "duf_number": duf})
        db.session().commit()
    found = counsellor.post("/staff/counsellor/find", data={"duf_number": duf})
    assert found.status_code == 303 and rid in found.headers["Location"]

    confirm = guide.get(f"/staff/guide/{rid}/restrict")
    assert confirm.status_code == 200 and "Yes, restrict it" in confirm.get_data(as_text=True)
    with app.app_context():  # a confirmation page changes nothing
        assert db.session().get(Registration, rid).restricted_at is None
    response = guide.post(f"/staff/guide/{rid}/restrict")
    assert response.status_code == 303
    page = guide.get(response.headers["Location"]).get_data(as_text=True)
    assert "is restricted" in page and "Restricted since" in page
    assert "Lift the restriction" in page and "Erase this registration" in page
    for gone in ("Start guided mode", "Reopen", f"/staff/guide/{rid}/identity/",
                 "Restrict processing"):
        assert gone not in page, gone
    listed = guide.get("/staff/guide").get_data(as_text=True)
    assert listed.count("Restricted since") == 1

    # Counsellors: 404 on every page of it, and it is not in their list; the other one is.
    for url in (f"/staff/counsellor/profile/{rid}", f"/staff/counsellor/profile/{rid}/summary",
                f"/staff/counsellor/profile/{rid}/note"):
        assert counsellor.get(url).status_code == 404, url
    home = counsellor.get("/staff/counsellor").get_data(as_text=True)
    assert _counsellor_reference(rid) not in home and _counsellor_reference(other) in home
    not_found = counsellor.post("/staff/counsellor/find", data={"duf_number": duf})
    assert not_found.status_code == 200 and "Location" not in not_found.headers
    # Guides: only the status page, erasure and lifting; nothing else acts on it.
    assert guide.post(f"/staff/guide/{rid}/reopen").status_code == 404
    assert guide.post(f"/staff/guide/{rid}/guided", data={"language": "en"}).status_code == 404
    assert guide.get(f"/staff/guide/{rid}/identity/name").status_code == 404
    assert guide.post(f"/staff/guide/{rid}/identity/name",
                      data={"given_names": "X", "family_name": "Y"}).status_code == 404
    assert guide.get(f"/staff/guide/{rid}/erase").status_code == 200
    # Restricting again changes nothing and records nothing more.
    again = guide.post(f"/staff/guide/{rid}/restrict")
    assert "restricted already" in guide.get(again.headers["Location"]).get_data(as_text=True)

    confirm = guide.get(f"/staff/guide/{rid}/restriction/lift")
    assert confirm.status_code == 200 and "Tell the person before you lift it" in confirm.get_data(
        as_text=True)
    response = guide.post(f"/staff/guide/{rid}/restriction/lift")
    assert response.status_code == 303
    page = guide.get(response.headers["Location"]).get_data(as_text=True)
    assert "is lifted" in page and "Restricted since" not in page and "Reopen" in page
    assert counsellor.get(f"/staff/counsellor/profile/{rid}").status_code == 200
    assert _counsellor_reference(rid) in counsellor.get("/staff/counsellor").get_data(as_text=True)
    assert guide.get(f"/staff/guide/{rid}/identity/name").status_code == 200
    nothing = guide.post(f"/staff/guide/{rid}/restriction/lift")
    assert "is not restricted" in guide.get(nothing.headers["Location"]).get_data(as_text=True)

    # Audited once each, ids only.
    assert _events(app, audit.Action.REGISTRATION_RESTRICT) == [(guide_id, rid, "")]
    assert _events(app, audit.Action.REGISTRATION_RESTRICTION_LIFT) == [(guide_id, rid, "")]
    assert _chain_intact(app)


def test_only_the_persons_guides_restrict(app, world, make_user, login, registration_in):
    rid, _, _ = registration_in(world.centre_a)
    for role, scope in ((Role.GUIDE, {"centres": [world.centre_b]}),
                        (Role.COUNSELLOR, {"region": world.region_a}), (Role.ADMIN, {})):
        client = login(app.test_client(), make_user(role, **scope))
        for url in (f"/staff/guide/{rid}/restrict", f"/staff/guide/{rid}/restriction/lift"):
            assert client.get(url).status_code == 404, (role, url)
            assert client.post(url).status_code == 404, (role, url)
    with app.app_context():
        assert db.session().get(Registration, rid).restricted_at is None
    assert _events(app, audit.Action.REGISTRATION_RESTRICT) == []


def test_restricting_ends_guided_mode(app, world, make_user, login, registration_in):
    rid, _, _ = registration_in(world.centre_a)
    browser = login(app.test_client(), make_user(Role.GUIDE, centres=[world.centre_a]))
    started = browser.post(f"/staff/guide/{rid}/guided", data={"language": "en"})
    assert started.status_code == 303
    assert browser.get("/privacy").status_code == 200  # guided: the person's pages open
    _set_restricted(app, rid, True)
    response = browser.get("/privacy")
    assert response.status_code == 302 and response.headers["Location"].endswith("/")


def test_restricting_and_lifting_need_the_csrf_token(world_csrf):
    app, client, rid = world_csrf
    refused = client.post(f"/staff/guide/{rid}/restrict", data={})
    assert refused.status_code == 400 and "Nothing was changed" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Registration, rid).restricted_at is None
    token = _token(client.get(f"/staff/guide/{rid}/restrict"))
    assert client.post(f"/staff/guide/{rid}/restrict", data={"csrf_token": token}).status_code == 303

    refused = client.post(f"/staff/guide/{rid}/restriction/lift", data={})
    assert refused.status_code == 400
    with app.app_context():
        assert db.session().get(Registration, rid).restricted_at is not None
    token = _token(client.get(f"/staff/guide/{rid}/restriction/lift"))
    lifted = client.post(f"/staff/guide/{rid}/restriction/lift", data={"csrf_token": token})
    assert lifted.status_code == 303
    with app.app_context():
        assert db.session().get(Registration, rid).restricted_at is None
    assert len(_events(app, audit.Action.REGISTRATION_RESTRICT)) == 1


def _token(response) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True)).group(1)


@pytest.fixture
def world_csrf(make_app):
    """An app that checks CSRF tokens, a guide logged in through the real forms, and a
    registration in the guide's centre."""
    from selfreg import accounts, registrations

    from .conftest import PASSWORD

    app = make_app(csrf=True)
    with app.app_context():
        session = db.session()
        centre = registrations.create_centre(session, "Mottak C")
        rid = registrations.create_registrations(session, keys.keyring(), centre, 1)[0] \
            .registration.id
        user = accounts.create_user(session, "guide@example.no", Role.GUIDE, PASSWORD,
                                    centres=[centre])
        session.commit()
        user_id = user.id
    client = app.test_client()
    _login_with_csrf(app, client, user_id, "guide@example.no")
    return app, client, rid


# --- exports, statistics, retention ------------------------------------------------------------


def _recipient(app):
    private, public = generate_recipient_keypair()
    token = secrets.token_urlsafe(32)
    with app.app_context():
        db.session().add(ExportRecipient(
            name="NAV", public_key=recipient_public_key_to_text(public),
            fingerprint=public.fingerprint, pull_token_hash=hashlib.sha256(token.encode()).digest()))
        db.session().commit()
        recipient_id = db.session().scalar(select(ExportRecipient.id))
    return private, token, recipient_id


def _opened_ids(app, body: bytes, private) -> set[str]:
    with app.app_context():
        opened = open_sealed(io.BytesIO(body), private, signing.verifying_key(app))
        return {json.loads(line)["registration"]["id"] for line in opened.iter_lines()}


def test_exports_the_pull_api_downloads_and_statistics_leave_it_out(
        app, world, make_user, login):
    ids = _demo_people(app, world.centre_a, 3)
    restricted = ids[0]
    private, token, recipient_id = _recipient(app)

    def counted() -> tuple[int, int, int]:
        with app.app_context():
            session = db.session()
            selected = bundles.count(session, bundles.selection(bundles.window()))
            # Named one by one, the stream still leaves it out.
            streamed = len(list(iter_case_files(session, keys.keyring(), ids)))
            people = stats.count(session, keys.keyring(), today=date.today()).people
            return selected, streamed, people

    assert counted() == (3, 3, 3)
    _set_restricted(app, restricted, True)
    assert counted() == (2, 2, 2)

    pulled = app.test_client().get("/api/v1/case-files",
                                   headers={"Authorization": f"Bearer {token}"})
    assert pulled.status_code == 200
    assert _opened_ids(app, pulled.get_data(), private) == set(ids[1:])
    admin = login(app.test_client(), make_user(Role.ADMIN))
    downloaded = admin.post("/staff/exports", data={"recipient": recipient_id})
    assert downloaded.status_code == 200
    body = downloaded.get_data()
    downloaded.close()
    assert _opened_ids(app, body, private) == set(ids[1:])
    with app.app_context():
        registration = db.session().get(Registration, restricted)
        assert registration.exported_at is None  # not marked as sent either
        assert db.session().scalar(select(func.count()).where(
            AuditEvent.action == audit.Action.EXPORT,
            AuditEvent.registration_id == restricted)) == 0

    # Lifted: counted again, and sent in the next window (lifting is a change).
    _set_restricted(app, restricted, False)
    assert counted() == (3, 3, 3)
    again = app.test_client().get("/api/v1/case-files",
                                  headers={"Authorization": f"Bearer {token}"})
    assert _opened_ids(app, again.get_data(), private) == {restricted}


def _age(app, registration_id: str, days: int) -> None:
    """Last changed (and submitted, if it was) ``days`` ago."""
    table = Registration.__table__
    then = utcnow() - timedelta(days=days)
    with app.app_context():
        db.session().execute(update(table).where(table.c.id == registration_id).values(
            updated_at=then, submitted_at=then))
        db.session().commit()


def test_the_purge_holds_it_and_the_admin_sees_how_many(app, world, make_user, login,
                                                        registration_in):
    held_id, _, _ = registration_in(world.centre_a)
    expired_id, _, _ = registration_in(world.centre_a)
    _set_restricted(app, held_id, True)
    for registration_id in (held_id, expired_id):
        _age(app, registration_id, 800)  # past the default 730 days
    admin = login(app.test_client(), make_user(Role.ADMIN))
    page = admin.get("/staff/admin/settings").get_data(as_text=True)
    assert "1 registration is past the retention period now." in page
    assert "1 registration is restricted (GDPR article 18)." in page
    assert "1 of them is past it now." in page

    with app.app_context():
        session = db.session()
        assert keyops.expired(session, 730) == [expired_id]
        assert keyops.held(session, 730) == 1
        report = keyops.purge(session, keys.keyring(), 730,
                              save_keyring=lambda updated: keys.save(app, updated))
        assert report.erased == 1
        held, gone = session.get(Registration, held_id), session.get(Registration, expired_id)
        assert gone.status == RegistrationStatus.ERASED
        assert held.status != RegistrationStatus.ERASED and held.wrapped_dek is not None
    # Lifted, its retention counts from the lift: not due at once.
    _set_restricted(app, held_id, False)
    with app.app_context():
        assert keyops.expired(db.session(), 730) == []
        assert keyops.held(db.session(), 730) == 0


# --- the person --------------------------------------------------------------------------------


def _stored(app, registration_id: str):
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, registration_id)
        store = PersonalStore(session, keys.keyring())
        keys_saved = session.scalar(select(func.count()).select_from(IdempotencyKey))
        return (store.load_all(registration), store.revisions(registration), registration.status,
                registration.updated_at, registration.steps_done, keys_saved)


def test_the_person_reads_but_cannot_save_while_restricted(app, world, registration_in):
    rid, code, _ = registration_in(world.centre_a)
    resident = app.test_client()
    sign_in(resident, access_codes.format_code(code))
    accept_privacy(resident)
    walk(resident)
    _set_restricted(app, rid, True)
    before = _stored(app, rid)

    # Access: the answers are there to read.
    review = resident.get("/review", headers=EN)
    assert review.status_code == 200 and "Amina" in review.get_data(as_text=True)

    # A step: refused, the form back with what was typed and the message (in the person's
    # language: Bokmål is the default, English asked for).
    typed = {"given_names": "Zaraqx", "family_name": "Haile"}
    refused = resident.post("/q/name", data=typed, headers=EN)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 403 and REFUSED_EN in page and 'value="Zaraqx"' in page
    refused = resident.post("/q/name", data=typed)
    assert refused.status_code == 403 and REFUSED_NB in refused.get_data(as_text=True)
    # The page's script (JSON), an added entry, a changed entry, a removal, sending.
    api = resident.post("/q/name/save",
                        json={"fields": typed, "idempotency_key": str(uuid.uuid4())})
    assert api.status_code == 403 and api.get_json() == {"error": "restricted"}
    work_entry = before[0]["work"]["entries"][0]["id"]
    added = resident.post("/q/work/add", data=ENTRIES["work"][0], headers=EN)
    assert added.status_code == 403 and REFUSED_EN in added.get_data(as_text=True)
    changed = resident.post(f"/q/work/{work_entry}", data={**ENTRIES["work"][0], "years": "9"},
                            headers=EN)
    assert changed.status_code == 403 and REFUSED_EN in changed.get_data(as_text=True)
    removed = resident.post(f"/q/work/{work_entry}/remove", headers=EN)
    assert removed.status_code == 403 and REFUSED_EN in removed.get_data(as_text=True)
    assert resident.post("/q/work").status_code == 303  # "Continue" under a list only moves on
    sent = resident.post("/submit", headers=EN)
    assert sent.status_code == 403 and REFUSED_EN in sent.get_data(as_text=True)

    assert _stored(app, rid) == before  # nothing changed, not even a time or a key

    # Lifted: saving and sending work again; restricted after sending, the copy still opens.
    _set_restricted(app, rid, False)
    assert resident.post("/q/name", data=typed).status_code == 303
    assert resident.post("/submit").status_code == 303
    _set_restricted(app, rid, True)
    for url in ("/receipt", "/copy", "/copy/download"):
        assert resident.get(url).status_code == 200, url
    assert "Zaraqx" in resident.get("/copy").get_data(as_text=True)


def test_accepting_the_privacy_notice_is_refused_while_restricted(app, world, registration_in):
    rid, code, _ = registration_in(world.centre_a)
    _set_restricted(app, rid, True)
    resident = app.test_client()
    sign_in(resident, access_codes.format_code(code))
    refused = resident.post("/privacy", data={"accept": "y"}, headers=EN)
    assert refused.status_code == 403 and REFUSED_EN in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Registration, rid).consented_at is None
