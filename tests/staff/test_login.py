"""Two-factor login, single-use TOTP codes, lock-out, sessions that end on the server."""
from __future__ import annotations

import re
import time

from selfreg import accounts, db, keys
from selfreg.crypto import totp
from selfreg.models import Role, StaffSession, User
from selfreg.staff.cookies import STAFF_COOKIE

from .conftest import PASSWORD, current_code


def _email(app, user_id):
    with app.app_context():
        return db.session().get(User, user_id).email


def test_login_needs_password_then_totp_and_sets_up_the_authenticator(app, client, world, make_user):
    user_id = make_user(Role.GUIDE, centres=[world.centre_a])
    response = client.get("/staff/")
    assert response.status_code == 200 and 'name="password"' in response.get_data(as_text=True)
    response = client.post("/staff/", data={"email": _email(app, user_id), "password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"].endswith("/staff/totp")
    # Half logged in is not logged in.
    assert client.get("/staff/home").headers["Location"].endswith("/staff/")
    page = client.get("/staff/totp").get_data(as_text=True)
    assert "<svg" in page and "secret" in page  # QR code and the key to type in
    with app.app_context():
        user = db.session().get(User, user_id)
        secret = accounts.totp_secret(keys.keyring(), user)
        assert user.totp_wrapped is not None and secret[:20] not in user.totp_wrapped
    shown = re.search(r'class="secret">([A-Z2-7]+)<', page).group(1)
    assert shown == totp.base32_secret(secret)
    response = client.post("/staff/totp", data={"code": current_code(app, user_id)})
    assert response.status_code == 303
    assert client.get("/staff/home").status_code == 200
    with app.app_context():
        assert db.session().get(User, user_id).totp_confirmed


def test_wrong_password_and_unknown_account_get_the_same_answer(app, client, world, make_user):
    user_id = make_user(Role.ADMIN)
    wrong = client.post("/staff/", data={"email": _email(app, user_id), "password": "wrong password!"})
    unknown = client.post("/staff/", data={"email": "nobody@example.no", "password": "wrong password!"})
    assert wrong.status_code == unknown.status_code == 401
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong) == strip(unknown)


def test_a_totp_code_is_accepted_only_once(app, world, make_user, login):
    user_id = make_user(Role.GUIDE, centres=[world.centre_a])
    first = app.test_client()
    login(first, user_id)
    with app.app_context():
        used_step = db.session().get(User, user_id).totp_last_step
        secret = accounts.totp_secret(keys.keyring(), db.session().get(User, user_id))
    replay = totp.code_at(secret, used_step * totp.STEP_SECONDS)
    second = app.test_client()
    second.post("/staff/", data={"email": _email(app, user_id), "password": PASSWORD})
    response = second.post("/staff/totp", data={"code": replay})
    assert response.status_code == 401
    assert second.get("/staff/home").status_code == 302


def test_codes_far_from_now_are_refused():
    secret = bytes(range(32))
    now = time.time()
    assert totp.matching_step(secret, totp.code_at(secret, now), last_step=0, now=now)
    assert totp.matching_step(secret, totp.code_at(secret, now - 30), last_step=0, now=now)
    assert totp.matching_step(secret, totp.code_at(secret, now - 120), last_step=0, now=now) is None
    assert totp.matching_step(secret, "12345", last_step=0, now=now) is None
    assert totp.matching_step(secret, "１２３４５６", last_step=0, now=now) is None


