"""Admin pages: only admins (others get 404), CSRF on every change, every change audited."""
from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from selfreg import accounts, audit, db, keys
from selfreg.audit import Action
from selfreg.crypto import sealed_keys, totp
from selfreg.models import AuditEvent, ExportRecipient, Role, User

from .conftest import PASSWORD


def _admin_rules(app):
    rules = [rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/staff/admin")]
    assert len(rules) >= 15
    return rules


def _url(rule, ids):
    return rule.build({name: ids[name] for name in rule.arguments})[1]


@pytest.fixture
def ids(app, world, make_user):
    user_id = make_user(Role.GUIDE, centres=[world.centre_b])
    with app.app_context():
        _private, public = sealed_keys.generate_recipient_keypair()
        recipient = ExportRecipient(name="R", public_key=sealed_keys.recipient_public_key_to_text(public),
                                    fingerprint=public.fingerprint)
        db.session().add(recipient)
        db.session().commit()
        return {"user_id": user_id, "centre_id": world.centre_a, "recipient_id": recipient.id}


@pytest.mark.parametrize("role", [Role.GUIDE, Role.COUNSELLOR])
def test_guides_and_counsellors_get_404_on_every_admin_route(app, world, make_user, login, ids,
                                                             role):
    scope = {"centres": [world.centre_a]} if role == Role.GUIDE else {"region": world.region_a}
    client = login(app.test_client(), make_user(role, **scope))
    with app.app_context():
        before = db.session().scalar(select(func.count()).select_from(AuditEvent))
    for rule in _admin_rules(app):
        url = _url(rule, ids)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method, data={"role": "admin", "name": "X"})
            assert response.status_code == 404, (method, url, response.status_code)
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(AuditEvent)) == before
        assert db.session().get(User, ids["user_id"]).role == Role.GUIDE
    # Nor do they see the admin menu.
    assert "/staff/admin/" not in client.get("/staff/home").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_the_login_page(app, ids):
    client = app.test_client()
    for rule in _admin_rules(app):
        response = client.open(_url(rule, ids), method="POST" if "POST" in rule.methods else "GET")
        assert response.status_code == 302 and response.headers["Location"].endswith("/staff/")


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_every_admin_post_refuses_a_missing_csrf_token(make_app, world, make_user, ids):
    app = make_app(csrf=True)
    admin_id = make_user(Role.ADMIN)
    client = app.test_client()
    client.set_cookie("selfreg_staff_lang", "en", path="/staff")
    with app.app_context():
        email = db.session().get(User, admin_id).email
    assert client.post("/staff/", data={"email": email, "password": PASSWORD,
                                        "csrf_token": _token(client.get("/staff/").get_data(as_text=True))}
                       ).status_code == 303
    page = client.get("/staff/totp").get_data(as_text=True)
    with app.app_context():
        secret = accounts.totp_secret(keys.keyring(), db.session().get(User, admin_id))
    assert client.post("/staff/totp", data={"code": totp.code_at(secret, time.time()),
                                            "csrf_token": _token(page)}).status_code == 303
    with app.app_context():
        before = db.session().scalar(select(func.count()).select_from(AuditEvent))
    checked = 0
    for rule in _admin_rules(app):
        if "POST" not in rule.methods:
            continue
        response = client.post(_url(rule, ids), data={
            "email": "x@example.no", "role": "admin", "retention_days": "100", "name": "New",
            "region_name": "New", "municipality": "M"})
        assert response.status_code == 400, (rule.rule, response.status_code)
        assert "The form was open too long" in response.get_data(as_text=True)
        checked += 1
    assert checked >= 12
    with app.app_context():
        # Nothing changed, nothing recorded.
        assert db.session().scalar(select(func.count()).select_from(AuditEvent)) == before
        assert db.session().get(User, ids["user_id"]).active
    # With the token it works.
    page = client.get("/staff/admin/settings").get_data(as_text=True)
    assert client.post("/staff/admin/settings", data={"retention_days": "100",
                                                      "csrf_token": _token(page)}).status_code == 303


def test_every_admin_change_is_audited_and_the_chain_verifies(app, world, make_user, login, ids):
    client = login(app.test_client(), make_user(Role.ADMIN))
    _private, public = sealed_keys.generate_recipient_keypair()
    steps = [
        ("/staff/admin/users/new", {"email": "n@example.no", "role": "admin"}, Action.USER_CREATE),
        (f"/staff/admin/users/{ids['user_id']}", {"role": "guide", "centres": [str(world.centre_a)]},
         Action.USER_CHANGE),
        (f"/staff/admin/users/{ids['user_id']}/password", {}, Action.PASSWORD_RESET),
        (f"/staff/admin/users/{ids['user_id']}/second-factor", {}, Action.USER_CHANGE),
        (f"/staff/admin/users/{ids['user_id']}/deactivate", {}, Action.USER_CHANGE),
        (f"/staff/admin/users/{ids['user_id']}/reactivate", {}, Action.USER_CHANGE),
        ("/staff/admin/regions/new", {"region_name": "Nord"}, "region.create"),
        ("/staff/admin/centres/new", {"name": "Mottak C", "region": ""}, "centre.create"),
        (f"/staff/admin/centres/{world.centre_a}", {"name": "Mottak A2", "region": ""}, "centre.change"),
        ("/staff/admin/recipients", {"name": "S", "public_key": sealed_keys.recipient_public_key_to_text(public)},
         "recipient.create"),
        (f"/staff/admin/recipients/{ids['recipient_id']}/token", {}, "recipient.token"),
        (f"/staff/admin/recipients/{ids['recipient_id']}/deactivate", {}, "recipient.change"),
        (f"/staff/admin/recipients/{ids['recipient_id']}/reactivate", {}, "recipient.change"),
        ("/staff/admin/settings", {"retention_days": "365"}, Action.SETTINGS_CHANGE),
        ("/staff/admin/settings/retention/default", {}, Action.SETTINGS_CHANGE),
    ]
    for url, data, action in steps:
        with app.app_context():
            last = db.session().scalar(select(func.max(AuditEvent.seq)))
        response = client.post(url, data=data)
        assert response.status_code in (200, 303), (url, response.status_code)
        with app.app_context():
            new = list(db.session().scalars(select(AuditEvent).where(AuditEvent.seq > last)))
        assert [event.action for event in new] == [action], url
    # Every admin POST route was exercised above.
    adapter = app.url_map.bind("localhost")
    exercised = {adapter.match(url, method="POST")[0] for url, _data, _action in steps}
    assert exercised == {rule.endpoint for rule in _admin_rules(app) if "POST" in rule.methods}
    with app.app_context():
        assert audit.verify(db.session()).intact

