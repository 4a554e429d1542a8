"""Admin: centres and regions - create, rename, counts by status (no person data)."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from selfreg import db, keys, registrations
from selfreg.models import AuditEvent, Centre, Region, Registration, RegistrationStatus, Role


@pytest.fixture
def admin(app, make_user, login):
    return login(app.test_client(), make_user(Role.ADMIN))


def _details(app, action):
    with app.app_context():
        return [e.detail for e in db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def test_a_centre_lists_its_registrations_by_status_only(app, world, admin, registration_in):
    ids = [registration_in(world.centre_a)[0] for _ in range(3)]
    registration_in(world.centre_b)
    with app.app_context():
        session = db.session()
        registrations.submit(session.get(Registration, ids[0]))
        registrations.erase(session, keys.keyring(), session.get(Registration, ids[1]))
        session.commit()
    page = admin.get("/staff/admin/centres").get_data(as_text=True)
    row = re.search(r"Mottak A</a></th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td>([^<]*)</td>", row)
    # municipality, region, then new / in progress / submitted / erased
    assert cells == ["Kommune A", "Region A", "1", "0", "1", "1"]
    assert not any(rid in page for rid in ids)  # no registration ids, let alone answers
    detail = admin.get(f"/staff/admin/centres/{world.centre_a}").get_data(as_text=True)
    assert "Submitted: <strong>1</strong>" in detail


def test_creating_and_renaming_centres_and_regions(app, world, admin):
    response = admin.post("/staff/admin/regions/new", data={"region_name": " Region Nord "})
    assert response.status_code == 303
    with app.app_context():
        region = db.session().scalar(select(Region).where(Region.name == "Region Nord"))
    response = admin.post("/staff/admin/centres/new", data={
        "name": "Mottak Nord", "municipality": "Tromsø", "region": str(region.id)})
    assert response.status_code == 303
    with app.app_context():
        centre = db.session().scalar(select(Centre).where(Centre.name == "Mottak Nord"))
        assert centre.municipality == "Tromsø" and centre.region_id == region.id
    page = admin.get("/staff/admin/centres").get_data(as_text=True)
    assert "Mottak Nord" in page and "Region Nord" in page
    response = admin.post(f"/staff/admin/centres/{centre.id}", data={
        "name": "Mottak Nord-Troms", "municipality": "Tromsø", "region": str(world.region_a)})
    assert response.status_code == 303
    with app.app_context():
        centre = db.session().get(Centre, centre.id)
        assert centre.name == "Mottak Nord-Troms" and centre.region_id == world.region_a
    assert _details(app, "region.create") == [f"region {region.id}"]
    assert _details(app, "centre.create") == [f"centre {centre.id}"]
    assert _details(app, "centre.change") == [f"centre {centre.id} name, region {world.region_a}"]


def test_taken_and_missing_names_are_refused_and_the_form_keeps_what_was_typed(app, world, admin):
    response = admin.post("/staff/admin/centres/new", data={
        "name": "Mottak A", "municipality": "Somewhere typed", "region": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "A centre with that name exists already." in page
    assert 'value="Somewhere typed"' in page
    response = admin.post("/staff/admin/regions/new", data={"region_name": ""})
    assert response.status_code == 400 and "Write the region" in response.get_data(as_text=True)
    response = admin.post(f"/staff/admin/centres/{world.centre_b}", data={"name": "Mottak A"})
    assert response.status_code == 400
    response = admin.post("/staff/admin/centres/new", data={"name": "X", "region": "999"})
    assert response.status_code == 400  # not an existing region
    with app.app_context():
        assert db.session().get(Centre, world.centre_b).name == "Mottak B"
    assert _details(app, "centre.create") == [] and _details(app, "centre.change") == []
    assert admin.get("/staff/admin/centres/99999").status_code == 404


def test_the_centre_list_is_paged(app, admin):
    with app.app_context():
        db.session().add_all([Centre(name=f"Mottak {n:03d}") for n in range(60)])
        db.session().commit()
    rows = re.compile(r'href="/staff/admin/centres/\d+"')
    assert len(rows.findall(admin.get("/staff/admin/centres").get_data(as_text=True))) == 50
    assert len(rows.findall(admin.get("/staff/admin/centres?page=2").get_data(as_text=True))) == 10


def test_status_names_are_those_of_the_model():
    from selfreg.staff.admin.centres import STATUS_LABELS

    assert set(STATUS_LABELS) == {RegistrationStatus.NEW, RegistrationStatus.IN_PROGRESS,
                                  RegistrationStatus.SUBMITTED, RegistrationStatus.ERASED}
