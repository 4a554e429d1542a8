"""Reception centres and regions: create, rename, and how many registrations each centre has.

Only counts by status are shown (aggregates): admins see no person's data.
"""
from __future__ import annotations

from collections import defaultdict

from flask import abort, flash, redirect, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ... import db
from ...models import Centre, Region, Registration, RegistrationStatus, User
from ...staff_i18n import _ls, _s
from .. import bp
from ..auth import current_user
from . import operations
from .common import admin_required, paginate, region_choices, region_from_choice, render
from .forms import CentreForm, RegionForm

STATUS_LABELS = {
    RegistrationStatus.NEW: _ls("Not started"),
    RegistrationStatus.IN_PROGRESS: _ls("In progress"),
    RegistrationStatus.SUBMITTED: _ls("Submitted"),
    RegistrationStatus.ERASED: _ls("Erased"),
}


def _counts(centre_ids: list[int]) -> dict[int, dict[str, int]]:
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if centre_ids:
        rows = db.session().execute(
            select(Registration.centre_id, Registration.status, func.count())
            .where(Registration.centre_id.in_(centre_ids))
            .group_by(Registration.centre_id, Registration.status)
        )
        for centre_id, status, count in rows:
            counts[centre_id][status] = count
    return counts


def _name_taken(model, name: str, except_id: int | None = None) -> bool:
    query = select(func.count()).select_from(model).where(model.name == name)
    if except_id is not None:
        query = query.where(model.id != except_id)
    return bool(db.session().scalar(query))


def _list_page(centre_form: CentreForm, region_form: RegionForm, status: int = 200):
    page = paginate(select(Centre).options(selectinload(Centre.region)).order_by(Centre.name))
    regions = db.session().execute(
        select(Region, func.count(Centre.id))
        .outerjoin(Centre, Centre.region_id == Region.id)
        .group_by(Region.id).order_by(Region.name)
    ).all()
    counsellors = dict(db.session().execute(
        select(User.region_id, func.count()).where(User.region_id.is_not(None), User.active)
        .group_by(User.region_id)
    ).all())
    return render("staff/admin/centres.html", status, page=page,
                  counts=_counts([c.id for c in page.items]), statuses=STATUS_LABELS,
                  regions=regions, counsellors=counsellors, centre_form=centre_form,
                  region_form=region_form)


def _centre_form(**kwargs) -> CentreForm:
    form = CentreForm(**kwargs)
    form.region.choices = region_choices()
    return form


@bp.route("/admin/centres")
@admin_required
def admin_centres():
    return _list_page(_centre_form(), RegionForm())


@bp.route("/admin/centres/new", methods=["POST"])
@admin_required
def admin_centre_new():
    form = _centre_form()
    if form.validate_on_submit():
        if _name_taken(Centre, form.name.data):
            form.name.errors.append(_s("A centre with that name exists already."))
        else:
            operations.create_centre(db.session(), current_user(), name=form.name.data,
                                     municipality=form.municipality.data,
                                     region=region_from_choice(form.region.data))
            db.session().commit()
            flash(_s("The centre was added."), "notice")
            return redirect(url_for("staff.admin_centres"), 303)
    return _list_page(form, RegionForm(formdata=None), 400)


@bp.route("/admin/regions/new", methods=["POST"])
@admin_required
def admin_region_new():
    form = RegionForm()
    if form.validate_on_submit():
        if _name_taken(Region, form.region_name.data):
            form.region_name.errors.append(_s("A region with that name exists already."))
        else:
            operations.create_region(db.session(), current_user(), form.region_name.data)
            db.session().commit()
            flash(_s("The region was added."), "notice")
            return redirect(url_for("staff.admin_centres"), 303)
    return _list_page(_centre_form(formdata=None), form, 400)


@bp.route("/admin/centres/<int:centre_id>", methods=["GET", "POST"])
@admin_required
def admin_centre_edit(centre_id: int):
    centre = db.session().get(Centre, centre_id)
    if centre is None:
        abort(404)
    if request.method == "POST":
        form = _centre_form()
    else:
        form = _centre_form(data={"name": centre.name, "municipality": centre.municipality or "",
                                  "region": str(centre.region_id or "")})
    if form.validate_on_submit():
        if _name_taken(Centre, form.name.data, except_id=centre.id):
            form.name.errors.append(_s("A centre with that name exists already."))
        else:
            changed = operations.change_centre(
                db.session(), current_user(), centre, name=form.name.data,
                municipality=form.municipality.data, region=region_from_choice(form.region.data),
            )
            db.session().commit()
            flash(_s("Saved.") if changed else _s("Nothing was changed."), "notice")
            return redirect(url_for("staff.admin_centres"), 303)
    counts = _counts([centre.id]).get(centre.id, {})
    return render("staff/admin/centre_edit.html", 400 if request.method == "POST" else 200,
                  centre=centre, form=form, counts=counts, statuses=STATUS_LABELS)
