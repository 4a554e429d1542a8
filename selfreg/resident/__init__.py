"""The public side: start with a code, consent, answer step by step, review, submit, receipt,
and the person's own copy."""
from flask import Blueprint

bp = Blueprint("resident", __name__)


@bp.app_context_processor
def inject_resident():
    from flask import session

    from .auth import SESSION_KEY, owner_tag

    return {"resident_signed_in": bool(session.get(SESSION_KEY)), "owner_tag": owner_tag()}

from . import (  # noqa: E402,F401  (routes register on import)
    consent, own_copy, pwa, review, save_api, search_api, start, steps,
)
