"""The guide's dashboard: counts, status, sections, filters, pages, and no personal data."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from selfreg import audit, db, keys, registrations
from selfreg.models import AuditEvent, Centre, Registration, RegistrationStatus, utcnow
from selfreg.storage import PersonalStore


def _set(app, registration_id, **fields):
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        for name, value in fields.items():
            setattr(registration, name, value)
        db.session().commit()


def _save(app, registration_id, answers: dict):
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        store = PersonalStore(db.session(), keys.keyring())
        for step, values in answers.items():
            store.save_step(registration, step, values)
        db.session().commit()


def _events(app, action):
    with app.app_context():
        return [(e.user_id, e.registration_id, e.detail) for e in db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def _rows(page: str) -> list[str]:
    return re.findall(r'<span class="reference">([0-9A-F]{4} [0-9A-F]{4})</span>', page)


def _ref(registration_id: str) -> str:
    """The reference as guides and counsellors alike see it: "3F9A 0C21"."""
    return f"{registration_id[:4].upper()} {registration_id[4:8].upper()}"


ABOUT = {
    "name": {"given_names": "Amina", "family_name": "Haile"},
    "birth": {"birth_date": "1990"},
    "origin": {"country_of_origin": "ER", "duf_number": "202312345678"},
    "contact": {"phone": None, "municipality": None},
}


def test_counts_statuses_sections_and_no_personal_data(app, client, world, make_user, login,
                                                       registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    new, _, _ = registration_in(world.centre_a)
    started, _, _ = registration_in(world.centre_a)
    sent, _, _ = registration_in(world.centre_a)
    exported, _, _ = registration_in(world.centre_a)
    elsewhere, _, _ = registration_in(world.centre_b)
    _save(app, started, ABOUT)
    _set(app, started, status=RegistrationStatus.IN_PROGRESS,
         updated_at=utcnow() - timedelta(days=3, hours=1))
    _set(app, sent, status=RegistrationStatus.SUBMITTED, submitted_at=utcnow())
    _set(app, exported, status=RegistrationStatus.SUBMITTED, submitted_at=utcnow(),
         exported_at=utcnow())
    login(client, guide)
    response = client.get("/staff/guide")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    for label in ("Not started", "In progress", "Submitted", "Exported"):
        assert f"{label}: <strong>1</strong>" in page
    assert sorted(_rows(page)) == sorted(_ref(r) for r in (new, started, sent, exported))
    assert _ref(elsewhere) not in page
    assert "1 of 9 sections" in page  # the "About you" section is done
    assert "3 days ago" in page
    # Names, birth dates and DUF numbers never appear in the list.
    for secret in ("Amina", "Haile", "1990", "202312345678"):
        assert secret not in page
    assert _events(app, audit.Action.REGISTRATION_LIST) == [(guide, None, "page 1, 4 rows")]
    assert _events(app, audit.Action.REGISTRATION_VIEW) == []


def test_filters_by_status_centre_and_inactivity(app, client, world, make_user, login,
                                                 registration_in):
    guide = make_user("guide", centres=[world.centre_a, world.centre_b])
    quiet, _, _ = registration_in(world.centre_a)
    busy, _, _ = registration_in(world.centre_a)
    other, _, _ = registration_in(world.centre_b)
    _set(app, quiet, status=RegistrationStatus.IN_PROGRESS,
         updated_at=utcnow() - timedelta(days=10))
    _set(app, other, status=RegistrationStatus.SUBMITTED)
    login(client, guide)
    page = client.get("/staff/guide").get_data(as_text=True)
    assert sorted(_rows(page)) == sorted(_ref(r) for r in (quiet, busy, other))
    page = client.get("/staff/guide?status=in_progress").get_data(as_text=True)
    assert _rows(page) == [_ref(quiet)]
    page = client.get("/staff/guide?status=submitted").get_data(as_text=True)
    assert _rows(page) == [_ref(other)]
    page = client.get(f"/staff/guide?centre={world.centre_a}").get_data(as_text=True)
    assert sorted(_rows(page)) == sorted(_ref(r) for r in (quiet, busy))
    assert "Submitted: <strong>0</strong>" in page  # counts follow the centre chosen
    page = client.get("/staff/guide?inactive=5").get_data(as_text=True)
    assert _rows(page) == [_ref(quiet)]
    bad = client.get("/staff/guide?inactive=abc&status=nonsense").get_data(as_text=True)
    assert "Write a number of days" in bad
    assert len(_rows(bad)) == 3  # invalid filters are ignored, not guessed


def test_a_centre_the_guide_does_not_have_is_not_a_filter(app, client, world, make_user, login,
                                                         registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    registration_in(world.centre_b)
    login(client, guide)
    page = client.get(f"/staff/guide?centre={world.centre_b}").get_data(as_text=True)
    assert _rows(page) == []
    assert "Mottak B" not in page


def test_fifty_per_page(app, client, world, make_user, login):
    guide = make_user("guide", centres=[world.centre_a])
    with app.app_context():
        centre = db.session().get(Centre, world.centre_a)
        registrations.create_registrations(db.session(), keys.keyring(), centre, 55)
        db.session().commit()
    login(client, guide)
    first = client.get("/staff/guide").get_data(as_text=True)
    assert len(_rows(first)) == 50
    assert "Page 1 of 2" in first and 'href="/staff/guide?page=2"' in first
    second = client.get("/staff/guide?page=2").get_data(as_text=True)
    assert len(_rows(second)) == 5
    assert not set(_rows(first)) & set(_rows(second))
    filtered = client.get("/staff/guide?status=new&page=2").get_data(as_text=True)
    assert 'href="/staff/guide?status=new&amp;page=1"' in filtered
    assert [detail for _, _, detail in _events(app, audit.Action.REGISTRATION_LIST)] == [
        "page 1, 50 rows", "page 2, 5 rows", "page 2, 5 rows"]
    with app.app_context():
        assert audit.verify(db.session()).intact


def test_only_guides_see_it(client, world, make_user, login):
    counsellor = make_user("counsellor", region=world.region_a)
    login(client, counsellor)
    assert client.get("/staff/guide").status_code == 404
    assert client.get("/staff/guide/new").status_code == 404
