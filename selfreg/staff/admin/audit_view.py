"""The audit trail: newest first, filtered by user, registration id, action and dates.

The filters travel in the query string (a GET form): a user, a registration's random id, an
action name and dates are not a resident's personal data. Each view is itself audited.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

from flask import request
from sqlalchemy import select, true
from wtforms.fields.choices import SelectChoice

from ... import audit, db
from ...audit import Action
from ...models import AuditEvent, User
from ...staff_i18n import _s
from .. import bp
from ..auth import current_user
from . import operations
from .common import admin_required, paginate, render
from .forms import AuditFilterForm

NO_USER = "none"
# Action names known to the code, so a filter can be chosen before the first such event.
KNOWN_ACTIONS = {value for name, value in vars(Action).items() if name.isupper()} | {
    operations.CENTRE_CREATE, operations.CENTRE_CHANGE, operations.REGION_CREATE,
    operations.RECIPIENT_CREATE, operations.RECIPIENT_CHANGE, operations.RECIPIENT_TOKEN,
}


def _filter_form() -> AuditFilterForm:
    session = db.session()
    form = AuditFilterForm(formdata=request.args)
    users = session.execute(select(User.id, User.email).order_by(User.email)).all()
    form.user.choices = ([SelectChoice("", _s("Anyone")),
                          SelectChoice(NO_USER, _s("No staff user (resident or system)"))]
                         + [SelectChoice(str(uid), email) for uid, email in users])
    stored = set(session.scalars(select(AuditEvent.action).distinct()))
    form.action.choices = [SelectChoice("", _s("Any action"))] + [
        SelectChoice(action) for action in sorted(KNOWN_ACTIONS | stored)]
    return form


def _start_of(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def _filtered(form: AuditFilterForm):
    """The events the filters select, newest first, and the names of the filters used."""
    conditions = {}
    if form.user.data == NO_USER:
        conditions["user"] = AuditEvent.user_id.is_(None)
    elif form.user.data:
        conditions["user"] = AuditEvent.user_id == int(form.user.data)
    if form.registration.data:
        conditions["registration"] = AuditEvent.registration_id == form.registration.data
    if form.action.data:
        conditions["action"] = AuditEvent.action == form.action.data
    if form.date_from.data:
        conditions["from"] = AuditEvent.at >= _start_of(form.date_from.data)
    if form.date_to.data:
        # Before the next day; the last day a date can be (9999-12-31) has none, and needs no limit.
        end = form.date_to.data
        conditions["to"] = (AuditEvent.at < _start_of(end + timedelta(days=1)) if end < date.max
                            else true())
    query = select(AuditEvent).where(*conditions.values()).order_by(AuditEvent.seq.desc())
    return query, list(conditions)


@bp.route("/admin/audit")
@admin_required
def admin_audit():
    session = db.session()
    form = _filter_form()
    # The whole chain is re-hashed on every view: one SHA-256 per event, about a second per
    # million events - fine at this scale (tens of thousands a year). If the trail grows far
    # beyond that, check from a remembered verified point instead (or only on request).
    chain = audit.verify(session)
    if request.args and not form.validate():
        return render("staff/admin/audit.html", 400, form=form, page=None, emails={},
                      chain=chain)
    query, used = _filtered(form)
    page = paginate(query)
    ids = {event.user_id for event in page.items if event.user_id is not None}
    emails = dict(session.execute(select(User.id, User.email).where(User.id.in_(ids))).all()) \
        if ids else {}
    audit.record(session, Action.AUDIT_VIEW, user_id=current_user().id,
                 registration_id=form.registration.data or None,
                 detail=f"page {page.number}" + (f" filters {','.join(used)}" if used else ""))
    session.commit()
    return render("staff/admin/audit.html", form=form, page=page, emails=emails, chain=chain)
