"""The database-backed limiter behind search as you type: shared by every worker."""
from __future__ import annotations

from sqlalchemy import func, select

from selfreg import create_app, db
from selfreg.models import RateCounter
from selfreg.ratelimit import FixedWindowLimiter


def limiter_at(now: list[float], limit: int = 2) -> FixedWindowLimiter:
    return FixedWindowLimiter("test", limit=limit, window=10, clock=lambda: now[0])


def test_limits_per_key_and_window(app):
    now = [1000.0]
    limiter = limiter_at(now)
    with app.app_context():
        session = db.session()
        assert limiter.hit(session, "a") == 0 and limiter.hit(session, "a") == 0
        assert limiter.hit(session, "a") == 10.0  # the window began at 1000
        assert limiter.hit(session, "b") == 0  # another client is not affected
        now[0] = 1004.0
        assert limiter.hit(session, "a") == 6.0
        now[0] = 1010.0
        assert limiter.hit(session, "a") == 0  # a new window


def test_two_workers_count_together(app):
    """Two apps on one database stand for two gunicorn workers: the limit is theirs together."""
    now = [2000.0]
    limiter = limiter_at(now, limit=3)
    other = create_app({"TESTING": True})
    hits = []
    for worker in (app, other, app, other):
        with worker.app_context():
            hits.append(limiter.hit(db.session(), "same-client"))
    assert hits[:3] == [0, 0, 0] and hits[3] > 0


def test_ended_windows_are_deleted_and_keys_are_hashed(app):
    now = [3000.0]
    limiter = limiter_at(now)
    with app.app_context():
        session = db.session()
        for key in ("a", "b", "c"):
            limiter.hit(session, key)
        now[0] = 3010.0
        limiter.hit(session, "a")
        rows = session.scalars(select(RateCounter)).all()
        assert [(row.window, row.hits) for row in rows] == [(301, 1)]
        assert b"a" != rows[0].client_key and len(rows[0].client_key) == 32
        assert session.scalar(select(func.count()).select_from(RateCounter)) == 1
