"""The career note (karrierenotat) and "followed up".

What the county may record after career guidance (forskrift til integreringsloven § 47, see
../shared/DOMAIN.md): a) supplementary competence information, b) wishes and possibilities in
education and work, c) need for supplementary education, recognition, authorisation or
assessment of prior learning, d) obstacles to taking part — and the counsellor's
recommendation. Stored encrypted under the person's data key as one staff record:

    {"competence": str, "wishes": str, "needs": [code, ...], "needs_text": str,
     "obstacles": str, "recommendation": str}

with ``needs`` codes from ``forms.NOTE_NEEDS``. A note saved by someone else since the page
was opened is not overwritten silently: the page comes back with what was typed.
"""
from __future__ import annotations

from flask import redirect, render_template, request, url_for
from sqlalchemy.orm.exc import StaleDataError

from ... import audit, db
from ...audit import Action
from ...models import utcnow
from ...staff_i18n import _s
from ...storage import CAREER_NOTE, RevisionConflict
from .. import bp
from ..auth import current_user
from ..forms import CsrfForm
from ..scope import Do, registration_for
from .common import counsellor_only, personal_store, posted_revision, reference
from .forms import NOTE_NEEDS, CareerNoteForm
from .profile import load_page, render_profile


def _render(registration, form: CareerNoteForm, *, stored=None, error=None, status=200):
    return render_template(
        "staff/counsellor/note.html", registration=registration,
        reference=reference(registration.id), form=form, stored=stored,
        note_needs=dict(NOTE_NEEDS), error=error,
    ), status


@bp.route("/counsellor/profile/<registration_id>/note", methods=["GET", "POST"])
@counsellor_only
def counsellor_note(registration_id: str):
    user = current_user()
    registration = registration_for(user, registration_id, Do.WRITE_NOTE)
    store = personal_store()
    stored = store.load_record(registration, CAREER_NOTE)
    if request.method == "GET":
        audit.record(db.session(), Action.PROFILE_VIEW, user_id=user.id,
                     registration_id=registration.id, detail="career note")
        db.session().commit()
        form = CareerNoteForm(formdata=None, data={
            **(stored.values if stored else {}), "revision": stored.revision if stored else 0,
        })
        return _render(registration, form)
    form = CareerNoteForm()
    if not form.validate():
        return _render(registration, form, status=400)
    based_on = posted_revision(form.revision.data)
    registration_id = registration.id
    try:
        store.save_record(registration, CAREER_NOTE, form.note_values(), user_id=user.id,
                          based_on_revision=based_on)
        audit.record(db.session(), Action.CAREER_NOTE_SAVE, user_id=user.id,
                     registration_id=registration_id)
        db.session().commit()
    except (RevisionConflict, StaleDataError):
        db.session().rollback()
        registration = registration_for(user, registration_id, Do.WRITE_NOTE)
        stored = personal_store().load_record(registration, CAREER_NOTE)
        form.revision.data = str(stored.revision if stored else 0)
        return _render(registration, form, stored=stored.values if stored else None, status=409,
                       error=_s("Someone else saved a career note for this person after you "
                                "opened the page. Nothing was saved. Your text is still here, "
                                "and the saved note is shown below it: save again to replace it."))
    return redirect(url_for("staff.counsellor_profile", registration_id=registration_id,
                            done="note", _anchor="career-note"), 303)


@bp.post("/counsellor/profile/<registration_id>/followed-up")
@counsellor_only
def counsellor_followed_up(registration_id: str):
    user = current_user()
    registration = registration_for(user, registration_id, Do.WRITE_NOTE)
    if not CsrfForm().validate():
        return render_profile(load_page(registration), status=400,
                              error=_s("The form was open too long. Try again."))
    registration.followed_up_at = utcnow()
    audit.record(db.session(), Action.FOLLOWED_UP, user_id=user.id,
                 registration_id=registration.id)
    db.session().commit()
    return redirect(url_for("staff.counsellor_profile", registration_id=registration.id,
                            done="followed_up"), 303)
