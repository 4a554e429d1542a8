"""Logging in (password, then a TOTP code), setting up the authenticator, logging out.

Every answer to a wrong e-mail, password or code is the same, and every failure counts towards
a lock-out per account name and per client address, shared by all workers (selfreg.accounts).
"""
from __future__ import annotations

import segno
from flask import abort, current_app, redirect, render_template, request, url_for
from markupsafe import Markup

from .. import accounts, audit, db, keys
from ..audit import Action
from ..crypto import totp
from ..staff_i18n import _s
from . import bp
from .auth import FULL_STAGE, PASSWORD_STAGE, begin, current_user, end, login_required, pending_user
from .forms import CsrfForm, LoginForm, PasswordForm, TotpForm

ISSUER = "selfreg"


def _login_keys(email: str) -> accounts.LoginKeys:
    return accounts.login_keys(keys.keyring(), email, request.remote_addr)


def _locked_for(login_keys: accounts.LoginKeys) -> int:
    config = current_app.config
    return accounts.lockout_remaining(
        db.session(), login_keys, limit=config["SELFREG_LOGIN_ATTEMPT_LIMIT"],
        window_seconds=config["SELFREG_LOGIN_LOCKOUT_SECONDS"],
    )


def _record_failure(login_keys: accounts.LoginKeys, user_id: int | None) -> None:
    accounts.record_failure(db.session(), login_keys,
                            window_seconds=current_app.config["SELFREG_LOGIN_LOCKOUT_SECONDS"])
    audit.record(db.session(), Action.LOGIN_FAILED, user_id=user_id)
    db.session().commit()


def _locked_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return _s("Too many failed attempts. Try again in %(minutes)d minutes.", minutes=minutes)


@bp.route("/", methods=["GET", "POST"])
def login():
    if current_user() is not None:
        return redirect(url_for("staff.home"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        login_keys = _login_keys(form.email.data)
        remaining = _locked_for(login_keys)
        if remaining:
            error, status = _locked_message(remaining), 429
        else:
            user = accounts.find_by_password(db.session(), form.email.data, form.password.data)
            if user is None:
                _record_failure(login_keys, None)
                error, status = _s("Wrong e-mail address or password."), 401
            else:
                begin(user, PASSWORD_STAGE)
                db.session().commit()
                return redirect(url_for("staff.second_factor"), 303)
    elif request.method == "POST":
        status = 400
    return render_template("staff/login.html", form=form, error=error), status


@bp.route("/totp", methods=["GET", "POST"])
def second_factor():
    user = pending_user()
    if user is None:
        return redirect(url_for("staff.login"))
    keyring = keys.keyring()
    enrolling = not user.totp_confirmed
    if enrolling and user.totp_wrapped is None:
        accounts.start_totp_enrolment(keyring, user)
        db.session().commit()
    form = TotpForm()
    error = None
    status = 200
    if form.validate_on_submit():
        login_keys = _login_keys(user.email)
        remaining = _locked_for(login_keys)
        if remaining:
            error, status = _locked_message(remaining), 429
        elif accounts.accept_totp(keyring, user, form.code.data):
            accounts.clear_failures(db.session(), login_keys)
            accounts.record_login(user)
            if enrolling:
                audit.record(db.session(), Action.TOTP_ENROLLED, user_id=user.id)
            audit.record(db.session(), Action.LOGIN, user_id=user.id, detail=user.role)
            begin(user, FULL_STAGE)
            db.session().commit()
            return redirect(url_for("staff.home"), 303)
        else:
            _record_failure(login_keys, user.id)
            error, status = _s("That code is wrong or already used. Wait for a new code."), 401
    elif request.method == "POST":
        status = 400
    context = {"form": form, "error": error, "enrolling": enrolling}
    if enrolling:
        secret = accounts.totp_secret(keyring, user)
        uri = totp.provisioning_uri(secret, user.email, ISSUER)
        # nosec B704: segno writes the SVG and escapes the title; the URI is only QR modules
        context["qr_svg"] = Markup(segno.make(uri, error="m").svg_inline(  # nosec B704
            scale=4, title=_s("QR code for your authenticator app")))
        context["manual_secret"] = totp.base32_secret(secret)
    return render_template("staff/totp.html", **context), status


@bp.route("/logout", methods=["POST"])
def logout():
    if not CsrfForm().validate():
        abort(400)
    user = current_user() or pending_user()
    if user is not None:
        audit.record(db.session(), Action.LOGOUT, user_id=user.id)
    end()
    db.session().commit()
    return redirect(url_for("staff.login"), 303)


@bp.route("/home")
@login_required()
def home():
    return render_template("staff/home.html", user=current_user())


@bp.route("/password", methods=["GET", "POST"])
@login_required()
def change_password():
    user = current_user()
    form = PasswordForm()
    error = None
    status = 200
    if form.validate_on_submit():
        if accounts.find_by_password(db.session(), user.email, form.current.data) is None:
            error, status = _s("The current password is wrong."), 400
        else:
            accounts.set_password(user, form.new.data)
            audit.record(db.session(), Action.USER_CHANGE, user_id=user.id,
                         detail="own password")
            db.session().commit()
            return redirect(url_for("staff.home"), 303)
    elif request.method == "POST":
        status = 400
    return render_template("staff/password.html", form=form, error=error,
                           forced=user.must_change_password), status
