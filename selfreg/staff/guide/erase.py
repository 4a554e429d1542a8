"""Erase a registration (crypto-shredding), after a confirmation page."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for

from ... import db
from ...exports.disclosures import recipients_holding
from ...staff_i18n import _s
from .. import bp
from ..auth import login_required
from ..forms import CsrfForm
from ..scope import Do, registration_for
from . import operations
from .common import guide, reference, tell_recipients


@bp.route("/guide/<registration_id>/erase", methods=["GET", "POST"])
@login_required("guide")
def guide_erase(registration_id: str):
    user = guide()
    registration = registration_for(user, registration_id, Do.ERASE)
    form = CsrfForm()
    disclosures = recipients_holding(db.session(), registration.id)
    if request.method == "POST":
        if not form.validate():
            return render_template("staff/guide/erase.html", registration=registration,
                                   reference=reference(registration), form=form,
                                   expired=True, disclosures=disclosures), 400
        operations.erase(db.session(), user, registration)
        db.session().commit()
        flash(_s("Registration %(reference)s is erased. Its answers cannot be read any more. "
                 "Copies in older backups become unreadable at the next scheduled purge, when "
                 "the old keys are destroyed.", reference=reference(registration)))
        if disclosures:
            flash(tell_recipients(disclosures, erased=True))
        return redirect(url_for("staff.guide_dashboard"), 303)
    return render_template("staff/guide/erase.html", registration=registration,
                           reference=reference(registration), form=form, expired=False,
                           disclosures=disclosures)
