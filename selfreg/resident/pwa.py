"""What makes the public side an installable, offline-safe web app.

- ``/manifest.webmanifest``: name, icons and colours, in the reader's language and direction,
  so "Add to home screen" gives an icon that opens the start page in its own window.
- ``/sw.js``: the service worker (``static/sw.js``), served from the root so that its scope is
  the whole site, with the hashed names of the files it keeps for offline use written in front.
  It changes whenever a static file changes, which is how phones learn of a new release.
- ``/offline``: the page shown when a page is needed that the phone does not have.
"""
from __future__ import annotations

import hashlib
import json

from flask import current_app, jsonify, render_template, request, url_for
from flask_babel import gettext

from ..assets import static_url, table
from ..i18n import current_locale_info
from ..resources import static_dir
from . import bp

THEME_COLOUR = "#0b3d91"  # the header's blue
BACKGROUND_COLOUR = "#ffffff"
SERVICE_WORKER_SOURCE = "sw.js"
# Static files every page may need offline (audio clips are left out: too big to keep ahead).
OFFLINE_PREFIXES = ("css/", "js/", "img/", "icons/icon.svg")
# Styles residents never need offline (staff pages, printed slips and summaries, the own-copy
# page, which is only reachable online after sending): not worth a phone's prepaid data.
NOT_OFFLINE = ("css/staff.css", "css/slips.css", "css/print.css", "css/copy.css")
REVALIDATE = "no-cache"


@bp.get("/manifest.webmanifest")
def manifest():
    info = current_locale_info()
    body = {
        "id": "/",
        "name": gettext("My competence"),
        # Translators: the app's name under its icon on a phone's home screen. Keep it short:
        # at most about 12 letters.
        "short_name": gettext("My skills"),
        "description": gettext("Register what you know and can do"),
        "lang": info.html_lang,
        "dir": info.direction,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {"src": static_url("icons/icon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static_url("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static_url("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static_url("icons/icon-maskable-512.png"), "sizes": "512x512",
             "type": "image/png", "purpose": "maskable"},
        ],
    }
    response = jsonify(body)
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = REVALIDATE
    response.vary.update(("Cookie", "Accept-Language"))
    response.add_etag()
    return response.make_conditional(request)


def _service_worker_body() -> bytes:
    """The service worker's source with its settings in front; built once per process."""
    cached = current_app.extensions.get("selfreg.sw")
    if cached is None:
        assets = table()
        names = [n for n in assets.names()
                 if n.startswith(OFFLINE_PREFIXES) and not n.startswith(NOT_OFFLINE)]
        settings = {
            "version": assets.version,
            "precache": [static_url(name) for name in names],
            "queue": static_url("js/queue.js"),
            "offline": url_for("resident.offline"),
        }
        source = (static_dir() / SERVICE_WORKER_SOURCE).read_text(encoding="utf-8")
        cached = f"self.SELFREG = {json.dumps(settings)};\n{source}".encode("utf-8")
        current_app.extensions["selfreg.sw"] = cached
    return cached


@bp.get("/sw.js")
def service_worker():
    body = _service_worker_body()
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = REVALIDATE
    response.set_etag(hashlib.sha256(body).hexdigest()[:16])
    return response.make_conditional(request)


@bp.get("/offline")
def offline():
    """Generic and without personal data: the service worker keeps it and shows it offline."""
    return render_template("resident/offline.html", offline_page=True)


@bp.after_app_request
def content_language(response):
    """Pages say their language in a header too: the service worker keeps pages per language."""
    if response.mimetype == "text/html":
        response.headers.setdefault("Content-Language", current_locale_info().html_lang)
    return response
