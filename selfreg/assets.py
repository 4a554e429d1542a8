"""Static files under content-hashed names, so a phone downloads each version only once.

``css/app.css`` is served as ``/static/css/app.3f2a9c1b.css``. The name changes whenever the
bytes do, so the file can be cached for a year (``immutable``): on a weak connection a returning
visitor asks for nothing but the page itself, and a new release can never be mixed with an old
stylesheet or script. Names are computed once at start-up from the files' contents.

Small text files (CSS, JavaScript, SVG) are held in memory and gzipped once at start-up, because
every first visit asks for them. The unhashed name still works, revalidated on each use, for
links that were written down before a release.
"""
from __future__ import annotations

import gzip
import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from flask import (
    Flask,
    Response,
    abort,
    current_app,
    request,
    send_file,
    send_from_directory,
    url_for,
)

from .resources import static_dir

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
HASH_LENGTH = 8
IN_MEMORY_LIMIT = 256 * 1024
# Served elsewhere (/sw.js must keep its name: its URL is its identity).
NOT_FINGERPRINTED = frozenset({"sw.js"})
TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".json": "application/json",
    ".mp3": "audio/mpeg",
    ".ogg": "audio/ogg",
}
COMPRESSIBLE = frozenset({"text/css", "text/javascript", "image/svg+xml", "application/json"})
EXTENSION_KEY = "selfreg.assets"


@dataclass(frozen=True)
class Asset:
    name: str  # "css/app.css"
    hashed_name: str  # "css/app.3f2a9c1b.css"
    path: Path
    mimetype: str
    digest: str
    body: bytes | None  # kept in memory when small and text
    gzipped: bytes | None  # only when it is smaller


def mimetype_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def hashed(name: str, digest: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot or "/" in suffix:
        return f"{name}.{digest[:HASH_LENGTH]}"
    return f"{stem}.{digest[:HASH_LENGTH]}.{suffix}"


def _load(root: Path, path: Path) -> Asset:
    name = path.relative_to(root).as_posix()
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    mimetype = mimetype_of(name)
    body = gzipped = None
    if mimetype in COMPRESSIBLE and len(data) <= IN_MEMORY_LIMIT:
        body = data
        packed = gzip.compress(data, compresslevel=9, mtime=0)
        gzipped = packed if len(packed) < len(data) else None
    return Asset(name, hashed(name, digest), path, mimetype, digest, body, gzipped)


class AssetTable:
    """Every static file, by its plain and by its hashed name."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._by_name: dict[str, Asset] = {}
        self._by_hashed: dict[str, Asset] = {}
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.name.startswith("."):
                continue
            if path.relative_to(root).as_posix() in NOT_FINGERPRINTED:
                continue
            asset = _load(root, path)
            self._by_name[asset.name] = asset
            self._by_hashed[asset.hashed_name] = asset
        joined = "".join(asset.digest for asset in self._by_name.values())
        self.version = hashlib.sha256(joined.encode("ascii")).hexdigest()[:HASH_LENGTH]

    def get(self, name: str) -> Asset | None:
        return self._by_name.get(name)

    def by_hashed(self, hashed_name: str) -> Asset | None:
        return self._by_hashed.get(hashed_name)

    def names(self, prefix: str = "") -> list[str]:
        return [name for name in self._by_name if name.startswith(prefix)]


def table() -> AssetTable:
    return current_app.extensions[EXTENSION_KEY]


def static_url(name: str) -> str:
    """The URL of a static file under its hashed name (plain name if it came after start-up)."""
    asset = table().get(name)
    return url_for("static", filename=asset.hashed_name if asset else name)


def _accepts_gzip() -> bool:
    return request.accept_encodings["gzip"] > 0


def asset_response(asset: Asset, cache_control: str) -> Response:
    if asset.body is None:
        response = send_file(
            asset.path, mimetype=asset.mimetype, etag=asset.digest, conditional=True
        )
    else:
        packed = asset.gzipped is not None and _accepts_gzip()
        response = Response(asset.gzipped if packed else asset.body, mimetype=asset.mimetype)
        response.set_etag(asset.digest + ("-gz" if packed else ""))
        if packed:
            response.headers["Content-Encoding"] = "gzip"
        if asset.gzipped is not None:
            response.vary.add("Accept-Encoding")
        response.make_conditional(request)
    response.headers["Cache-Control"] = cache_control
    return response


def serve_static(filename: str):
    assets = table()
    asset = assets.by_hashed(filename)
    if asset is not None:
        return asset_response(asset, IMMUTABLE)
    asset = assets.get(filename)
    if asset is not None:
        return asset_response(asset, REVALIDATE)
    if filename in NOT_FINGERPRINTED:
        abort(404)
    # A file added after start-up (e.g. a new audio clip): served, but not for long.
    response = send_from_directory(assets.root, filename, max_age=0)
    response.headers["Cache-Control"] = REVALIDATE
    return response


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = AssetTable(static_dir())
    app.add_url_rule("/static/<path:filename>", endpoint="static", view_func=serve_static)
    app.jinja_env.globals["static_url"] = static_url
