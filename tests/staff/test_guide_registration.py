"""One registration: scope, status page, reopen, identity corrections, erasure, duplicates."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from selfreg import audit, db, keys
from selfreg.models import Answer, AuditEvent, Registration, RegistrationStatus
from selfreg.storage import ErasedError, PersonalStore
from tests.resident.walk import accept_privacy, sign_in, walk


def _events(app, action):
    with app.app_context():
        return [(e.user_id, e.registration_id, e.detail) for e in db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def _save(app, registration_id, answers: dict):
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        store = PersonalStore(db.session(), keys.keyring())
        for step, values in answers.items():
            store.save_step(registration, step, values)
        db.session().commit()


def _chain_intact(app) -> bool:
    with app.app_context():
        return audit.verify(db.session()).intact


IDENTITY = {
    "name": {"given_names": "Amina", "family_name": "Haile"},
    "birth": {"birth_date": "1990-04-02"},
    "origin": {"country_of_origin": "ER", "duf_number": "202312345678"},
}


def test_every_guide_route_is_404_outside_the_guides_centres(app, client, world, make_user,
                                                            login, registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    theirs, _, _ = registration_in(world.centre_b)
    _save(app, theirs, IDENTITY)
    login(client, guide)
    checked = 0
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/staff/guide/<registration_id>"):
            continue
        url = rule.rule.replace("<registration_id>", theirs).replace("<step_key>", "name")
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, data={
                "given_names": "X", "family_name": "Y", "language": "nb"})
            assert response.status_code == 404, (method, url, response.status_code)
            assert "Amina" not in response.get_data(as_text=True)
            checked += 1
    assert checked >= 7
    # The end of guided mode, the slips and a made-up id: 404 too, never another's data.
    assert client.get("/staff/guide/" + "0" * 32).status_code == 404
    with app.app_context():
        registration = db.session().get(Registration, theirs)
        assert registration.status == RegistrationStatus.NEW and registration.wrapped_dek
    assert _events(app, audit.Action.REGISTRATION_VIEW) == []


def test_other_roles_cannot_use_guide_routes(app, client, world, make_user, login,
                                             registration_in):
    rid, _, _ = registration_in(world.centre_a)
    counsellor = make_user("counsellor", region=world.region_a)
    login(client, counsellor)
    assert client.get(f"/staff/guide/{rid}").status_code == 404
    assert client.post(f"/staff/guide/{rid}/erase").status_code == 404
    admin_client = app.test_client()
    login(admin_client, make_user("admin"))
    assert admin_client.get(f"/staff/guide/{rid}/identity/name").status_code == 404


def test_status_page_shows_identity_and_is_audited(app, client, world, make_user, login,
                                                   registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    rid, _, _ = registration_in(world.centre_a)
    _save(app, rid, IDENTITY)
    login(client, guide)
    page = client.get(f"/staff/guide/{rid}").get_data(as_text=True)
    for shown in ("Amina", "Haile", "April 2, 1990", "Eritrea", "202312345678",
                  f"{rid[:4].upper()} {rid[4:8].upper()}",
                  "Not started", "0 of 9 sections"):
        assert shown in page, shown
    assert "Possible duplicate" not in page
    assert _events(app, audit.Action.REGISTRATION_VIEW) == [(guide, rid, "")]


def test_reopen_a_submitted_registration(app, client, world, make_user, login, registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    rid, code, _ = registration_in(world.centre_a)
    resident = app.test_client()
    sign_in(resident, code)
    accept_privacy(resident)
    walk(resident)
    assert resident.post("/submit").status_code == 303
    login(client, guide)
    page = client.get(f"/staff/guide/{rid}").get_data(as_text=True)
    assert "Submitted" in page and "9 of 9 sections" in page
    response = client.post(f"/staff/guide/{rid}/reopen")
    assert response.status_code == 303
    assert "is open again" in client.get(response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        registration = db.session().get(Registration, rid)
        assert registration.status == RegistrationStatus.IN_PROGRESS
        assert registration.submitted_at is None
    # The person can change answers again instead of seeing the receipt.
    assert resident.get("/q/name").status_code == 200
    # Reopening what is not submitted changes nothing and records nothing more.
    client.post(f"/staff/guide/{rid}/reopen")
    assert _events(app, audit.Action.REGISTRATION_REOPEN) == [(guide, rid, "")]
    assert _chain_intact(app)


def test_identity_correction_validates_like_the_questionnaire(app, client, world, make_user,
                                                              login, registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    rid, _, _ = registration_in(world.centre_a)
    _save(app, rid, IDENTITY)
    login(client, guide)
    form = client.get(f"/staff/guide/{rid}/identity/birth").get_data(as_text=True)
    assert 'value="1990"' in form and 'name="revision" value="1"' in form
    bad = client.post(f"/staff/guide/{rid}/identity/birth", data={
        "birth_date__year": "19x0", "birth_date__month": "13", "revision": "1"})
    assert bad.status_code == 400
    page = bad.get_data(as_text=True)
    assert "Write the year with 4 digits" in page and 'value="19x0"' in page
    assert 'value="13"' in page  # what was typed stays
    bad_duf = client.post(f"/staff/guide/{rid}/identity/origin", data={
        "country_of_origin": "ER", "duf_number": "12ab", "revision": "1"})
    assert bad_duf.status_code == 400 and 'value="12ab"' in bad_duf.get_data(as_text=True)
    good = client.post(f"/staff/guide/{rid}/identity/birth", data={
        "birth_date__year": "1991", "birth_date__month": "", "birth_date__day": "",
        "revision": "1"})
    assert good.status_code == 303
    with app.app_context():
        registration = db.session().get(Registration, rid)
        store = PersonalStore(db.session(), keys.keyring())
        assert store.load_step(registration, "birth").values == {"birth_date": "1991"}
        assert store.changed_by(registration) == {"name": None, "birth": guide, "origin": None}
    page = client.get(f"/staff/guide/{rid}").get_data(as_text=True)
    assert "Last changed by staff" in page
    # A page opened before that change cannot silently overwrite it.
    stale = client.post(f"/staff/guide/{rid}/identity/birth", data={
        "birth_date__year": "1980", "revision": "1"})
    assert stale.status_code == 409 and 'value="1980"' in stale.get_data(as_text=True)
    assert client.get(f"/staff/guide/{rid}/identity/contact").status_code == 404
    assert _events(app, audit.Action.IDENTITY_CORRECT) == [(guide, rid, "birth")]
    assert _chain_intact(app)


def test_erase_after_confirmation(app, client, world, make_user, login, registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    rid, code, _ = registration_in(world.centre_a)
    _save(app, rid, IDENTITY)
    login(client, guide)
    confirm = client.get(f"/staff/guide/{rid}/erase")
    assert confirm.status_code == 200 and "Yes, erase it" in confirm.get_data(as_text=True)
    with app.app_context():
        assert db.session().get(Registration, rid).wrapped_dek is not None  # not yet
    response = client.post(f"/staff/guide/{rid}/erase")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "is erased" in page and "next scheduled purge" in page
    with app.app_context():
        registration = db.session().get(Registration, rid)
        assert registration.status == RegistrationStatus.ERASED
        assert db.session().scalars(select(Answer).where(Answer.registration_id == rid)).all() == []
        with pytest.raises(ErasedError):
            PersonalStore(db.session(), keys.keyring()).load_all(registration)
    assert client.get(f"/staff/guide/{rid}").status_code == 404
    assert app.test_client().post("/", data={"code": code}).status_code == 400  # code is dead
    assert _events(app, audit.Action.REGISTRATION_ERASE) == [(guide, rid, "")]
    assert _chain_intact(app)


def test_duplicate_warning_names_only_the_guides_own(app, client, world, make_user, login,
                                                     registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    mine, _, _ = registration_in(world.centre_a)
    same_centre, _, _ = registration_in(world.centre_a)
    other_centre, _, _ = registration_in(world.centre_b)
    unrelated, _, _ = registration_in(world.centre_a)
    _save(app, mine, IDENTITY)
    _save(app, other_centre, {"origin": {"country_of_origin": "SY", "duf_number": "202312345678"},
                              "name": {"given_names": "Other", "family_name": "Person"}})
    _save(app, unrelated, {"name": {"given_names": "Someone", "family_name": "Else"},
                           "birth": {"birth_date": "1970"}})
    login(client, guide)
    page = client.get(f"/staff/guide/{mine}").get_data(as_text=True)
    assert "Possible duplicate" in page and "same DUF number" in page
    assert "same name and date of birth" not in page
    assert "It is not in your centres" in page
    for secret in ("Other", "Person", "Mottak B", other_centre[:8]):
        assert secret not in page
    # The same name and date of birth in the guide's own centre: named, with a link.
    _save(app, same_centre, {"name": IDENTITY["name"], "birth": IDENTITY["birth"]})
    page = client.get(f"/staff/guide/{mine}").get_data(as_text=True)
    assert "same name and date of birth" in page
    assert f'href="/staff/guide/{same_centre}"' in page and other_centre not in page
    listing = client.get("/staff/guide").get_data(as_text=True)
    assert listing.count("Possible duplicate") == 2  # mine and same_centre, not unrelated
    alone = client.get(f"/staff/guide/{unrelated}").get_data(as_text=True)
    assert "Possible duplicate" not in alone
