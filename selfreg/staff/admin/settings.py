"""The retention period, and what falls due for deletion (counts only, no person data)."""
from __future__ import annotations

from flask import current_app, flash, redirect, request, url_for

from ... import db, retention
from ...keyops import expired, held
from ...staff_i18n import _s
from .. import bp
from ..auth import current_user
from ..forms import CsrfForm
from . import operations
from .common import admin_required, render, stale_form_message
from .forms import RetentionForm


def _page(form: RetentionForm | None = None, error: str | None = None, status: int = 200):
    session = db.session()
    config = current_app.config
    days = retention.effective_retention_days(session, config)
    if form is None:
        form = RetentionForm(formdata=None, data={"retention_days": days})
    return render(
        "staff/admin/settings.html", status, form=form, error=error, days=days,
        configured=retention.configured_retention_days(config),
        override=retention.override_days(session),
        minimum=retention.MIN_RETENTION_DAYS, maximum=retention.MAX_RETENTION_DAYS,
        # Ids are counted and dropped: only the number reaches the page.
        expired_count=len(expired(session, days)),
        held_count=held(session, days),
        restricted_count=retention.restricted_count(session),
        due=retention.due_by_month(session, days),
    )


@bp.route("/admin/settings", methods=["GET", "POST"])
@admin_required
def admin_settings():
    if request.method == "GET":
        return _page()
    form = RetentionForm()
    if form.validate_on_submit():
        operations.set_retention(db.session(), current_user(), form.retention_days.data)
        db.session().commit()
        flash(_s("The retention period is now %(days)d days.", days=form.retention_days.data),
              "notice")
        return redirect(url_for("staff.admin_settings"), 303)
    return _page(form, status=400)


@bp.route("/admin/settings/retention/default", methods=["POST"])
@admin_required
def admin_settings_retention_default():
    if not CsrfForm().validate():
        return _page(error=stale_form_message(), status=400)
    operations.set_retention(db.session(), current_user(), None)
    db.session().commit()
    flash(_s("The retention period is the configured one again."), "notice")
    return redirect(url_for("staff.admin_settings"), 303)
