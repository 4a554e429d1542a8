"""Correct a person's identity fields (name, date of birth, country and DUF number).

The questionnaire's own forms and checks validate, so a guide cannot store what the person
could not; the change is stored as the guide's (``changed_by_user_id``) and audited.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from ... import audit, db, keys
from ...audit import Action
from ...questionnaire import flow
from ...questionnaire.catalogue import CATALOGUE
from ...questionnaire.forms import (
    build_form_class,
    choices_for_locale,
    errors_in_order,
    extract_values,
    form_data_from_values,
)
from ...resident.saving import posted_revision
from ...staff_i18n import _s, staff_locale
from ...storage import PersonalStore, RevisionConflict
from .. import bp
from ..auth import login_required
from ..scope import Do, registration_for
from . import operations
from .common import IDENTITY_TITLES, guide, reference


def _render(registration, step, form, revision, *, error=None, status=200):
    errors = errors_in_order(form)
    if error:
        errors = [("", error)] + errors
    return render_template(
        "staff/guide/correct.html", registration=registration, reference=reference(registration),
        step=step, title=IDENTITY_TITLES[step.key], form=form, errors=errors, revision=revision,
        choices=choices_for_locale(staff_locale()),
    ), status


@bp.route("/guide/<registration_id>/identity/<step_key>", methods=["GET", "POST"])
@login_required("guide")
def guide_correct(registration_id: str, step_key: str):
    user = guide()
    registration = registration_for(user, registration_id, Do.CORRECT_IDENTITY)
    if step_key not in operations.IDENTITY_STEPS:
        abort(404)
    step = CATALOGUE.step(step_key)
    store = PersonalStore(db.session(), keys.keyring())
    form_cls = build_form_class(step)
    if request.method == "GET":
        stored = store.load_step(registration, step.key)
        form = form_cls(formdata=None,
                        data=form_data_from_values(step, stored.values if stored else {}))
        audit.record(db.session(), Action.REGISTRATION_VIEW, user_id=user.id,
                     registration_id=registration.id, detail=f"identity {step.key}")
        db.session().commit()
        return _render(registration, step, form, stored.revision if stored else 0)
    form = form_cls()
    revision = posted_revision(request.form.get("revision"))
    if not form.validate():
        # Only the CSRF token can fail here: keep what was typed and ask again.
        return _render(registration, step, form, revision,
                       error=_s("The form was open too long. Check and save again."), status=400)
    values = extract_values(form, flow.visible_questions(step, {}),
                            choices_for_locale(staff_locale()))
    if values is None:
        return _render(registration, step, form, revision, status=400)
    try:
        operations.correct_identity(db.session(), store, user, registration, step.key, values,
                                    revision)
    except RevisionConflict as conflict:
        db.session().rollback()
        return _render(registration, step, form, conflict.stored_revision, status=409, error=_s(
            "Someone else changed this since you opened it. Check and save again to keep what "
            "you wrote."))
    db.session().commit()
    flash(_s("Saved. The change is recorded as yours."))
    return redirect(url_for("staff.guide_registration", registration_id=registration.id), 303)
