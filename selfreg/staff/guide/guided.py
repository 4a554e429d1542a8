"""Guided mode: the guide fills in the questionnaire together with the person, on the centre PC.

Starting it (a POST on the staff side) writes a fresh residents' session cookie into the same
browser, holding the registration and two markers: the guide's user id and the id of the
guide's staff session. The residents' cookie is signed with the app's key, so the markers
cannot be made or changed in the browser; and on every resident request the staff session they
name must still be alive (not logged out, not idle or past its absolute limit), belong to that
guide and the registration must still be in the guide's scope — otherwise the residents' session
is cleared (selfreg.resident.auth calls ``guide_for``). While guided, every save is stored as the
guide's change and audited (``GuidedStore``), and each page shows a banner, for the guide, with a
button that ends guided mode.
"""
from __future__ import annotations

import hashlib
import hmac
import re

from flask import (
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from flask_babel import force_locale

from ... import audit, db
from ...audit import Action
from ...models import Registration, Role, StaffSession, User, utcnow
from ...resident import auth as resident_auth
from ...security import clear_site_data
from ...staff_i18n import STAFF_LOCALES, _s, gettext, is_staff_path, ngettext, staff_locale
from ...storage import PersonalStore
from .. import bp
from ..auth import FULL_STAGE, TOUCH_EVERY, current_session, is_alive, login_required
from ..scope import Do, find_registration, registration_for
from .common import guide, reference
from .status import guided_form

END_PURPOSE = b"guided-end:"
MAIN_OPENING = re.compile(r'<main id="main"[^>]*>')


# --- the staff side: start and end ------------------------------------------------------------


def end_token(staff_session_id: int, registration_id: str) -> str:
    """What the banner's End button sends instead of a CSRF token (the banner is on a resident
    page, which cannot make a staff-session token): a keyed tag of this staff session and
    registration, so only a page shown in this guided session can end it."""
    key = current_app.secret_key
    key = key.encode("utf-8") if isinstance(key, str) else key
    message = END_PURPOSE + f"{staff_session_id}:{registration_id}".encode("ascii")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _resident_cookie(response, values: dict | None) -> None:
    """Write (or with None, delete) the residents' session cookie from a staff request.

    Staff requests open the staff session; the residents' cookie is written through the same
    interface the residents' pages use, so it is signed and flagged exactly as theirs.
    """
    interface = current_app.session_interface
    app = current_app._get_current_object()
    if values is None:
        response.delete_cookie(
            interface.get_cookie_name(app), path=interface.get_cookie_path(app),
            domain=interface.get_cookie_domain(app), secure=interface.get_cookie_secure(app),
            samesite=interface.get_cookie_samesite(app),
            httponly=interface.get_cookie_httponly(app),
        )
        return
    resident_session = SecureCookieSession(values)
    resident_session.permanent = True
    SecureCookieSessionInterface.save_session(interface, app, resident_session, response)


@bp.post("/guide/<registration_id>/guided")
@login_required("guide")
def guide_start_guided(registration_id: str):
    user = guide()
    registration = registration_for(user, registration_id, Do.GUIDE)
    form = guided_form(registration)
    if not form.validate():
        return render_template("staff/guide/expired.html", registration=registration,
                               reference=reference(registration)), 400
    if registration.is_submitted:
        flash(_s("This registration is submitted. Reopen it first to change the answers."))
        return redirect(url_for("staff.guide_registration", registration_id=registration.id), 303)
    language = form.language.data
    audit.record(db.session(), Action.GUIDED_START, user_id=user.id,
                 registration_id=registration.id, detail=language)
    db.session().commit()
    g.locale_to_remember = language  # the residents' language cookie (selfreg.i18n)
    target = "resident.resume" if registration.consented_at else "resident.privacy"
    response = redirect(url_for(target, lang=language), 303)
    _resident_cookie(response, {
        resident_auth.SESSION_KEY: registration.id,
        resident_auth.GUIDED_BY: user.id,
        resident_auth.GUIDED_SESSION: current_session().id,
        resident_auth.GUIDED_STAFF_LANG: staff_locale(),
    })
    return response


@bp.post("/guide/guided/end")
@login_required("guide")
def guide_end_guided():
    user = guide()
    registration_id = request.form.get("registration_id", "")[:32]
    token = request.form.get("guided_token", "")
    # Both are ASCII when genuine; compare_digest and the tag refuse anything else with an error.
    if not (registration_id.isascii() and token.isascii()):
        abort(400)
    expected = end_token(current_session().id, registration_id)
    if not hmac.compare_digest(expected, token):
        abort(400)
    registration = registration_for(user, registration_id, Do.GUIDE)
    audit.record(db.session(), Action.GUIDED_END, user_id=user.id,
                 registration_id=registration.id)
    db.session().commit()
    flash(_s("Guided mode has ended. The person's answers are saved."))
    response = redirect(url_for("staff.guide_registration", registration_id=registration.id), 303)
    _resident_cookie(response, None)
    # What the browser kept for offline use belongs to the person: drop it from this PC.
    return clear_site_data(response)


# --- the resident side -------------------------------------------------------------------------


def guide_for(registration: Registration, guided_by, guided_session) -> User | None:
    """The guide still working with this registration in this browser, or None.

    None when the staff session is gone (logged out, idle, too old), is not the guide's, or
    the registration left the guide's scope. A guide working on resident pages is active, so
    the staff session's idle clock is kept running (its absolute limit still applies).
    """
    if not isinstance(guided_by, int) or not isinstance(guided_session, int):
        return None
    database = db.session()
    row = database.get(StaffSession, guided_session)
    if row is None or row.user_id != guided_by or row.stage != FULL_STAGE:
        return None
    if not is_alive(row):
        if row.ended_at is None:
            row.ended_at = utcnow()
        audit.record(database, Action.GUIDED_END, user_id=row.user_id,
                     registration_id=registration.id, detail="staff session ended")
        database.commit()
        return None
    user = row.user
    # Out of the guide's scope, or restricted since guided mode began: guided mode ends.
    if user.role != Role.GUIDE or find_registration(user, registration.id, Do.GUIDE) is None:
        return None
    if utcnow() - row.last_seen_at > TOUCH_EVERY:
        row.last_seen_at = utcnow()
        database.commit()
    return user


class GuidedStore(PersonalStore):
    """The residents' store in guided mode: every save is the guide's, and audited."""

    def __init__(self, db_session, keyring, *, guide_id: int) -> None:
        super().__init__(db_session, keyring)
        self.guide_id = guide_id

    def save_step(self, registration, step, values, *, based_on_revision=None,
                  changed_by_user_id=None) -> int:
        revision = super().save_step(registration, step, values,
                                     based_on_revision=based_on_revision,
                                     changed_by_user_id=self.guide_id)
        audit.record(self.db, Action.GUIDED_SAVE, user_id=self.guide_id,
                     registration_id=registration.id, detail=step)
        return revision


@bp.after_app_request
def guided_banner(response):
    """On resident pages in guided mode: say so (to the guide, in the staff language) and
    offer to end it. Added here so the residents' templates need not know about staff."""
    guide_user = g.get("guide")
    registration = g.get("registration")
    if (guide_user is None or registration is None or is_staff_path(request.path)
            or response.mimetype != "text/html" or response.direct_passthrough):
        return response
    staff_session_id = session.get(resident_auth.GUIDED_SESSION)
    if not isinstance(staff_session_id, int):
        return response  # signed out during this request
    page = response.get_data(as_text=True)
    opening = MAIN_OPENING.search(page)
    if opening is None:
        return response
    language = session.get(resident_auth.GUIDED_STAFF_LANG)
    language = language if language in STAFF_LOCALES else STAFF_LOCALES[0]
    with force_locale(language):
        banner = render_template(
            "staff/guide/_guided_banner.html", _=gettext, gettext=gettext, ngettext=ngettext,
            lang=language, reference=reference(registration), registration_id=registration.id,
            guided_token=end_token(staff_session_id, registration.id),
        )
    response.set_data(page[:opening.end()] + banner + page[opening.end():])
    return response
