"""Guided mode: the guide fills in with the person, on the same browser, as the guide."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from selfreg import audit, db, keys
from selfreg.models import AuditEvent, Registration, StaffSession, utcnow
from selfreg.resident.auth import GUIDED_BY, GUIDED_SESSION
from selfreg.storage import PersonalStore
from tests.resident.walk import path_of, sign_in

NAME = {"given_names": "Amina", "family_name": "Haile"}


def _events(app, action):
    with app.app_context():
        return [(e.user_id, e.registration_id, e.detail) for e in db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def _changed_by(app, registration_id):
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        return PersonalStore(db.session(), keys.keyring()).changed_by(registration)


def _start(client, registration_id, language="ar"):
    return client.post(f"/staff/guide/{registration_id}/guided", data={"language": language})


def _guided(app, client, world, make_user, login, registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    rid, code, _ = registration_in(world.centre_a)
    login(client, guide)
    response = _start(client, rid)
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/privacy?lang=ar")
    return guide, rid, code


def test_saves_in_guided_mode_are_the_guides(app, client, world, make_user, login,
                                             registration_in):
    guide, rid, _ = _guided(app, client, world, make_user, login, registration_in)
    page = client.get("/privacy?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in page  # the person's language
    assert "Guided mode" in page
    assert client.post("/privacy", data={"accept": "y"}).status_code == 303
    assert client.post("/q/name", data=NAME).status_code == 303
    # The JSON save (JavaScript, offline replays) goes the same way.
    saved = client.post("/q/birth/save", json={"fields": {"birth_date__year": "1990"}})
    assert saved.status_code == 200, saved.get_data(as_text=True)
    assert _changed_by(app, rid) == {"name": guide, "birth": guide}
    assert _events(app, audit.Action.GUIDED_START) == [(guide, rid, "ar")]
    assert _events(app, audit.Action.GUIDED_SAVE) == [(guide, rid, "name"), (guide, rid, "birth")]
    with app.app_context():
        assert db.session().get(Registration, rid).locale == "ar"
        assert audit.verify(db.session()).intact


def test_banner_says_guided_mode_and_ends_it(app, client, world, make_user, login,
                                             registration_in):
    guide, rid, _ = _guided(app, client, world, make_user, login, registration_in)
    client.post("/privacy", data={"accept": "y"})
    page = client.get("/q/name").get_data(as_text=True)
    banner = re.search(r'<div class="notice guided-banner" lang="(\w+)".*?</div>', page, re.S)
    assert banner and banner.group(1) == "en"  # the guide's staff language, not the person's
    assert "End guided mode" in banner.group(0) and f"{rid[:4].upper()} {rid[4:8].upper()}" in banner.group(0)
    fields = dict(re.findall(r'name="(registration_id|guided_token)" value="([^"]+)"',
                             banner.group(0)))
    # Without the banner's token (e.g. a forged form), nothing ends.
    assert client.post("/staff/guide/guided/end", data={"registration_id": rid}).status_code == 400
    response = client.post("/staff/guide/guided/end", data=fields)
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/staff/guide/{rid}")
    assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
    status_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Guided mode has ended" in status_page
    # The residents' session is gone from this browser.
    assert path_of(client.get("/q/name")) == "/"
    assert _events(app, audit.Action.GUIDED_END) == [(guide, rid, "")]


def test_logging_out_of_staff_ends_guided_mode(app, client, world, make_user, login,
                                               registration_in):
    guide, rid, _ = _guided(app, client, world, make_user, login, registration_in)
    client.post("/privacy", data={"accept": "y"})
    assert client.post("/staff/logout").status_code == 303
    response = client.post("/q/name", data=NAME)
    assert path_of(response) == "/"
    assert path_of(client.get("/continue")) == "/"  # the residents' session was cleared
    assert _changed_by(app, rid) == {}
    assert _events(app, audit.Action.GUIDED_SAVE) == []
    assert _events(app, audit.Action.GUIDED_END) == [(guide, rid, "staff session ended")]


def test_an_idle_staff_session_ends_guided_mode(app, client, world, make_user, login,
                                                registration_in):
    guide, rid, _ = _guided(app, client, world, make_user, login, registration_in)
    with app.app_context():
        for row in db.session().scalars(select(StaffSession).where(StaffSession.user_id == guide)):
            row.last_seen_at = utcnow() - timedelta(hours=2)
        db.session().commit()
    assert path_of(client.get("/privacy")) == "/"


def test_a_resident_cookie_alone_cannot_be_guided(app, client, world, make_user, login,
                                                  registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    other_guide = make_user("guide", centres=[world.centre_b])
    rid, code, _ = registration_in(world.centre_a)
    # The guide of another centre is logged in somewhere: their live session does not help.
    staff = app.test_client()
    login(staff, other_guide)
    with app.app_context():
        other_session = db.session().scalar(
            select(StaffSession.id).where(StaffSession.user_id == other_guide,
                                          StaffSession.ended_at.is_(None)))
    resident = app.test_client()
    sign_in(resident, code)
    resident.post("/privacy", data={"accept": "y"})
    assert resident.post("/q/name", data=NAME).status_code == 303
    assert _changed_by(app, rid) == {"name": None}  # the person's own answer
    for guided_by, session_id in ((guide, 10**6), (guide, other_session),
                                  (other_guide, other_session), ("1", "1")):
        sign_in(resident, code)
        with resident.session_transaction() as session:
            session[GUIDED_BY] = guided_by
            session[GUIDED_SESSION] = session_id
        response = resident.post("/q/birth", data={"birth_date__year": "1990"})
        assert path_of(response) == "/", (guided_by, session_id)
        assert "Guided mode" not in resident.get("/").get_data(as_text=True)
    assert _changed_by(app, rid) == {"name": None}
    assert _events(app, audit.Action.GUIDED_SAVE) == []


def test_guided_mode_needs_an_open_registration(app, client, world, make_user, login,
                                                registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    rid, _, _ = registration_in(world.centre_a)
    with app.app_context():
        db.session().get(Registration, rid).status = "submitted"
        db.session().commit()
    login(client, guide)
    response = _start(client, rid)
    assert response.status_code == 303 and response.headers["Location"].endswith(rid)
    assert "Reopen it first" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert "selfreg_resident=" not in response.headers.get("Set-Cookie", "")
    assert _events(app, audit.Action.GUIDED_START) == []
