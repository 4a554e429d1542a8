"""One registration for the guide: its status, progress and identity fields; reopen it.

Reading the identity fields is reading personal data: every view records ``registration.view``.
"""
from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import format_timedelta

from ... import audit, db, keys
from ...audit import Action
from ...exports.disclosures import recipients_holding
from ...i18n import SUPPORTED_LOCALES, locale_info
from ...models import User, utcnow
from ...questionnaire import flow
from ...questionnaire.catalogue import CATALOGUE
from ...questionnaire.display import show_step
from ...staff_i18n import _s, staff_locale
from ...storage import PersonalStore
from .. import bp
from ..auth import login_required
from ..forms import CsrfForm
from ..scope import Do, registration_for
from . import operations
from .common import (
    IDENTITY_TITLES,
    SECTION_COUNT,
    STATUS_LABELS,
    guide,
    reference,
    sections_done,
    shown_status,
)
from .forms import GuidedForm


def language_choices() -> list[tuple[str, str]]:
    """Every language of the questionnaire, by its own name (what the person recognises)."""
    return [(code, locale_info(code).autonym) for code in SUPPORTED_LOCALES]


def guided_form(registration) -> GuidedForm:
    form = GuidedForm(language=registration.locale if registration.locale in SUPPORTED_LOCALES
                      else SUPPORTED_LOCALES[0])
    form.language.choices = language_choices()
    return form


def _staff_emails(user_ids) -> dict[int, str]:
    """Who of the staff changed a step (work e-mail addresses are not a resident's data)."""
    users = (db.session().get(User, uid) for uid in {uid for uid in user_ids if uid is not None})
    return {user.id: user.email for user in users if user is not None}


@bp.get("/guide/<registration_id>")
@login_required("guide")
def guide_registration(registration_id: str):
    user = guide()
    registration = registration_for(user, registration_id, Do.LIST)
    store = PersonalStore(db.session(), keys.keyring())
    answers = store.load_all(registration)
    changed_by = store.changed_by(registration)
    complete = {step.key for step in CATALOGUE.steps if flow.is_step_complete(step, answers)}
    applicable = {step.key for step in flow.applicable_steps(CATALOGUE, answers)}
    locale = staff_locale()
    staff_emails = _staff_emails(changed_by.get(key) for key in operations.IDENTITY_STEPS)
    identity = []
    for key in operations.IDENTITY_STEPS:
        step = CATALOGUE.step(key)
        identity.append({
            "step": step,
            "title": IDENTITY_TITLES[key],
            "answers": show_step(step, answers.get(key) or {}, locale),
            "changed_by": staff_emails.get(changed_by.get(key)),
        })
    audit.record(db.session(), Action.REGISTRATION_VIEW, user_id=user.id,
                 registration_id=registration.id)
    duplicates = operations.duplicates(db.session(), user, registration)
    db.session().commit()
    return render_template(
        "staff/guide/status.html",
        registration=registration, reference=reference(registration),
        status=shown_status(registration), labels=STATUS_LABELS,
        sections=sections_done(complete, applicable), section_count=SECTION_COUNT,
        identity=identity, duplicates=duplicates, reference_of=reference,
        language=locale_info(registration.locale).autonym if registration.locale else None,
        idle=format_timedelta(registration.updated_at - utcnow(), add_direction=True),
        guided=guided_form(registration),
        disclosures=recipients_holding(db.session(), registration.id),
    )


@bp.post("/guide/<registration_id>/reopen")
@login_required("guide")
def guide_reopen(registration_id: str):
    user = guide()
    registration = registration_for(user, registration_id, Do.REOPEN)
    if not CsrfForm().validate():
        return render_template("staff/guide/expired.html", registration=registration,
                               reference=reference(registration)), 400
    if operations.reopen(db.session(), user, registration):
        db.session().commit()
        flash(_s("The registration is open again. The person can change the answers and send "
                 "them again."))
    else:
        flash(_s("This registration is not submitted, so there was nothing to reopen."))
    return redirect(url_for("staff.guide_registration", registration_id=registration.id), 303)
