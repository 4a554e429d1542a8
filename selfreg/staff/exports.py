"""Sealed bundles downloaded from the staff pages, for a registered recipient.

Counsellors export the submitted profiles of their region, admins every submitted profile; a
bundle is sealed to the recipient's public key, so neither can read it afterwards. Each case
file sent is audited and marked (``selfreg.exports.bundles``) once the download completes.
"""
from __future__ import annotations

from datetime import datetime, timezone

from flask import render_template, request
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField
from wtforms.validators import DataRequired, Optional

from .. import audit, db
from ..crypto.sealed_keys import KeyFileError, recipient_public_key_from_text
from ..exports import bundles
from ..exports.delivery import bundle_filename, bundle_response
from ..models import ExportRecipient, Registration, Role
from ..staff_i18n import _ls, _s
from . import bp
from .auth import current_user, login_required
from .scope import visible_registrations


class ExportForm(FlaskForm):
    recipient = SelectField(_ls("Recipient"), coerce=int,
                            validators=[DataRequired(_ls("Choose a recipient."))])
    since = DateField(_ls("Only registrations changed on or after (optional)"),
                      validators=[Optional()])


def _recipients() -> list[ExportRecipient]:
    return list(db.session().scalars(
        select(ExportRecipient).where(ExportRecipient.active.is_(True))
        .order_by(ExportRecipient.name)
    ))


def _scope(user):
    return visible_registrations(user) if user.role == Role.COUNSELLOR else None


@bp.route("/exports", methods=["GET", "POST"])
@login_required(Role.COUNSELLOR, Role.ADMIN)
def exports():
    user = current_user()
    recipients = _recipients()
    form = ExportForm()
    form.recipient.choices = [(r.id, f"{r.name} ({r.fingerprint[:16]})") for r in recipients]
    error = None
    status = 200
    if form.validate_on_submit():
        recipient = next(r for r in recipients if r.id == form.recipient.data)
        since = (datetime.combine(form.since.data, datetime.min.time(), tzinfo=timezone.utc)
                 if form.since.data else None)
        try:
            public_key = recipient_public_key_from_text(recipient.public_key, "recipient")
        except KeyFileError:
            error, status = _s("This recipient's public key is not usable; ask an admin."), 409
        else:
            win = bundles.window(since)
            query = bundles.selection(win, _scope(user))
            return bundle_response(db.session(), query, win, public_key,
                                   filename=bundle_filename(win.until), user_id=user.id,
                                   actor=audit.STAFF)
    elif request.method == "POST":
        status = 400
    win = bundles.window(None)
    pending = bundles.count(db.session(), bundles.selection(win, _scope(user)).where(
        Registration.exported_at.is_(None)))
    return render_template("staff/exports.html", form=form, error=error,
                           has_recipients=bool(recipients), pending=pending), status
