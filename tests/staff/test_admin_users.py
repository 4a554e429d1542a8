"""Admin: users - create with a one-time temporary password, edit, resets, deactivation."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import select

from selfreg import audit, db
from selfreg.crypto import totp
from selfreg.models import AuditEvent, Role, StaffSession, User

from .conftest import current_code


@pytest.fixture
def admin(app, make_user, login):
    """(client logged in as an admin, the admin's id)."""
    admin_id = make_user(Role.ADMIN, email="admin@example.no")
    return login(app.test_client(), admin_id), admin_id


def _user(app, email):
    with app.app_context():
        return db.session().scalar(select(User).where(User.email == email))


def _events(app, action):
    with app.app_context():
        return list(db.session().scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _login_with(app, client, user_id, email, password):
    """Password and TOTP (setting up the authenticator when needed); returns the TOTP page."""
    client.set_cookie("selfreg_staff_lang", "en", path="/staff")
    response = client.post("/staff/", data={"email": email, "password": password})
    assert response.status_code == 303, response.status_code
    page = client.get("/staff/totp").get_data(as_text=True)
    with app.app_context():
        last = db.session().get(User, user_id).totp_last_step
    offset = 0 if last < int(time.time()) // totp.STEP_SECONDS else 1
    response = client.post("/staff/totp",
                           data={"code": current_code(app, user_id, offset_steps=offset)})
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    return page


def test_the_list_shows_users_with_role_scope_and_second_factor(app, world, make_user, admin):
    client, _ = admin
    make_user(Role.GUIDE, centres=[world.centre_a], email="guide@example.no")
    make_user(Role.COUNSELLOR, region=world.region_b, email="coun@example.no")
    page = client.get("/staff/admin/users").get_data(as_text=True)
    assert "guide@example.no" in page and "Mottak A" in page
    assert "coun@example.no" in page and "Region B" in page
    assert "Second factor set up" in page
    # The logged-in admin has a confirmed second factor and a last login.
    row = re.search(r"admin@example\.no</a></th>(.*?)</tr>", page, re.S).group(1)
    assert "yes" in row and re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", row)


def test_the_user_list_is_paged_by_fifty(app, admin):
    client, _ = admin
    with app.app_context():
        # Rows straight in: hashing 55 passwords would only slow the test down.
        db.session().add_all([User(email=f"a{n:02d}@example.no", role=Role.ADMIN,
                                   password_hash="x") for n in range(55)])
        db.session().commit()
    rows = re.compile(r'href="/staff/admin/users/\d+"')
    first = client.get("/staff/admin/users").get_data(as_text=True)
    assert len(rows.findall(first)) == 50 and "Page 1 of 2" in first
    second = client.get("/staff/admin/users?page=2").get_data(as_text=True)
    assert len(rows.findall(second)) == 6 and "Page 2 of 2" in second  # 56 users in all


def test_creating_a_user_shows_the_temporary_password_once_and_forces_a_change(
        app, world, admin):
    client, admin_id = admin
    response = client.post("/staff/admin/users/new", data={
        "email": " New.Guide@Example.no ", "role": Role.GUIDE,
        "centres": [str(world.centre_a), str(world.centre_b)], "region": "",
    })
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    password = re.search(r'id="temporary-password">([0-9a-f]+)<', page).group(1)
    user = _user(app, "new.guide@example.no")
    assert user.must_change_password and user.role == Role.GUIDE and user.active
    with app.app_context():
        assert sorted(c.id for c in db.session().get(User, user.id).centres) == sorted(
            [world.centre_a, world.centre_b])
        assert password not in db.session().get(User, user.id).password_hash
    # Not shown again anywhere.
    assert password not in client.get(f"/staff/admin/users/{user.id}").get_data(as_text=True)
    assert password not in client.get("/staff/admin/users").get_data(as_text=True)
    events = _events(app, audit.Action.USER_CREATE)
    assert [e.detail for e in events] == [f"user {user.id} guide"]
    assert events[0].user_id == admin_id and password not in events[0].detail
    # The new user logs in with it, sets up TOTP, and must change the password first.
    newcomer = app.test_client()
    totp_page = _login_with(app, newcomer, user.id, "new.guide@example.no", password)
    assert "<svg" in totp_page  # the authenticator is set up at the first login
    assert newcomer.get("/staff/home").headers["Location"].endswith("/staff/password")
    new = "my own long password"
    assert newcomer.post("/staff/password", data={
        "current": password, "new": new, "repeat": new}).status_code == 303
    assert newcomer.get("/staff/home").status_code == 200


def test_validation_errors_keep_what_was_typed(app, world, admin, make_user):
    client, _ = admin
    # A guide without a centre.
    response = client.post("/staff/admin/users/new", data={
        "email": "typed@example.no", "role": Role.GUIDE, "region": str(world.region_a)})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose at least one reception centre for a guide." in page
    assert 'value="typed@example.no"' in page
    assert re.search(r'value="guide"[^>]*checked|checked[^>]*value="guide"', page)
    # A counsellor without a region; the chosen centre stays ticked.
    response = client.post("/staff/admin/users/new", data={
        "email": "typed@example.no", "role": Role.COUNSELLOR, "centres": [str(world.centre_b)]})
    page = response.get_data(as_text=True)
    assert "Choose the region of a career counsellor." in page
    assert re.search(rf'checked[^>]*value="{world.centre_b}"|value="{world.centre_b}"[^>]*checked', page)
    # A bad and a taken address.
    response = client.post("/staff/admin/users/new", data={"email": "not-an-address", "role": Role.ADMIN})
    assert response.status_code == 400 and 'value="not-an-address"' in response.get_data(as_text=True)
    make_user(Role.ADMIN, email="taken@example.no")
    response = client.post("/staff/admin/users/new", data={"email": "TAKEN@example.no", "role": Role.ADMIN})
    assert "exists already" in response.get_data(as_text=True)
    assert _user(app, "typed@example.no") is None
    assert _events(app, audit.Action.USER_CREATE) == []


def test_editing_role_centres_and_region_is_audited(app, world, admin, make_user):
    client, _ = admin
    user_id = make_user(Role.GUIDE, centres=[world.centre_a])
    page = client.get(f"/staff/admin/users/{user_id}").get_data(as_text=True)
    assert re.search(rf'checked[^>]*value="{world.centre_a}"|value="{world.centre_a}"[^>]*checked', page)
    response = client.post(f"/staff/admin/users/{user_id}", data={
        "role": Role.COUNSELLOR, "region": str(world.region_b), "centres": [str(world.centre_a)]})
    assert response.status_code == 303
    with app.app_context():
        user = db.session().get(User, user_id)
        assert user.role == Role.COUNSELLOR and user.region_id == world.region_b
        assert user.centres == []  # a counsellor has no centres of their own
    details = [e.detail for e in _events(app, audit.Action.USER_CHANGE)]
    assert details == [f"user {user_id} role counsellor, centres 0, region {world.region_b}"]


def test_an_admin_cannot_demote_or_deactivate_themselves(app, admin):
    client, admin_id = admin
    response = client.post(f"/staff/admin/users/{admin_id}", data={"role": Role.GUIDE,
                                                                     "centres": []})
    # Refused either way: a guide needs a centre, and one's own role is not changeable.
    assert response.status_code == 400
    response = client.post(f"/staff/admin/users/{admin_id}", data={"role": Role.COUNSELLOR,
                                                                     "region": ""})
    assert response.status_code == 400
    with app.app_context():
        region_id = db.session().scalar(select(User.region_id).where(User.id == admin_id))
    assert region_id is None
    from selfreg.models import Region

    with app.app_context():
        region = Region(name="Somewhere")
        db.session().add(region)
        db.session().commit()
        region_id = region.id
    response = client.post(f"/staff/admin/users/{admin_id}", data={"role": Role.COUNSELLOR,
                                                                     "region": str(region_id)})
    assert response.status_code == 400
    assert "You cannot change your own role" in response.get_data(as_text=True)
    response = client.post(f"/staff/admin/users/{admin_id}/deactivate")
    assert response.status_code == 400
    assert "You cannot deactivate yourself" in response.get_data(as_text=True)
    with app.app_context():
        me = db.session().get(User, admin_id)
        assert me.role == Role.ADMIN and me.active
    assert client.get("/staff/admin/users").status_code == 200
    assert _events(app, audit.Action.USER_CHANGE) == []


def test_deactivation_ends_the_users_sessions(app, world, admin, make_user, login):
    client, admin_id = admin
    user_id = make_user(Role.GUIDE, centres=[world.centre_a])
    victim = login(app.test_client(), user_id)
    assert victim.get("/staff/home").status_code == 200
    response = client.post(f"/staff/admin/users/{user_id}/deactivate")
    assert response.status_code == 303
    with app.app_context():
        sessions = db.session().scalars(select(StaffSession).where(StaffSession.user_id == user_id)).all()
        assert sessions and all(s.ended_at is not None for s in sessions)
        assert not db.session().get(User, user_id).active
    response = victim.get("/staff/home")
    assert response.status_code == 302 and response.headers["Location"].endswith("/staff/")
    # And the password no longer logs in.
    from .conftest import PASSWORD

    with app.app_context():
        email = db.session().get(User, user_id).email
    assert app.test_client().post("/staff/", data={"email": email, "password": PASSWORD}).status_code == 401
    assert [e.detail for e in _events(app, audit.Action.USER_CHANGE)] == [f"user {user_id} deactivated"]
    # Reactivated, they can log in again.
    assert client.post(f"/staff/admin/users/{user_id}/reactivate").status_code == 303
    assert login(app.test_client(), user_id).get("/staff/home").status_code == 200


def test_password_reset_gives_a_new_temporary_password(app, world, admin, make_user, login):
    client, _ = admin
    user_id = make_user(Role.COUNSELLOR, region=world.region_a)
    old_client = login(app.test_client(), user_id)
    response = client.post(f"/staff/admin/users/{user_id}/password")
    assert response.status_code == 200
    password = re.search(r'id="temporary-password">([0-9a-f]+)<',
                         response.get_data(as_text=True)).group(1)
    assert old_client.get("/staff/home").status_code == 302  # logged out
    with app.app_context():
        user = db.session().get(User, user_id)
        assert user.must_change_password
        email = user.email
    fresh = app.test_client()
    totp_page = _login_with(app, fresh, user_id, email, password)
    assert "<svg" not in totp_page  # the second factor stays as it was
    assert fresh.get("/staff/home").headers["Location"].endswith("/staff/password")
    assert [e.detail for e in _events(app, audit.Action.PASSWORD_RESET)] == [f"user {user_id}"]


def test_resetting_the_second_factor_sets_it_up_again_at_the_next_login(app, world, admin,
                                                                        make_user, login):
    client, _ = admin
    user_id = make_user(Role.GUIDE, centres=[world.centre_b])
    login(app.test_client(), user_id)
    with app.app_context():
        assert db.session().get(User, user_id).totp_confirmed
    response = client.post(f"/staff/admin/users/{user_id}/second-factor")
    assert response.status_code == 303
    assert "sets up the authenticator app again" in client.get(
        response.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        user = db.session().get(User, user_id)
        assert not user.totp_confirmed and user.totp_wrapped is None
        email = user.email
    from .conftest import PASSWORD

    fresh = app.test_client()
    assert "<svg" in _login_with(app, fresh, user_id, email, PASSWORD)
    assert fresh.get("/staff/home").status_code == 200
    details = [e.detail for e in _events(app, audit.Action.USER_CHANGE)]
    assert details == [f"user {user_id} second factor reset"]


def test_unknown_user_ids_are_404(admin):
    client, _ = admin
    assert client.get("/staff/admin/users/99999").status_code == 404
    assert client.post("/staff/admin/users/99999/password").status_code == 404
