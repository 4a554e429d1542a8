"""Admin: retention period (bounds, effect, what is due) and the read-only key status."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from selfreg import audit, db, keyops, keys, registrations, retention
from selfreg.models import AuditEvent, Registration, Role, SystemInfo


@pytest.fixture
def admin(app, make_user, login):
    return login(app.test_client(), make_user(Role.ADMIN))


def _effective(app):
    with app.app_context():
        return retention.effective_retention_days(db.session(), app.config)


def _age(app, registration_id, days):
    with app.app_context():
        db.session().execute(update(Registration).where(Registration.id == registration_id)
                             .values(updated_at=datetime.now(timezone.utc) - timedelta(days=days)))
        db.session().commit()


def test_effective_retention_is_the_override_or_the_configured_value(app):
    configured = app.config["SELFREG_RETENTION_DAYS"]
    assert _effective(app) == configured
    with app.app_context():
        retention.set_override(db.session(), 90)
        db.session().commit()
    assert _effective(app) == 90
    with app.app_context():
        # A value out of bounds (written by hand) is ignored, not obeyed.
        db.session().get(SystemInfo, retention.RETENTION_KEY).value = "5"
        db.session().commit()
        assert retention.effective_retention_days(db.session(), app.config) == configured
        with pytest.raises(ValueError):
            retention.set_override(db.session(), 29)
        with pytest.raises(ValueError):
            retention.set_override(db.session(), 3651)
        retention.set_override(db.session(), None)
        db.session().commit()
        assert db.session().get(SystemInfo, retention.RETENTION_KEY) is None


def test_the_retention_setting_has_bounds_and_takes_effect(app, admin):
    for bad in ["29", "3651", "", "forty", "-5"]:
        response = admin.post("/staff/admin/settings", data={"retention_days": bad})
        assert response.status_code == 400, bad
        if bad:
            assert f'value="{bad}"' in response.get_data(as_text=True)
    assert _effective(app) == app.config["SELFREG_RETENTION_DAYS"]
    for good in (30, 3650, 400):
        assert admin.post("/staff/admin/settings", data={"retention_days": str(good)}).status_code == 303
        assert _effective(app) == good
    page = admin.get("/staff/admin/settings").get_data(as_text=True)
    assert "400 days" in page and 'value="400"' in page
    assert admin.post("/staff/admin/settings/retention/default").status_code == 303
    assert _effective(app) == app.config["SELFREG_RETENTION_DAYS"]
    with app.app_context():
        details = [e.detail for e in db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == audit.Action.SETTINGS_CHANGE)
            .order_by(AuditEvent.seq))]
    assert details == ["retention_days 30", "retention_days 3650", "retention_days 400",
                       "retention_days configured"]


def test_the_page_counts_what_is_due_without_showing_any_registration(app, world, admin,
                                                                      registration_in):
    admin.post("/staff/admin/settings", data={"retention_days": "100"})
    old = [registration_in(world.centre_a)[0] for _ in range(2)]
    soon = registration_in(world.centre_b)[0]
    fresh = registration_in(world.centre_b)[0]
    for registration_id in old:
        _age(app, registration_id, 120)
    _age(app, soon, 95)  # due in about five days
    page = admin.get("/staff/admin/settings").get_data(as_text=True)
    assert "2 registrations are past the retention period now." in page
    due_month = (datetime.now(timezone.utc) + timedelta(days=5)).strftime("%Y-%m")
    assert f'<th scope="row">{due_month}</th><td>1</td>' in page
    assert not any(rid in page for rid in [*old, soon, fresh])
    with app.app_context():
        # The same rule as purge.
        assert sorted(keyops.expired(db.session(), 100)) == sorted(old)
        months = retention.due_by_month(db.session(), 100)
        assert sum(count for _month, count in months) == 2  # soon, and fresh in 100 days


def test_key_status_shows_the_keys_and_what_is_unfinished(app, world, admin, registration_in):
    registration_id = registration_in(world.centre_a)[0]
    with app.app_context():
        keyring = keys.keyring()
        active = keyring.active_kek.id
    page = admin.get("/staff/admin/keys").get_data(as_text=True)
    assert keyring.keyring_id in page and active in page and keyring.index_key_id in page
    assert "Nothing is unfinished." in page
    assert "flask --app selfreg rotate-keys" in page
    # An erasure whose key work is left for later shows up, with the command to run.
    with app.app_context():
        session = db.session()
        registrations.erase(session, keys.keyring(), session.get(Registration, registration_id))
        session.commit()
        pending = keyops.erasure_pending_keys(session, keys.keyring())
    assert pending == {active}
    page = admin.get("/staff/admin/keys").get_data(as_text=True)
    assert "Erasures are unfinished" in page and "flask --app selfreg purge" in page
    # Key material never reaches the page.
    import base64

    with app.app_context():
        material = keys.keyring().active_kek.key
    assert base64.b64encode(material).decode() not in page and material.hex() not in page
