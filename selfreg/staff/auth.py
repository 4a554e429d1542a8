"""Who is logged in on the staff side, and the guards every staff view uses.

A staff session lives on the server (``StaffSession``); the cookie holds only a random token
whose SHA-256 names the row. Logging out, idling past the limit or reaching the absolute limit
ends the row, and then the cookie is worth nothing. Every login step starts a new token (and a
new cookie), so a token seen before login is useless after it.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from functools import wraps
from typing import Callable

from flask import abort, current_app, g, redirect, session, url_for
from sqlalchemy import select

from .. import db
from ..models import StaffSession, User, utcnow

TOKEN_KEY = "staff_token"  # nosec B105: the session key's name, not a secret
PASSWORD_STAGE, FULL_STAGE = "password", "full"
# Writing last_seen on every request would make every page a database write.
TOUCH_EVERY = timedelta(seconds=60)


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()


def begin(user: User, stage: str) -> StaffSession:
    """A fresh server-side session (and token) for this login step; ends the previous one."""
    end()
    token = secrets.token_urlsafe(32)
    row = StaffSession(token_hash=_hash(token), user_id=user.id, stage=stage)
    db.session().add(row)
    session.clear()
    session[TOKEN_KEY] = token
    g.staff_session = row
    return row


def end() -> None:
    row = current_session()
    if row is not None:
        row.ended_at = utcnow()
    session.clear()
    g.staff_session = None


def current_session() -> StaffSession | None:
    if "staff_session" in g:
        return g.staff_session
    token = session.get(TOKEN_KEY)
    row = None
    if isinstance(token, str) and token.isascii():
        row = db.session().scalar(
            select(StaffSession).where(StaffSession.token_hash == _hash(token))
        )
    if row is not None and not is_alive(row):
        if row.ended_at is None:
            row.ended_at = utcnow()
            db.session().commit()
        row = None
    if row is not None and utcnow() - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = utcnow()
        db.session().commit()
    g.staff_session = row
    return row


def is_alive(row: StaffSession) -> bool:
    now = utcnow()
    config = current_app.config
    return (
        row.ended_at is None
        and row.user.active
        and now - row.last_seen_at <= timedelta(seconds=config["SELFREG_STAFF_IDLE_SECONDS"])
        and now - row.created_at <= timedelta(seconds=config["SELFREG_STAFF_MAX_SESSION_SECONDS"])
    )


def current_user() -> User | None:
    """The user who has passed both factors, else None."""
    row = current_session()
    return row.user if row is not None and row.stage == FULL_STAGE else None


def pending_user() -> User | None:
    """The user who has given the password and now owes the second factor."""
    row = current_session()
    return row.user if row is not None and row.stage == PASSWORD_STAGE else None


def login_required(*roles: str) -> Callable:
    """Only logged-in staff; with roles, only those roles (others get 404: nothing to see)."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = current_user()
            if user is None:
                return redirect(url_for("staff.login"))
            if user.must_change_password and view.__name__ != "change_password":
                return redirect(url_for("staff.change_password"))
            if roles and user.role not in roles:
                abort(404)
            return view(*args, **kwargs)

        return wrapper

    return decorator
