"""``GET /api/search/occupation?q=`` and ``/api/search/language?q=``: search as you type.

An enhancement for the search questions: the plain Search button (a form post that comes back
with the matches) does the same without JavaScript. Results are labelled in the reader's
language (``?lang``, then the language cookie, as for pages), at most ten. Only a signed-in
resident may search, and each may ask about twice a second on average.
"""
from __future__ import annotations

from flask import jsonify, request, session

from .. import db
from ..codes import languages, occupations
from ..i18n import current_locale_code
from ..ratelimit import FixedWindowLimiter
from . import bp
from .auth import SESSION_KEY, current_registration

MAX_RESULTS = 10
MAX_QUERY = 100
SEARCHES = {"occupation": occupations.search, "language": languages.search}
LIMITER = FixedWindowLimiter("search", limit=30, window=15)


@bp.get("/api/search/<kind>")
def search(kind: str):
    if kind not in SEARCHES:
        return jsonify(error="no_such_search"), 404
    if current_registration() is None:
        return jsonify(error="signed_out"), 401
    wait = LIMITER.hit(db.session(), str(session.get(SESSION_KEY)))
    if wait:
        response = jsonify(error="too_many")
        response.status_code = 429
        response.headers["Retry-After"] = str(max(1, round(wait)))
        return response
    query = (request.args.get("q") or "").strip()[:MAX_QUERY]
    hits = SEARCHES[kind](query, current_locale_code(), limit=MAX_RESULTS) if query else []
    return jsonify(
        query=query, results=[{"code": hit.code, "label": hit.label} for hit in hits[:MAX_RESULTS]]
    )
