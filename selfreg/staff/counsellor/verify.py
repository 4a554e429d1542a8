"""Saving the verification statuses set on the profile page, all at once.

The page carries the revision of the verification record it showed. If another counsellor
saved since, nothing is stored: the page comes back with the choices as posted, says so, and
carries the newer revision, so saving again keeps these choices (the counsellor decides).
"""
from __future__ import annotations

from flask import redirect, request, url_for
from sqlalchemy.orm.exc import StaleDataError

from ... import audit, db
from ...audit import Action
from ...staff_i18n import _s
from ...storage import VERIFICATION, RevisionConflict
from ...verification import SELF_REPORTED, status_of
from .. import bp
from ..auth import current_user
from ..forms import CsrfForm
from ..scope import Do, registration_for
from .common import counsellor_only, personal_store, posted_revision
from .profile import load_page, posted_statuses, render_profile


def statuses_after(stored: dict, chosen: dict[str, str], items) -> tuple[dict, int]:
    """The record to store and how many items changed; only non-default statuses are kept."""
    updated, changed = dict(stored), 0
    for item in items:
        status = chosen.get(item.key)
        if status is None:
            continue
        if status != status_of(stored, item.step_key, item.entry_id):
            changed += 1
        if status == SELF_REPORTED:
            updated.pop(item.key, None)
        else:
            updated[item.key] = status
    return updated, changed


@bp.post("/counsellor/profile/<registration_id>/verification")
@counsellor_only
def counsellor_verify(registration_id: str):
    user = current_user()
    registration = registration_for(user, registration_id, Do.VERIFY)
    page = load_page(registration)
    chosen = posted_statuses(page, request.form)
    based_on = posted_revision(request.form.get("revision"))
    if not CsrfForm().validate():
        return render_profile(page, chosen=chosen, revision=based_on, status=400,
                              error=_s("The form was open too long. Check your choices and "
                                       "save again."))
    updated, changed = statuses_after(page.statuses, chosen, page.profile.items)
    if changed:
        try:
            personal_store().save_record(registration, VERIFICATION, updated, user_id=user.id,
                                         based_on_revision=based_on)
            audit.record(db.session(), Action.VERIFICATION_SAVE, user_id=user.id,
                         registration_id=registration.id, detail=str(changed))
            db.session().commit()
        except (RevisionConflict, StaleDataError):
            db.session().rollback()
            registration = registration_for(user, registration_id, Do.VERIFY)
            page = load_page(registration)
            return render_profile(page, chosen=chosen, conflict=True, status=409,
                                  error=_s(
                "Someone else saved verification statuses for this person after you opened "
                "the page. Nothing was saved. Your choices are still marked below: check them "
                "and save again to keep them."))
    return redirect(url_for("staff.counsellor_profile", registration_id=registration.id,
                            done="verification", _anchor="verification"), 303)
