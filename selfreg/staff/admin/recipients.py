"""Export recipients: their public keys (as ``keygen-recipient`` writes them) and pull tokens.

The key is checked with the bundle code's own loader (``crypto.sealed_keys``), so a key that
would fail at sealing time is refused here, and the stored text is the loader's canonical
form. A pasted *private* key is refused and never written back into the page.
"""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from sqlalchemy import func, select

from ... import db
from ...crypto.sealed_errors import KeyFileError
from ...crypto.sealed_keys import (
    RECIPIENT_PRIVATE_KIND,
    recipient_public_key_from_text,
    recipient_public_key_to_text,
)
from ...models import ExportRecipient
from ...staff_i18n import _s
from .. import bp
from ..auth import current_user
from ..forms import CsrfForm
from . import operations
from .common import admin_required, paginate, render, stale_form_message
from .forms import RecipientForm

MAX_KEY_BYTES = 4096  # a recipient public key file is about 1.7 KB


class KeyRefused(ValueError):
    """The text is not a usable recipient public key; the message can be shown."""


def parse_public_key(text: str) -> tuple[str, str]:
    """``(canonical key text, fingerprint)`` of a recipient public key, or KeyRefused."""
    if len(text.encode("utf-8")) > MAX_KEY_BYTES:
        raise KeyRefused(_s("That is too long for a public key (at most 4 KB)."))
    if not text.isascii() or not all(ch.isprintable() or ch in "\r\n\t" for ch in text):
        raise KeyRefused(_s("A public key file holds only plain letters, digits and signs."))
    if text.lstrip().startswith(RECIPIENT_PRIVATE_KIND):
        raise KeyRefused(_s("This is a PRIVATE key: it must never leave the recipient. Paste "
                            "the public key (the .pub file) instead, and ask the recipient to "
                            "make a new key pair, since this one has been shown to others."))
    try:
        key = recipient_public_key_from_text(text, source="the key")
    except KeyFileError as exc:
        # The loader's messages name formats and lengths, never key material.
        raise KeyRefused(_s("This is not a recipient public key from keygen-recipient "
                            "(%(reason)s).", reason=str(exc))) from None
    return recipient_public_key_to_text(key), key.fingerprint


def _submitted_key(form: RecipientForm) -> str:
    upload = form.key_file.data
    if upload is not None and getattr(upload, "filename", ""):
        data = upload.read(MAX_KEY_BYTES + 1)
        if len(data) > MAX_KEY_BYTES:
            raise KeyRefused(_s("That file is too large for a public key (at most 4 KB)."))
        try:
            return data.decode("ascii").strip()
        except UnicodeDecodeError:
            raise KeyRefused(_s("That file is not a public key file (it is not plain text)."))
    if not form.public_key.data:
        raise KeyRefused(_s("Paste the public key or upload its file."))
    return form.public_key.data


def _recipient_or_404(recipient_id: int) -> ExportRecipient:
    recipient = db.session().get(ExportRecipient, recipient_id)
    if recipient is None:
        abort(404)
    return recipient


def _list_page(form: RecipientForm, error: str | None = None, status: int = 200):
    page = paginate(select(ExportRecipient).order_by(ExportRecipient.name))
    return render("staff/admin/recipients.html", status, page=page, form=form, error=error)


@bp.route("/admin/recipients", methods=["GET", "POST"])
@admin_required
def admin_recipients():
    form = RecipientForm()
    if request.method == "GET":
        return _list_page(form)
    if form.validate_on_submit():
        session = db.session()
        try:
            text, fingerprint = parse_public_key(_submitted_key(form))
        except KeyRefused as exc:
            if form.public_key.data and RECIPIENT_PRIVATE_KIND in form.public_key.data:
                form.public_key.data = ""  # never echo a private key
            form.public_key.errors.append(str(exc))
            return _list_page(form, status=400)
        if session.scalar(select(func.count()).select_from(ExportRecipient)
                          .where(ExportRecipient.name == form.name.data)):
            form.name.errors.append(_s("A recipient with that name exists already."))
        elif session.scalar(select(func.count()).select_from(ExportRecipient)
                            .where(ExportRecipient.fingerprint == fingerprint)):
            form.public_key.errors.append(_s("This key is registered already."))
        else:
            operations.register_recipient(session, current_user(), name=form.name.data,
                                          public_key_text=text, fingerprint=fingerprint)
            session.commit()
            flash(_s("The recipient was added with key fingerprint %(fingerprint)s. Compare it "
                     "with the recipient (for example by phone) before the first export.",
                     fingerprint=fingerprint), "notice")
            return redirect(url_for("staff.admin_recipients"), 303)
    return _list_page(form, status=400)


def _button(recipient_id: int):
    recipient = _recipient_or_404(recipient_id)
    if not CsrfForm().validate():
        return recipient, _list_page(RecipientForm(formdata=None), stale_form_message(), 400)
    return recipient, None


@bp.route("/admin/recipients/<int:recipient_id>/token", methods=["POST"])
@admin_required
def admin_recipient_token(recipient_id: int):
    recipient, refused = _button(recipient_id)
    if refused:
        return refused
    if not recipient.active:
        return _list_page(RecipientForm(formdata=None),
                          _s("Reactivate the recipient before giving it a pull token."), 400)
    token = operations.issue_pull_token(db.session(), current_user(), recipient)
    db.session().commit()
    # Shown in this answer only; the database keeps its SHA-256.
    return render("staff/admin/recipient_token.html", recipient=recipient, token=token)


@bp.route("/admin/recipients/<int:recipient_id>/deactivate", methods=["POST"])
@admin_required
def admin_recipient_deactivate(recipient_id: int):
    return _set_active(recipient_id, False)


@bp.route("/admin/recipients/<int:recipient_id>/reactivate", methods=["POST"])
@admin_required
def admin_recipient_reactivate(recipient_id: int):
    return _set_active(recipient_id, True)


def _set_active(recipient_id: int, active: bool):
    recipient, refused = _button(recipient_id)
    if refused:
        return refused
    operations.set_recipient_active(db.session(), current_user(), recipient, active)
    db.session().commit()
    flash(_s("The recipient is active again. Give it a new pull token.") if active
          else _s("The recipient is deactivated; its pull token no longer works."), "notice")
    return redirect(url_for("staff.admin_recipients"), 303)
