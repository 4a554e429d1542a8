"""The privacy notice in plain words, accepted before the first question."""
from __future__ import annotations

from flask import current_app, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField

from .. import db, saves
from ..i18n import current_locale_code
from ..questionnaire.catalogue import CATALOGUE
from ..registrations import record_consent
from . import bp
from .auth import current_registration, registration_required
from .saving import RESTRICTED_MESSAGE, RESTRICTED_STATUS


class ConsentForm(FlaskForm):
    accept = BooleanField(_l("I have read this. I want to register my competence."))


def retention_months() -> int:
    from .. import db
    from ..retention import effective_retention_days

    return max(1, round(effective_retention_days(db.session(), current_app.config) / 30.44))


def responsible() -> dict[str, str]:
    """Who is responsible for the data and how to reach them, as the operator wrote it."""
    config = current_app.config
    return {"controller": config.get("SELFREG_CONTROLLER") or "",
            "dpo_contact": config.get("SELFREG_DPO_CONTACT") or ""}


@bp.route("/privacy", methods=["GET", "POST"])
@registration_required
def privacy():
    registration = current_registration()
    form = ConsentForm()
    error, status = None, 400
    if request.method == "POST":
        if not form.validate():
            error = gettext("This page was open too long. Try again.")
        elif not form.accept.data:
            error = gettext("Tick the box to say that you have read this, if you want to go on.")
        elif registration.consented_at is None:
            try:
                saves.hold_for_writing(db.session(), registration)
            except saves.RegistrationRestricted:
                db.session().rollback()
                error, status = RESTRICTED_MESSAGE, RESTRICTED_STATUS
            else:
                record_consent(registration, current_locale_code(), CATALOGUE.version)
                db.session().commit()
                return redirect(url_for("resident.resume"), 303)
        else:
            return redirect(url_for("resident.resume"), 303)
    return render_template(
        "resident/privacy.html",
        form=form,
        error=error,
        already=registration.consented_at is not None,
        months=retention_months(),
        **responsible(),
    ), (status if error else 200)
