"""The front door: choose a language, type the code (or follow a one-time link), sign out."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext, lazy_gettext as _l, ngettext
from flask_wtf import FlaskForm
from wtforms import StringField

from .. import access_codes, db, keys, registrations
from ..questionnaire.sanitise import clean_line
from ..security import clear_site_data
from . import bp
from .auth import current_registration, sign_in, sign_out


class CodeForm(FlaskForm):
    code = StringField(_l("Your code"), filters=[clean_line])


def _client_key() -> bytes:
    return registrations.client_key(keys.keyring(), request.remote_addr)


def _locked_message(seconds: int) -> str:
    minutes = max(1, (seconds + 59) // 60)
    return ngettext(
        "Too many wrong codes. Wait %(num)d minute and try again, or ask the staff.",
        "Too many wrong codes. Wait %(num)d minutes and try again, or ask the staff.",
        minutes,
    )


def _after_sign_in():
    registration = current_registration()
    if registration is not None and registration.consented_at is None:
        return redirect(url_for("resident.privacy"))
    return redirect(url_for("resident.resume"))


@bp.route("/", methods=["GET", "POST"])
def index():
    form = CodeForm()
    error, status = None, 200
    if request.method == "POST":
        error, status = _check_code(form)
        if error is None:
            return _after_sign_in()
    return render_template(
        "resident/index.html", form=form, error=error, signed_in=current_registration()
    ), status


def _check_code(form: CodeForm) -> tuple[str | None, int]:
    """Sign in with the typed code, or return the message to show and the status."""
    if not form.validate():
        return gettext("This page was open too long. Type the code again."), 400
    config = current_app.config
    limit = config["SELFREG_CODE_ATTEMPT_LIMIT"]
    window = config["SELFREG_CODE_LOCKOUT_SECONDS"]
    database = db.session()
    key = _client_key()
    remaining = registrations.lockout_remaining(database, key, limit=limit, window_seconds=window)
    if remaining:
        return _locked_message(remaining), 429
    canonical = access_codes.normalise(form.code.data or "")
    if not canonical:
        return gettext("Type the code from your paper."), 400
    if not access_codes.is_well_formed(canonical):
        # Caught without asking the database: a typo, not a guess, so it does not count.
        return gettext(
            "This code is not right. Check each character. The code has 12 characters, "
            "for example ABCD-EFGH-JKMN."
        ), 400
    registration = registrations.find_by_code(database, keys.keyring(), canonical)
    if registration is None:
        registrations.record_failed_code(database, key, window_seconds=window)
        database.commit()
        return gettext("We did not find this code. Check it, or ask the staff for a new one."), 400
    registrations.clear_failed_codes(database, key)
    database.commit()
    sign_in(registration)
    return None, 200


@bp.get("/l/<token>")
def one_time_link(token: str):
    """A link from a QR code: exchanged once for a session, then useless."""
    database = db.session()
    registration = registrations.redeem_link(database, keys.keyring(), token)
    if registration is None:
        flash(gettext("This link has already been used. Type the code from your paper instead."))
        return redirect(url_for("resident.index"), 303)
    database.commit()
    sign_in(registration)
    return _after_sign_in()


@bp.post("/signout")
def signout():
    if not FlaskForm().validate():
        abort(400)
    sign_out()
    flash(gettext("You have left. Your answers are saved. Use your code to come back."))
    return clear_site_data(redirect(url_for("resident.index"), 303))
