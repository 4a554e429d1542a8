"""Times with an offset are stored and compared as the same instant in UTC, on both databases."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from selfreg import db
from selfreg.models import Registration

OSLO_WINTER = timezone(timedelta(hours=1))


def test_a_time_with_an_offset_is_compared_as_the_same_instant(app, create_registration):
    registration_id, _code, _token = create_registration()
    with app.app_context():
        session = db.session()
        session.get(Registration, registration_id).updated_at = datetime(
            2026, 11, 1, 10, 0, tzinfo=timezone.utc)
        session.commit()

        def changed_since(moment: datetime) -> bool:
            return session.scalar(select(Registration.id).where(
                Registration.id == registration_id, Registration.updated_at >= moment)) is not None

        # 10:30 in Oslo is 09:30 UTC: before the change. Compared as text, 10:30 > 10:00.
        assert changed_since(datetime(2026, 11, 1, 10, 30, tzinfo=OSLO_WINTER))
        assert not changed_since(datetime(2026, 11, 1, 11, 30, tzinfo=OSLO_WINTER))

        # Stored with an offset, read back as that instant in UTC.
        session.get(Registration, registration_id).updated_at = datetime(
            2026, 11, 1, 12, 0, tzinfo=OSLO_WINTER)
        session.commit()
        session.expire_all()
        assert session.get(Registration, registration_id).updated_at == datetime(
            2026, 11, 1, 11, 0, tzinfo=timezone.utc)
