"""My copy: after sending, the person can read and download what they registered.

Reachable with the code for as long as the registration exists (sign in -> receipt -> copy);
an erased registration has no session and no code, so nothing is left to show.

The download is one self-contained HTML file: it is opened later from the phone's storage,
outside this site, so its stylesheet is inside it, and it has no scripts and no links out.
It is sent as an attachment (never shown under our origin); should a browser show it anyway,
its own Content-Security-Policy allows that one stylesheet and nothing else.
"""
from __future__ import annotations

import base64
import hashlib
import re

from flask import redirect, render_template, url_for
from markupsafe import Markup

from ..assets import table
from ..i18n import current_locale_code
from ..models import utcnow
from . import bp
from .auth import current_registration, personal_store, registration_required
from .copy_content import build

STYLESHEET = "css/copy.css"
# Nothing in the file comes from anywhere; "sandbox" keeps it away from our origin's cookies.
DOWNLOAD_CSP = (
    "default-src 'none'; style-src '{style_hash}'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'; sandbox"
)


def _copy():
    registration = current_registration()
    return build(registration, personal_store().load_all(registration), current_locale_code())


def download_filename() -> str:
    """A name with the day of the download and nothing about the person."""
    return f"my-competence-{utcnow().date().isoformat()}.html"


def _stylesheet() -> str:
    asset = table().get(STYLESHEET)
    text = re.sub(r"/\*.*?\*/\n?", "", (asset.body or asset.path.read_bytes()).decode("utf-8"),
                  flags=re.DOTALL)
    if "</" in text:
        raise ValueError(f"{STYLESHEET} must not contain '</' (it is inlined into <style>)")
    return text


@bp.get("/copy")
@registration_required
def own_copy():
    if not current_registration().is_submitted:
        return redirect(url_for("resident.review"))
    return render_template("resident/copy.html", copy=_copy())


@bp.get("/copy/download")
@registration_required
def own_copy_download():
    if not current_registration().is_submitted:
        return redirect(url_for("resident.review"))
    style = _stylesheet()
    # nosec B704: our own stylesheet from static/, no user data in it
    body = render_template("resident/copy_file.html", copy=_copy(),
                           style=Markup(style))  # nosec B704
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    return body, 200, {
        "Content-Type": "text/html; charset=utf-8",
        "Content-Disposition": f'attachment; filename="{download_filename()}"',
        "Content-Security-Policy": DOWNLOAD_CSP.format(style_hash=f"sha256-{digest}"),
    }
