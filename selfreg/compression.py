"""gzip for pages and other text responses, done by the app itself.

Residents use cheap phones on weak mobile signal; a questionnaire page shrinks to about a quarter
with gzip. The embedded default (``flask run`` or gunicorn without a proxy in front) has nobody
else to compress, so the app does it. Behind a reverse proxy that compresses, set
``SELFREG_GZIP=0``.

Why not flask-compress: it pulls in Brotli and zstandard builds for a job that is twenty lines
with the standard library, and it does not know that static files are already gzipped once at
start-up (``selfreg.assets``). Only whole, in-memory bodies are compressed; streamed files and
partial content pass through untouched.

BREACH (compression leaking a secret that shares a response with attacker-chosen text) needs a
cross-site request that carries the session cookie and reflects the attacker's text. The
session cookie is ``SameSite=Lax``, so cross-site POSTs arrive without a session, and no GET page
echoes query text beyond the fixed ``lang``/``from`` values.
"""
from __future__ import annotations

import gzip

from flask import Flask, Response, request

MIN_SIZE = 500  # below this, gzip's own header and the CPU are not worth it
LEVEL = 6
COMPRESSIBLE = frozenset({
    "text/html",
    "text/css",
    "text/javascript",
    "text/plain",
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "image/svg+xml",
})


def _skip(response: Response) -> bool:
    return (
        response.mimetype not in COMPRESSIBLE
        or response.direct_passthrough
        or response.is_streamed
        or response.status_code < 200
        or response.status_code in (204, 206, 304)
        or "Content-Encoding" in response.headers
    )


def compress_response(response: Response) -> Response:
    if _skip(response):
        return response
    data = response.get_data()
    if len(data) < MIN_SIZE:
        return response
    # Caches must keep the gzipped and the plain copy apart, even when this client gets plain.
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0:
        return response
    response.set_data(gzip.compress(data, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:
        # A strong ETag names exact bytes; these are different bytes.
        response.set_etag(etag, weak=True)
    return response


def init_app(app: Flask) -> None:
    if app.config.get("SELFREG_GZIP", True):
        app.after_request(compress_response)
