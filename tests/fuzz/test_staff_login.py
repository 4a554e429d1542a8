"""Hostile input at the staff login: e-mail and password, the second factor (also while setting
it up), the own password change, and the staff language choice."""
from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from selfreg import accounts, db
from selfreg.models import User

from ..staff.conftest import PASSWORD, current_code
from .hostile import extra_fields, fuzz_settings, hostile_text
from .support import assert_answered, assert_form_refused, too_large

EMAIL = "guide@example.no"


def _first(pairs, name):
    return next((value for field, value in pairs if field == name), None)


def _unlimited(app) -> None:
    """Reach the checks rather than the lock-out (which tests/staff/test_login.py covers)."""
    app.config["SELFREG_LOGIN_ATTEMPT_LIMIT"] = 10**6


@pytest.fixture
def account(world, make_user) -> int:
    """A guide with the address EMAIL (made once per test, for all its examples)."""
    return make_user("guide", centres=[world.centre_a], email=EMAIL)


@fuzz_settings(6)
@given(email=st.one_of(st.sampled_from([EMAIL, " GUIDE@example.NO ", "guide@example.no\x00"]),
                       hostile_text(40)),
       password=st.one_of(st.just(PASSWORD), hostile_text(40)),
       twice=st.booleans(), extras=extra_fields())
@example(email="a\x00@example.no", password="\x00", twice=False, extras=[])
def test_password_step(app, client, account, email, password, twice, extras):
    """Only the right address (as normalised: case, ends, control characters) and password log
    in; anything else is refused with a message."""
    _unlimited(app)
    client.post("/staff/logout")
    pairs = [("email", email), ("password", password)] * (2 if twice else 1) + extras
    response = client.post("/staff/", data=MultiDict(pairs))
    body = assert_answered(response)
    right = (accounts.normalise_email(email) == EMAIL and password == PASSWORD
             and len(email) <= 254 and not too_large(pairs))
    if right:
        assert response.status_code == 303
    else:
        assert_form_refused(response, body, (400, 401))
        assert client.get("/staff/totp").status_code == 302  # back to the login page


@pytest.fixture
def guides(app, world, make_user, login) -> dict[bool, int]:
    """Two guides, made once per test: {set up the authenticator already: user id}."""
    enrolled = make_user("guide", centres=[world.centre_a])
    login(app.test_client(), enrolled)
    return {True: enrolled, False: make_user("guide", centres=[world.centre_a])}


def _fresh_second_factor(app, user_id: int, enrolled: bool) -> str:
    """Let this example's codes count again (each code works once); returns the e-mail."""
    with app.app_context():
        user = db.session().get(User, user_id)
        if enrolled:
            user.totp_last_step = 0
        else:
            accounts.reset_totp(user)
        db.session().commit()
        return user.email


@fuzz_settings(6)
@given(code=hostile_text(20), extras=extra_fields(), enrolled=st.booleans())
@example(code="١٢٣٤٥٦", extras=[], enrolled=False)
@example(code="123 456\x00", extras=[("code", "000000")], enrolled=True)
def test_second_factor(app, client, guides, code, extras, enrolled):
    """Wrong codes (also while setting up the authenticator) never log in; the right one does."""
    _unlimited(app)
    client.post("/staff/logout")
    user_id = guides[enrolled]
    email = _fresh_second_factor(app, user_id, enrolled)
    assert client.post("/staff/", data={"email": email, "password": PASSWORD}).status_code == 303
    assert client.get("/staff/totp").status_code == 200
    response = client.post("/staff/totp", data=MultiDict([("code", code), *extras]))
    body = assert_answered(response)
    assert_form_refused(response, body, (400, 401))
    assert client.get("/staff/home").status_code == 302
    right = client.post("/staff/totp", data={"code": current_code(app, user_id)})
    assert right.status_code == 303


@fuzz_settings(5)
@given(current=st.one_of(st.just(PASSWORD), hostile_text(30)),
       new=st.one_of(st.just("a new password that is long"), hostile_text(300)),
       repeat_same=st.booleans(), extras=extra_fields())
@example(current=PASSWORD, new="\x00" * 12, repeat_same=True, extras=[])
def test_own_password_change(app, client, guides, current, new, repeat_same, extras):
    user_id = guides[True]
    if client.get("/staff/home").status_code != 200:
        _login_again(app, client, user_id)
    with app.app_context():
        email = db.session().get(User, user_id).email
    repeat = new if repeat_same else new + "x"
    response = client.post("/staff/password", data=MultiDict(
        [("current", current), ("new", new), ("repeat", repeat), *extras]))
    body = assert_answered(response)
    with app.app_context():
        session = db.session()
        if response.status_code == 303:
            assert current == PASSWORD and repeat_same
            assert accounts.find_by_password(session, email, new) is not None
            accounts.set_password(session.get(User, user_id), PASSWORD)
            session.commit()
        else:
            assert_form_refused(response, body)
            assert accounts.find_by_password(session, email, PASSWORD) is not None


def _login_again(app, client, user_id: int) -> None:
    email = _fresh_second_factor(app, user_id, True)
    client.post("/staff/", data={"email": email, "password": PASSWORD})
    assert client.post("/staff/totp", data={"code": current_code(app, user_id)}).status_code == 303


@fuzz_settings(8)
@given(lang=hostile_text(12), cookie=hostile_text(12),
       path=st.sampled_from(["/staff/", "/staff/totp", "/staff/home", "/staff/password"]))
def test_staff_language_choice(app, client, lang, cookie, path):
    value = cookie.encode("utf-8").decode("latin-1").replace("\r", "").replace("\n", "")
    client.set_cookie("selfreg_staff_lang", value[:4000], path="/staff")
    response = client.get(f"{path}?lang={quote(lang, safe='')}")
    body = assert_answered(response)
    if response.status_code == 200:
        assert '<html lang="nb"' in body or '<html lang="en"' in body
