"""Check your answers, submit, and the receipt that says what happens next."""
from __future__ import annotations

from flask import redirect, render_template, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm

from .. import db, saves
from ..exports import stats_facts
from ..i18n import current_locale_code
from ..questionnaire import flow
from ..questionnaire.catalogue import CATALOGUE
from ..questionnaire.display import entry_title, show_step
from ..registrations import submit
from ..security import clear_site_data
from . import bp
from .auth import consent_required, current_registration, personal_store
from .consent import retention_months
from .saving import RESTRICTED_MESSAGE, RESTRICTED_STATUS


def review_sections(answers, locale: str) -> list[dict]:
    """Everything answered, grouped by section, with what is still missing."""
    applicable = {step.key for step in flow.applicable_steps(CATALOGUE, answers)}
    sections = []
    for section in CATALOGUE.sections:
        steps = []
        for step in section.steps:
            if step.key not in applicable:
                continue
            values = answers.get(step.key)
            item = {"step": step, "missing": not flow.is_step_complete(step, answers)}
            if step.repeatable:
                item["entries"] = [
                    {"id": entry["id"], "title": entry_title(step, entry, locale),
                     "answers": show_step(step, entry, locale)}
                    for entry in (values or {}).get(flow.ENTRIES, [])
                ]
            else:
                item["answers"] = show_step(step, values or {}, locale)
            steps.append(item)
        if steps:
            sections.append({"section": section, "steps": steps})
    return sections


@bp.route("/review", methods=["GET"])
@consent_required
def review():
    registration = current_registration()
    if registration.is_submitted:
        return redirect(url_for("resident.receipt"))
    answers = personal_store().load_all(registration)
    missing = flow.missing_steps(CATALOGUE, answers)
    return render_template(
        "resident/review.html",
        sections=review_sections(answers, current_locale_code()),
        missing=missing,
        form=FlaskForm(),
        error=None,
    )


@bp.post("/submit")
@consent_required
def submit_registration():
    registration = current_registration()
    if registration.is_submitted:
        return redirect(url_for("resident.receipt"), 303)
    answers = personal_store().load_all(registration)
    missing = flow.missing_steps(CATALOGUE, answers)
    form = FlaskForm()
    error, status = None, 400
    if not form.validate():
        error = gettext("This page was open too long. Press Send again.")
    elif missing:
        error = gettext("Some questions are not answered yet. Answer them, then send.")
    else:
        try:
            saves.hold_for_writing(db.session(), registration)
        except saves.RegistrationRestricted:
            db.session().rollback()
            error, status = RESTRICTED_MESSAGE, RESTRICTED_STATUS
    if error:
        return render_template(
            "resident/review.html",
            sections=review_sections(answers, current_locale_code()),
            missing=missing,
            form=form,
            error=error,
        ), status
    submit(registration)
    stats_facts.keep(personal_store(), registration, answers)
    db.session().commit()
    # Sent: pages and answers kept on this phone for offline use are not needed any more.
    return clear_site_data(redirect(url_for("resident.receipt"), 303))


@bp.get("/receipt")
@consent_required
def receipt():
    registration = current_registration()
    if not registration.is_submitted:
        return redirect(url_for("resident.review"))
    answers = flow.prune(CATALOGUE, personal_store().load_all(registration))
    return render_template(
        "resident/receipt.html",
        registration=registration,
        sections=review_sections(answers, current_locale_code()),
        months=retention_months(),
    )
