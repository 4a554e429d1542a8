"""Response headers that every page gets: no caching of personal pages, a strict CSP."""
from __future__ import annotations

from flask import Flask, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)

# Endpoints that serve nothing personal and set their own Cache-Control (hashed static files,
# the web app manifest, the service worker script). Everything else is never stored.
OWN_CACHE_POLICY = frozenset({"static", "resident.manifest", "resident.service_worker"})

# Sent when a person leaves or sends their answers: the browser drops the service worker's
# caches, IndexedDB (answers waiting to be sent) and its HTTP cache for this site, so the next
# person on a shared phone finds nothing. (JavaScript clears the same first; this is the backstop.)
CLEAR_SITE_DATA = '"cache", "storage"'


def clear_site_data(response):
    response.headers["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


def init_app(app: Flask) -> None:
    @app.after_request
    def set_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("X-Frame-Options", "DENY")
        if request.endpoint not in OWN_CACHE_POLICY or "Cache-Control" not in headers:
            # Pages can show personal data; never store them in any cache.
            headers["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response
