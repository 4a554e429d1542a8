"""The staff side under /staff: login with two factors, guides, counsellors, admins.

Its own blueprint, templates (templates/staff/), translation domain (selfreg.staff_i18n), session
cookie (selfreg.staff.cookies) and guards (selfreg.staff.auth); nothing here is reachable from
the public side, and the public side's guards do not apply here.
"""
from flask import Blueprint, current_app, request
from werkzeug.exceptions import NotFound

from ..saves import RegistrationRestricted
from ..staff_i18n import STAFF_LANG_COOKIE, STAFF_LOCALES, gettext, ngettext

bp = Blueprint("staff", __name__, url_prefix="/staff")


@bp.context_processor
def staff_translations():
    # Staff templates translate through the staff domain: these shadow the global callables.
    from .auth import current_user

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext,
            "staff_user": current_user(), "staff_locales": STAFF_LOCALES}


@bp.after_request
def remember_staff_language(response):
    chosen = request.args.get("lang")
    if chosen in STAFF_LOCALES:
        response.set_cookie(STAFF_LANG_COOKIE, chosen, max_age=365 * 24 * 3600, path="/staff",
                            httponly=True, samesite="Strict", secure=request.is_secure)
    return response


@bp.errorhandler(RegistrationRestricted)
def restricted_meanwhile(_exc):
    # Restricted between the scope check and the write: from now on it is out of this user's
    # scope (selfreg.staff.scope), so answer as scope would have. Nothing was saved.
    return current_app.handle_http_exception(NotFound())


# Routes register on import.
from . import admin, counsellor, exports, guide, login, statistics  # noqa: E402,F401
