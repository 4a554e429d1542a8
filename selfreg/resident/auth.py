"""Which registration this browser is working on.

The session cookie holds only the registration's random id — never a code or an answer.
"""
from __future__ import annotations

import hashlib
import hmac
from functools import wraps
from typing import Callable

from flask import current_app, g, redirect, session, url_for

from .. import db, keys
from ..models import Registration
from ..storage import PersonalStore

SESSION_KEY = "registration"
# Guided mode (a guide fills in together with the person; selfreg.staff.guide.guided writes
# these into the session): the guide's user id, their staff session's id, their staff language.
GUIDED_BY = "guided_by"
GUIDED_SESSION = "guided_session"
GUIDED_STAFF_LANG = "guided_staff_lang"


def sign_in(registration: Registration) -> None:
    session.clear()  # a fresh session for every sign-in
    session[SESSION_KEY] = registration.id
    session.permanent = True


def sign_out() -> None:
    session.clear()


def current_registration() -> Registration | None:
    if "registration" not in g:
        registration_id = session.get(SESSION_KEY)
        found = db.session().get(Registration, registration_id) if registration_id else None
        if found is not None and found.is_erased:
            found = None
        if found is not None and (GUIDED_BY in session or GUIDED_SESSION in session):
            found = _still_guided(found)
        g.registration = found
    return g.registration


def _still_guided(registration: Registration) -> Registration | None:
    """Guided mode lasts only while the guide's staff session does; else sign out."""
    from ..staff.guide.guided import guide_for

    guide = guide_for(registration, session.get(GUIDED_BY), session.get(GUIDED_SESSION))
    if guide is None:
        sign_out()
        return None
    g.guide = guide
    return registration


def guide_id() -> int | None:
    """The staff user filling in together with the person (guided mode), else None."""
    current_registration()
    guide = g.get("guide")
    return guide.id if guide is not None else None


def owner_tag(registration_id: str | None = None) -> str:
    """A short keyed tag for whose pages these are, written into every signed-in page.

    The phone keeps pages and unsent answers per tag: when someone else signs in on the same
    browser, it drops the previous person's pages and answers instead of showing or sending
    them, and the server refuses a replay whose tag is not the signed-in person's.
    The tag reveals nothing (HMAC with the app's secret key).
    """
    registration_id = registration_id or session.get(SESSION_KEY)
    if not registration_id:
        return ""
    key = current_app.secret_key
    key_bytes = key.encode("utf-8") if isinstance(key, str) else key
    message = b"owner-tag:" + str(registration_id).encode("utf-8")
    return hmac.new(key_bytes, message, hashlib.sha256).hexdigest()[:16]


def registration_required(view: Callable) -> Callable:
    """Send a browser without a registration back to the start, safely."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_registration() is None:
            sign_out()
            return redirect(url_for("resident.index"))
        return view(*args, **kwargs)

    return wrapper


def consent_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        registration = current_registration()
        if registration is None:
            sign_out()
            return redirect(url_for("resident.index"))
        if registration.consented_at is None:
            return redirect(url_for("resident.privacy"))
        return view(*args, **kwargs)

    return wrapper


def personal_store() -> PersonalStore:
    if "personal_store" not in g:
        guide = guide_id()
        if guide is not None:
            from ..staff.guide.guided import GuidedStore  # saves recorded as the guide's

            g.personal_store = GuidedStore(db.session(), keys.keyring(), guide_id=guide)
        else:
            g.personal_store = PersonalStore(db.session(), keys.keyring())
    return g.personal_store
