"""Every staff POST route refuses a request without a CSRF token, for the role it serves.

The routes come from the URL map, so a new one is covered without editing this test. Each is
posted by a logged-in user of the role that may use it, with real ids in scope, and must
answer 400 (refused) without changing anything.
"""
from __future__ import annotations

import re

import pytest
from flask import url_for

from selfreg import db, registrations
from selfreg.models import ExportRecipient, Registration, Role

from .conftest import PASSWORD, current_code

ROLE_OF = {"staff.guide_": Role.GUIDE, "staff.counsellor_": Role.COUNSELLOR,
           "staff.admin_": Role.ADMIN}
# Before login (login, second factor) the token is checked too; they are posted anonymously.
ANONYMOUS = {"staff.login", "staff.second_factor"}


def _token(client, path):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _login_with_csrf(app, client, user_id, email):
    client.set_cookie("selfreg_staff_lang", "en", path="/staff")
    response = client.post("/staff/", data={"email": email, "password": PASSWORD,
                                            "csrf_token": _token(client, "/staff/")})
    assert response.status_code == 303
    token = _token(client, "/staff/totp")
    response = client.post("/staff/totp", data={"code": current_code(app, user_id),
                                                "csrf_token": token})
    assert response.status_code == 303


@pytest.fixture
def csrf_app(make_app):
    return make_app(csrf=True)


def _role_routes(app, role):
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or not rule.endpoint.startswith("staff."):
            continue
        owner = next((r for prefix, r in ROLE_OF.items() if rule.endpoint.startswith(prefix)), None)
        if owner == role or (owner is None and role == "any" and rule.endpoint not in ANONYMOUS):
            yield rule


@pytest.mark.parametrize("role", [Role.GUIDE, Role.COUNSELLOR, Role.ADMIN, "any"])
def test_staff_posts_without_a_token_are_refused(csrf_app, role):
    from selfreg import accounts
    from selfreg.models import Centre, Region

    app = csrf_app
    with app.app_context():
        session = db.session()
        region = Region(name="R")
        centre = Centre(name="C", region=region)
        session.add_all([region, centre])
        session.flush()
        user = accounts.create_user(
            session, "u@example.no", Role.ADMIN if role == "any" else role, PASSWORD,
            centres=[centre] if role == Role.GUIDE else [],
            region=region if role == Role.COUNSELLOR else None)
        other = accounts.create_user(session, "other@example.no", Role.GUIDE, PASSWORD,
                                     centres=[centre])
        from selfreg import keys

        created = registrations.create_registrations(session, keys.keyring(), centre, 1)[0]
        registration = created.registration
        if role == Role.COUNSELLOR:
            from selfreg import keys
            from selfreg.storage import PersonalStore

            store = PersonalStore(session, keys.keyring())
            store.save_step(registration, "work_any", {"any": "yes"})
            store.save_step(registration, "work", {"entries": [
                {"id": "000000000000", "occupation": "2221", "occupation_text": "Nurse"}]})
            registrations.submit(registration)
        recipient = ExportRecipient(name="NAV", public_key="x", fingerprint="f")
        session.add(recipient)
        session.commit()
        ids = {"registration_id": registration.id, "user_id": other.id, "centre_id": centre.id,
               "recipient_id": recipient.id, "step_key": "name", "entry_id": "000000000000"}
        user_id, email = user.id, user.email
    client = app.test_client()
    _login_with_csrf(app, client, user_id, email)
    checked = 0
    for rule in _role_routes(app, role):
        with app.test_request_context():
            values = {name: ids[name] for name in rule.arguments}
            if "entry" in rule.endpoint:
                values["step_key"] = "work"  # a repeatable step with an entry
            url = url_for(rule.endpoint, **values)
        response = client.post(url, data={"given_names": "Mallory", "count": "5", "note": "x"})
        assert response.status_code == 400, (rule.endpoint, response.status_code)
        checked += 1
    assert checked >= (1 if role == "any" else 3)
    with app.app_context():
        # Nothing was created or changed by the refused posts.
        assert db.session().query(Registration).count() == 1
        assert db.session().get(Registration, ids["registration_id"]).status in ("new", "submitted")
