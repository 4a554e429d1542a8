"""Restrict a registration's processing (GDPR art. 18) and lift it, each after a confirmation.

While restricted the data is only stored: ``selfreg.staff.scope`` hides it from counsellors and
leaves guides only this page, the status page and erasure; exports, statistics, the retention
purge and the person's saves leave it alone.
"""
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


def _confirm(registration, *, lifting: bool, expired: bool = False):
    shown = reference(registration)
    heading = (_s("Lift the restriction on registration %(reference)s", reference=shown)
               if lifting else _s("Restrict registration %(reference)s", reference=shown))
    return render_template(
        "staff/guide/restriction.html", registration=registration, reference=shown,
        heading=heading, lifting=lifting, expired=expired,
        disclosures=[] if lifting else recipients_holding(db.session(), registration.id),
    ), 400 if expired else 200


def _back(registration):
    return redirect(url_for("staff.guide_registration", registration_id=registration.id), 303)


@bp.route("/guide/<registration_id>/restrict", methods=["GET", "POST"])
@login_required("guide")
def guide_restrict(registration_id: str):
    user = guide()
    registration = registration_for(user, registration_id, Do.RESTRICT)
    if request.method == "GET":
        return _back(registration) if registration.is_restricted else _confirm(
            registration, lifting=False)
    if not CsrfForm().validate():
        return _confirm(registration, lifting=False, expired=True)
    if operations.restrict(db.session(), user, registration):
        db.session().commit()
        flash(_s("Registration %(reference)s is restricted. Its answers are only stored until "
                 "you lift the restriction.", reference=reference(registration)))
        disclosures = recipients_holding(db.session(), registration.id)
        if disclosures:
            flash(tell_recipients(disclosures, erased=False))
    else:
        flash(_s("This registration is restricted already."))
    return _back(registration)


@bp.route("/guide/<registration_id>/restriction/lift", methods=["GET", "POST"])
@login_required("guide")
def guide_lift_restriction(registration_id: str):
    user = guide()
    registration = registration_for(user, registration_id, Do.RESTRICT)
    if request.method == "GET":
        return _confirm(registration, lifting=True) if registration.is_restricted else _back(
            registration)
    if not CsrfForm().validate():
        return _confirm(registration, lifting=True, expired=True)
    if operations.lift_restriction(db.session(), user, registration):
        db.session().commit()
        flash(_s("The restriction on registration %(reference)s is lifted.",
                 reference=reference(registration)))
    else:
        flash(_s("This registration is not restricted."))
    return _back(registration)
