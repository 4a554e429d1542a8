"""Admin: the audit trail view - filters, order, paging, chain status; each view audited."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, update

from selfreg import audit, db
from selfreg.audit import Action
from selfreg.models import AuditEvent, Role


@pytest.fixture
def admin(app, make_user, login):
    admin_id = make_user(Role.ADMIN, email="boss@example.no")
    return login(app.test_client(), admin_id), admin_id


def _seqs(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'<th scope="row">(\d+)</th>', page)]


def _record(app, action, **kwargs):
    with app.app_context():
        event = audit.record(db.session(), action, **kwargs)
        db.session().commit()
        return event.seq


def test_filters_return_the_right_events(app, world, admin, make_user):
    client, admin_id = admin
    guide = make_user(Role.GUIDE, centres=[world.centre_a], email="guide@example.no")
    seen = _record(app, Action.REGISTRATION_VIEW, user_id=guide, registration_id="ab" * 16)
    listed = _record(app, Action.REGISTRATION_LIST, user_id=guide)
    other = _record(app, Action.REGISTRATION_VIEW, user_id=admin_id, registration_id="cd" * 16)
    resident = _record(app, "resident.submit", actor=audit.RESIDENT, registration_id="ab" * 16)

    page = client.get(f"/staff/admin/audit?user={guide}").get_data(as_text=True)
    assert _seqs(page) == [listed, seen]  # newest first
    assert "guide@example.no" in page
    page = client.get("/staff/admin/audit?registration=" + "ab" * 16).get_data(as_text=True)
    assert _seqs(page) == [resident, seen]
    page = client.get(f"/staff/admin/audit?action={Action.REGISTRATION_VIEW}").get_data(as_text=True)
    assert _seqs(page) == [other, seen]
    page = client.get(f"/staff/admin/audit?action={Action.REGISTRATION_VIEW}&user={admin_id}"
                      ).get_data(as_text=True)
    assert _seqs(page) == [other]
    page = client.get("/staff/admin/audit?user=none&action=resident.submit").get_data(as_text=True)
    assert _seqs(page) == [resident]


def test_the_time_range_filter(app, admin):
    client, _ = admin
    old = _record(app, Action.EXPORT, detail="old")
    new = _record(app, Action.EXPORT, detail="new")
    with app.app_context():
        db.session().execute(update(AuditEvent).where(AuditEvent.seq == old)
                             .values(at=datetime(2024, 3, 10, 23, 59, tzinfo=timezone.utc)))
        db.session().commit()
    today = datetime.now(timezone.utc).date()
    page = client.get("/staff/admin/audit?action=export&date_from=2024-03-10&date_to=2024-03-10"
                      ).get_data(as_text=True)
    assert _seqs(page) == [old]
    page = client.get(f"/staff/admin/audit?action=export&date_from={today}").get_data(as_text=True)
    assert _seqs(page) == [new]
    page = client.get(f"/staff/admin/audit?action=export&date_to={today - timedelta(days=1)}"
                      ).get_data(as_text=True)
    assert _seqs(page) == [old]
    # (Moving an event's time breaks the chain, and the page says so.)
    assert "The audit trail is broken" in page
    response = client.get("/staff/admin/audit?date_from=10.03.2024")
    assert response.status_code == 400 and "year-month-day" in response.get_data(as_text=True)
    response = client.get("/staff/admin/audit?date_from=2024-03-11&date_to=2024-03-10")
    assert response.status_code == 400
    assert client.get("/staff/admin/audit?registration=ZZZ").status_code == 400
    assert client.get("/staff/admin/audit?user=12345").status_code == 400


def test_each_view_is_audited_and_the_chain_status_is_shown(app, admin):
    client, admin_id = admin
    page = client.get("/staff/admin/audit").get_data(as_text=True)
    assert "The chain is intact" in page
    client.get("/staff/admin/audit?action=login&page=1")
    with app.app_context():
        views = list(db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == Action.AUDIT_VIEW).order_by(AuditEvent.seq)))
        assert [(v.user_id, v.detail) for v in views] == [
            (admin_id, "page 1"), (admin_id, "page 1 filters action")]
        assert audit.verify(db.session()).intact


def test_the_trail_is_paged_newest_first(app, admin):
    client, _ = admin
    with app.app_context():
        for number in range(60):
            audit.record(db.session(), Action.EXPORT, detail=f"n{number}")
        db.session().commit()
    first = _seqs(client.get("/staff/admin/audit?action=export").get_data(as_text=True))
    second_page = client.get("/staff/admin/audit?action=export&page=2").get_data(as_text=True)
    second = _seqs(second_page)
    assert len(first) == 50 and len(second) == 10
    assert first == sorted(first, reverse=True) and first[-1] > second[0]
    # The paging links keep the filters.
    assert 'href="/staff/admin/audit?action=export&amp;page=1"' in second_page
