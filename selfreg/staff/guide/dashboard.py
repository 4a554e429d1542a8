"""``GET /staff/guide``: the guide's registrations, counted, filtered and paged.

The list reads no personal data — ids, centre, status, timestamps and which steps have an
answer row — so it needs no audit event per row; one ``registration.list`` event per page view
records that the list was seen.
"""
from __future__ import annotations

import math
from datetime import timedelta

from flask import render_template, request, url_for
from flask_babel import format_timedelta
from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import selectinload

from ... import audit, db
from ...audit import Action
from ...models import Answer, Registration, RegistrationStatus, utcnow
from ...numbers import small_int
from ...staff_i18n import _s
from .. import bp
from ..auth import login_required
from ..scope import visible_centres, visible_registrations
from . import operations
from .common import (
    EXPORTED,
    IN_PROGRESS,
    NOT_STARTED,
    SECTION_COUNT,
    SHOWN_STATUSES,
    STATUS_LABELS,
    SUBMITTED,
    guide,
    reference,
    sections_done,
    shown_status,
)
from .forms import FilterForm

PAGE_SIZE = 50


def _status_condition(status: str):
    submitted = Registration.status == RegistrationStatus.SUBMITTED
    return {
        NOT_STARTED: Registration.status == RegistrationStatus.NEW,
        IN_PROGRESS: Registration.status == RegistrationStatus.IN_PROGRESS,
        SUBMITTED: and_(submitted, Registration.exported_at.is_(None)),
        EXPORTED: and_(submitted, Registration.exported_at.is_not(None)),
    }[status]


def _counts(query: Select) -> dict[str, int]:
    rows = db.session().execute(
        query.with_only_columns(Registration.status, Registration.exported_at.is_not(None),
                                func.count())
        .group_by(Registration.status, Registration.exported_at.is_not(None))
    ).all()
    counts = dict.fromkeys(SHOWN_STATUSES, 0)
    for status, exported, number in rows:
        if status == RegistrationStatus.SUBMITTED:
            counts[EXPORTED if exported else SUBMITTED] += number
        elif status == RegistrationStatus.IN_PROGRESS:
            counts[IN_PROGRESS] += number
        else:
            counts[NOT_STARTED] += number
    return counts


def _filters(form: FilterForm, centres) -> dict[str, str]:
    """The filters that passed validation, as query-string values for links."""
    form.status.choices = [("", _s("All"))] + [(key, STATUS_LABELS[key]) for key in SHOWN_STATUSES]
    form.centre.choices = [("", _s("All my centres"))] + [(str(c.id), c.name) for c in centres]
    form.validate()
    chosen = {}
    if form.status.data in SHOWN_STATUSES:
        chosen["status"] = form.status.data
    if form.centre.data in {str(c.id) for c in centres}:
        chosen["centre"] = form.centre.data
    if not form.inactive.errors and form.inactive.data:
        chosen["inactive"] = str(form.inactive.data)
    return chosen


def _page_number(total_pages: int) -> int:
    number = small_int(request.args.get("page"), 6) or 1
    return min(max(number, 1), max(total_pages, 1))


def _sections(registrations: list[Registration]) -> dict[str, int]:
    ids = [registration.id for registration in registrations]
    answered: dict[str, set[str]] = {rid: set() for rid in ids}
    if ids:
        for rid, step in db.session().execute(
            select(Answer.registration_id, Answer.step).where(Answer.registration_id.in_(ids))
        ):
            answered[rid].add(step)
    return {rid: sections_done(steps) for rid, steps in answered.items()}


@bp.get("/guide")
@login_required("guide")
def guide_dashboard():
    user = guide()
    centres = visible_centres(user)
    form = FilterForm(request.args)
    chosen = _filters(form, centres)
    query = visible_registrations(user)
    if "centre" in chosen:
        query = query.where(Registration.centre_id == int(chosen["centre"]))
    counts = _counts(query)
    if "status" in chosen:
        query = query.where(_status_condition(chosen["status"]))
    if "inactive" in chosen:
        query = query.where(
            Registration.updated_at < utcnow() - timedelta(days=int(chosen["inactive"]))
        )
    if "inactive" in chosen:
        total = db.session().scalar(query.with_only_columns(func.count())) or 0
    else:  # the counts above already hold it: one pass over the guide's rows instead of two
        total = counts[chosen["status"]] if "status" in chosen else sum(counts.values())
    pages = math.ceil(total / PAGE_SIZE)
    page = _page_number(pages)
    rows = list(db.session().scalars(
        query.options(selectinload(Registration.centre))
        .order_by(Registration.updated_at.desc(), Registration.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ))
    sections = _sections(rows)
    flagged = operations.duplicate_ids(db.session(), [row.id for row in rows])
    now = utcnow()
    items = [{
        "registration": row,
        "reference": reference(row),
        "status": shown_status(row),
        "sections": sections[row.id],
        "idle": format_timedelta(row.updated_at - now, add_direction=True),
        "duplicate": row.id in flagged,
    } for row in rows]
    audit.record(db.session(), Action.REGISTRATION_LIST, user_id=user.id,
                 detail=f"page {page}, {len(rows)} rows")
    db.session().commit()

    def page_url(number: int) -> str:
        return url_for("staff.guide_dashboard", **chosen, page=number)

    return render_template(
        "staff/guide/dashboard.html",
        form=form, counts=counts, items=items, total=total, page=page, pages=pages,
        page_url=page_url, centres=centres, labels=STATUS_LABELS,
        section_count=SECTION_COUNT, statuses=SHOWN_STATUSES,
        filtered=bool(chosen),
    )
