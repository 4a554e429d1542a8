"""``POST /staff/guide/slips``: an A4 sheet of cut-out code slips.

Each slip has the code, a QR code of the one-time link and a few lines of instructions in the
languages the guide picked, in the residents' own words (their catalogue, not the staff's).
The codes and links come from the codes page's POST; each is checked against the database
(keyed hashes) and the guide's scope, so a sheet can only be printed for real registrations of
the guide's own centres, and a link already used is left off.
"""
from __future__ import annotations

import segno
from flask import render_template, request, url_for
from flask_babel import force_locale
# The residents' domain, under another name: these texts are in the residents' catalogues
# already, and the staff extraction (which looks for gettext and _s) must not copy them.
from flask_babel import gettext as resident_text
from markupsafe import Markup

from ... import access_codes, audit, db, keys, registrations
from ...audit import Action
from ...crypto.blind_index import blind_index_candidates
from ...i18n import SUPPORTED_LOCALES, catalogue_name, locale_info
from ...staff_i18n import _s
from .. import bp
from ..auth import login_required
from ..forms import CsrfForm
from ..scope import Do, registration_for
from .common import guide, reference
from .create import render_codes
from .forms import MAX_BATCH

HEADING = "Register what you know and can do"
CODE_LABEL = "Your code"
# Wanted (not yet in the residents' catalogues):
# "Scan the QR code with your phone, or open %(address)s and type your code."
INSTRUCTIONS = (
    "You can stop at any time. Use the same code to come back, also on another phone.",
    "Keep your code. With it you can see your answers again.",
)


def instructions(code: str) -> dict:
    """The slip's texts in one language, from the residents' catalogue for that language."""
    info = locale_info(code)
    with force_locale(catalogue_name(code)):
        return {
            "lang": info.html_lang, "dir": info.direction,
            "heading": resident_text(HEADING), "code_label": resident_text(CODE_LABEL),
            "lines": [resident_text(text) for text in INSTRUCTIONS],
        }


def _posted_items() -> list[dict]:
    codes = request.form.getlist("code")[:MAX_BATCH]
    tokens = request.form.getlist("token")[:MAX_BATCH]
    return [{"code": access_codes.normalise(code or ""), "token": (token or "")[:64]}
            for code, token in zip(codes, tokens)]


def _qr(url: str) -> Markup:
    qr = segno.make(url, error="m")
    # nosec B704: segno writes the SVG and escapes the title; the URL is only QR modules
    return Markup(qr.svg_inline(scale=3, title=_s("QR code: the link to start")))  # nosec B704


@bp.post("/guide/slips")
@login_required("guide")
def guide_slips():
    user = guide()
    items = _posted_items()
    if not CsrfForm().validate() or not items:
        return render_template("staff/guide/expired.html", registration=None), 400
    database, keyring = db.session(), keys.keyring()
    slips, found_items, found_ids = [], [], []
    for item in items:
        found = None
        if access_codes.is_well_formed(item["code"]):
            found = registrations.find_by_code(database, keyring, item["code"])
        if found is None:
            continue  # not a code (any more): no slip
        registration = registration_for(user, found.id, Do.CREATE)
        link_works = bool(item["token"]) and registration.link_lookup in blind_index_candidates(
            keyring, registrations.LINK_PURPOSE, item["token"])
        qr = None
        if link_works:
            qr = _qr(url_for("resident.one_time_link", token=item["token"], _external=True))
        slips.append({"code": access_codes.format_code(item["code"]), "qr": qr})
        found_items.append({**item, "reference": reference(registration)})
        found_ids.append(registration.id)
    languages = [code for code in SUPPORTED_LOCALES if code in request.form.getlist("language")]
    if not languages:
        return render_codes(found_items, languages=(),
                            error=_s("Choose at least one language for the instructions."),
                            status=400)
    for registration_id in found_ids:
        audit.record(database, Action.CODE_SLIPS, user_id=user.id,
                     registration_id=registration_id, detail=",".join(languages))
    database.commit()
    return render_template(
        "staff/guide/slips.html", slips=slips,
        texts=[instructions(code) for code in languages],
        address=url_for("resident.index", _external=True),
    )
