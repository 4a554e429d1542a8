"""Finding a person: by DUF number (a POST, never in a URL), or in the region's list.

The DUF number is turned into its blind index (PersonalStore.duf_lookup) and matched within
the registrations this counsellor may see; the number itself is neither stored nor logged,
and the audit trail says only whether something was found. The list shows nothing personal:
a short reference, the centre, dates and whether the profile was followed up.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import redirect, render_template, request, url_for
from sqlalchemy import func, select

from ... import audit, db
from ...audit import Action
from ...models import Registration, StaffRecord
from ...numbers import small_int
from ...staff_i18n import _s
from ...storage import CAREER_NOTE, VERIFICATION
from .. import bp
from ..auth import current_user
from ..scope import visible_registrations
from .common import counsellor_only, personal_store, reference
from .forms import FindByDufForm

PAGE_SIZE = 50
FILTER_OPEN = "open"  # not yet followed up


@dataclass(frozen=True)
class Row:
    id: str
    reference: str
    centre: str
    submitted_at: datetime | None
    followed_up_at: datetime | None
    verification_started: bool
    has_note: bool


def _page_number() -> int:
    number = small_int(request.args.get("page"), 6)
    return 1 if number is None else number


def _list_page(user, only_open: bool, page: int):
    query = visible_registrations(user)
    if only_open:
        query = query.where(Registration.followed_up_at.is_(None))
    session = db.session()
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(page, pages)
    found = list(session.scalars(
        query.order_by(Registration.submitted_at.desc(), Registration.id)
        .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ))
    kinds: dict[str, set[str]] = {}
    if found:
        # Which staff records exist (not their content: nothing is decrypted for the list).
        for registration_id, kind in session.execute(
            select(StaffRecord.registration_id, StaffRecord.kind)
            .where(StaffRecord.registration_id.in_([r.id for r in found]))
        ):
            kinds.setdefault(registration_id, set()).add(kind)
    rows = [
        Row(r.id, reference(r.id), r.centre.name, r.submitted_at, r.followed_up_at,
            VERIFICATION in kinds.get(r.id, ()), CAREER_NOTE in kinds.get(r.id, ()))
        for r in found
    ]
    return rows, total, page, pages


def _render_home(user, form: FindByDufForm, *, error=None, matches=(), status=200):
    only_open = request.args.get("filter") == FILTER_OPEN
    rows, total, page, pages = _list_page(user, only_open, _page_number())
    detail = f"counsellor page {page}, {len(rows)} shown" + (", open" if only_open else "")
    audit.record(db.session(), Action.REGISTRATION_LIST, user_id=user.id, detail=detail)
    db.session().commit()
    return render_template(
        "staff/counsellor/home.html", form=form, error=error, matches=matches, rows=rows,
        total=total, page=page, pages=pages, only_open=only_open, filter_open=FILTER_OPEN,
    ), status


@bp.get("/counsellor")
@counsellor_only
def counsellor_home():
    return _render_home(current_user(), FindByDufForm(formdata=None))


@bp.post("/counsellor/find")
@counsellor_only
def counsellor_find():
    user = current_user()
    form = FindByDufForm()
    if not form.validate():
        return _render_home(user, form, status=400)
    index = personal_store().duf_lookup(form.duf_number.data)
    found = list(db.session().scalars(
        visible_registrations(user).where(Registration.duf_index == index)
        .order_by(Registration.submitted_at.desc()).limit(PAGE_SIZE)
    )) if index else []
    audit.record(db.session(), Action.PROFILE_SEARCH, user_id=user.id,
                 registration_id=found[0].id if len(found) == 1 else None,
                 detail="found" if found else "not found")
    db.session().commit()
    if len(found) == 1:
        return redirect(url_for("staff.counsellor_profile", registration_id=found[0].id), 303)
    if not found:
        return _render_home(user, form, error=_s(
            "No submitted profile in your region has this DUF number. Check the number, or ask "
            "the centre whether the person has submitted."))
    matches = [Row(r.id, reference(r.id), r.centre.name, r.submitted_at, r.followed_up_at,
                   False, False) for r in found]
    return _render_home(user, form, matches=matches)