def test_repeated_failures_lock_the_account_name_for_everyone(app, world, make_user):
    user_id = make_user(Role.GUIDE, centres=[world.centre_a])
    email = _email(app, user_id)
    client = app.test_client()
    for _ in range(app.config["SELFREG_LOGIN_ATTEMPT_LIMIT"]):
        assert client.post("/staff/", data={"email": email, "password": "not it at all"}).status_code == 401
    # Now even the right password is refused, from another client too (shared in the database).
    other = app.test_client()
    response = other.post("/staff/", data={"email": email, "password": PASSWORD},
                          environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert response.status_code == 429
    assert "Try again in" in response.get_data(as_text=True) or "Prøv igjen" in response.get_data(as_text=True)


def test_wrong_totp_codes_count_towards_the_lock_out(app, world, make_user):
    user_id = make_user(Role.COUNSELLOR, region=world.region_a)
    client = app.test_client()
    client.post("/staff/", data={"email": _email(app, user_id), "password": PASSWORD})
    client.get("/staff/totp")
    for _ in range(app.config["SELFREG_LOGIN_ATTEMPT_LIMIT"]):
        assert client.post("/staff/totp", data={"code": "000000"}).status_code in (401, 429)
    response = client.post("/staff/totp", data={"code": current_code(app, user_id)})
    assert response.status_code == 429


def test_logout_ends_the_session_on_the_server(app, world, make_user, login):
    user_id = make_user(Role.ADMIN)
    client = login(app.test_client(), user_id)
    stolen = client.get_cookie(STAFF_COOKIE, path="/staff").value
    assert client.post("/staff/logout").status_code == 303
    thief = app.test_client()
    thief.set_cookie(STAFF_COOKIE, stolen, path="/staff")
    assert thief.get("/staff/home").status_code == 302
    with app.app_context():
        assert db.session().query(StaffSession).filter(StaffSession.ended_at.is_(None)).count() == 0


def test_idle_sessions_expire(app, world, make_user, login):
    user_id = make_user(Role.ADMIN)
    client = login(app.test_client(), user_id)
    with app.app_context():
        from datetime import timedelta

        row = db.session().query(StaffSession).filter(StaffSession.ended_at.is_(None)).one()
        row.last_seen_at = row.last_seen_at - timedelta(seconds=app.config["SELFREG_STAFF_IDLE_SECONDS"] + 1)
        db.session().commit()
    assert client.get("/staff/home").status_code == 302


def test_login_gives_a_new_session_token_each_step(app, world, make_user):
    user_id = make_user(Role.ADMIN)
    client = app.test_client()
    client.get("/staff/")
    client.post("/staff/", data={"email": _email(app, user_id), "password": PASSWORD})
    after_password = client.get_cookie(STAFF_COOKIE, path="/staff").value
    client.get("/staff/totp")
    client.post("/staff/totp", data={"code": current_code(app, user_id)})
    after_totp = client.get_cookie(STAFF_COOKIE, path="/staff").value
    assert after_password != after_totp


def test_staff_and_resident_cookies_are_separate(app, world, make_user, login, create_registration):
    user_id = make_user(Role.ADMIN)
    client = login(app.test_client(), user_id)
    cookie = client.get_cookie(STAFF_COOKIE, path="/staff")
    assert cookie.path == "/staff" and cookie.http_only and cookie.same_site == "Strict"
    # A resident cookie is not accepted as a staff cookie (different salt and name).
    _, code, _ = create_registration()
    resident = app.test_client()
    resident.post("/", data={"code": code})
    value = resident.get_cookie("selfreg_resident").value
    forged = app.test_client()
    forged.set_cookie(STAFF_COOKIE, value, path="/staff")
    assert forged.get("/staff/home").status_code == 302


def test_a_reset_password_must_be_changed(app, world, make_user, login):
    user_id = make_user(Role.GUIDE, centres=[world.centre_a])
    with app.app_context():
        user = db.session().get(User, user_id)
        accounts.set_password(user, PASSWORD, must_change=True)
        db.session().commit()
    client = login(app.test_client(), user_id)
    assert client.get("/staff/home").headers["Location"].endswith("/staff/password")
    response = client.post("/staff/password", data={"current": PASSWORD, "new": "short", "repeat": "short"})
    assert response.status_code == 400
    new = "a much longer new password"
    response = client.post("/staff/password", data={"current": PASSWORD, "new": new, "repeat": new})
    assert response.status_code == 303
    assert client.get("/staff/home").status_code == 200
