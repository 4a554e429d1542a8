"""The public side: start with a code, consent, answer step by step, review, submit, receipt."""
from flask import Blueprint

bp = Blueprint("resident", __name__)


@bp.app_context_processor
def inject_resident():
    from flask import session

    from .auth import SESSION_KEY

    return {"resident_signed_in": bool(session.get(SESSION_KEY))}

from . import consent, review, start, steps  # noqa: E402,F401  (routes register on import)
