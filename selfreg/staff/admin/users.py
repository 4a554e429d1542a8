"""Staff users: list, create (temporary password shown once), edit, resets, deactivation."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ... import accounts, db
from ...models import User
from ...staff_i18n import _s
from .. import bp
from ..auth import current_user
from ..forms import CsrfForm
from . import operations
from .common import (
    admin_required,
    centre_choices,
    centres_from_choice,
    paginate,
    region_choices,
    region_from_choice,
    render,
    stale_form_message,
)
from .forms import ROLE_LABELS, UserCreateForm, UserEditForm


def _user_or_404(user_id: int) -> User:
    user = db.session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def _fill_choices(form) -> None:
    form.centres.choices = centre_choices()
    form.region.choices = region_choices()


@bp.route("/admin/users")
@admin_required
def admin_users():
    page = paginate(
        select(User).options(selectinload(User.centres), selectinload(User.region))
        .order_by(User.email)
    )
    return render("staff/admin/users.html", page=page, role_labels=ROLE_LABELS)


@bp.route("/admin/users/new", methods=["GET", "POST"])
@admin_required
def admin_user_new():
    form = UserCreateForm()
    _fill_choices(form)
    error = None
    if form.validate_on_submit():
        session = db.session()
        email = accounts.normalise_email(form.email.data)
        if session.scalar(select(func.count()).select_from(User).where(User.email == email)):
            form.email.errors.append(_s("A user with that e-mail address exists already."))
        else:
            try:
                user, password = operations.create_user(
                    session, current_user(), email=email, role=form.role.data,
                    centres=centres_from_choice(form.centres.data),
                    region=region_from_choice(form.region.data),
                )
            except accounts.AccountError:
                session.rollback()
                error = _s("The user could not be created. Check the e-mail address.")
            else:
                session.commit()
                # Shown in this answer only: never stored, never in a cookie or a URL.
                return render("staff/admin/user_password.html", user=user, password=password,
                              created=True)
    if request.method == "POST":
        return render("staff/admin/user_new.html", 400, form=form, error=error)
    return render("staff/admin/user_new.html", form=form, error=error)


@bp.route("/admin/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def admin_user_edit(user_id: int):
    user = _user_or_404(user_id)
    admin = current_user()
    if request.method == "POST":
        form = UserEditForm()
    else:
        form = UserEditForm(data={"role": user.role, "centres": [c.id for c in user.centres],
                                  "region": str(user.region_id or "")})
    _fill_choices(form)
    error = None
    if form.validate_on_submit():
        session = db.session()
        try:
            changed = operations.change_user(
                session, admin, user, role=form.role.data,
                centres=centres_from_choice(form.centres.data),
                region=region_from_choice(form.region.data),
            )
        except operations.SelfDemotion:
            error = _s("You cannot change your own role. Ask another administrator.")
        else:
            session.commit()
            flash(_s("Saved.") if changed else _s("Nothing was changed."), "notice")
            return redirect(url_for("staff.admin_user_edit", user_id=user.id), 303)
    status = 400 if request.method == "POST" else 200
    return _edit_page(user, form, error, status)


def _edit_page(user: User, form=None, error: str | None = None, status: int = 200):
    if form is None:
        form = UserEditForm(data={"role": user.role, "centres": [c.id for c in user.centres],
                                  "region": str(user.region_id or "")})
        _fill_choices(form)
    return render("staff/admin/user_edit.html", status, user=user, form=form, error=error,
                  is_self=user.id == current_user().id, role_labels=ROLE_LABELS)


def _button_refused(user: User):
    """A button form whose CSRF token is missing or stale: show the page again, change nothing."""
    return _edit_page(user, error=stale_form_message(), status=400)


@bp.route("/admin/users/<int:user_id>/password", methods=["POST"])
@admin_required
def admin_user_reset_password(user_id: int):
    user = _user_or_404(user_id)
    if not CsrfForm().validate():
        return _button_refused(user)
    password = operations.reset_password(db.session(), current_user(), user)
    db.session().commit()
    return render("staff/admin/user_password.html", user=user, password=password, created=False)


@bp.route("/admin/users/<int:user_id>/second-factor", methods=["POST"])
@admin_required
def admin_user_reset_totp(user_id: int):
    user = _user_or_404(user_id)
    if not CsrfForm().validate():
        return _button_refused(user)
    operations.reset_second_factor(db.session(), current_user(), user)
    db.session().commit()
    flash(_s("The second factor was reset. The user sets up the authenticator app again at the "
             "next login."), "notice")
    return redirect(url_for("staff.admin_user_edit", user_id=user.id), 303)


@bp.route("/admin/users/<int:user_id>/deactivate", methods=["POST"])
@admin_required
def admin_user_deactivate(user_id: int):
    return _set_active(user_id, False)


@bp.route("/admin/users/<int:user_id>/reactivate", methods=["POST"])
@admin_required
def admin_user_reactivate(user_id: int):
    return _set_active(user_id, True)


def _set_active(user_id: int, active: bool):
    user = _user_or_404(user_id)
    if not CsrfForm().validate():
        return _button_refused(user)
    try:
        operations.set_active(db.session(), current_user(), user, active)
    except operations.SelfDeactivation:
        return _edit_page(user, error=_s("You cannot deactivate yourself. Ask another "
                                         "administrator."), status=400)
    db.session().commit()
    flash(_s("The user can log in again.") if active
          else _s("The user is deactivated and logged out everywhere."), "notice")
    return redirect(url_for("staff.admin_user_edit", user_id=user.id), 303)
