"""The case system's pull endpoint: what is new since last time, as one sealed bundle.

``GET /api/v1/case-files`` with ``Authorization: Bearer <token>`` (a token per registered
recipient, made on the admin pages and stored only as its SHA-256). Without ``since`` it sends
what changed since the recipient's last complete pull (the server keeps the cursor); with
``since`` (ISO 8601) it sends from then. Described in docs/openapi.yaml. Failed tokens are
counted per client address and locked out like resident codes.
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone

from flask import Blueprint, current_app, jsonify, request
from sqlalchemy import select

from . import audit, db, keys, registrations
from .crypto.blind_index import blind_index
from .crypto.sealed_keys import KeyFileError, recipient_public_key_from_text
from .exports import bundles
from .exports.delivery import bundle_filename, bundle_response
from .models import ExportRecipient

bp = Blueprint("api", __name__, url_prefix="/api/v1")
CLIENT_PURPOSE = "api-client"


def _problem(status: int, title: str, **headers: str):
    response = jsonify({"status": status, "title": title})
    response.status_code = status
    response.headers.update(headers)
    return response


def _client_key() -> bytes:
    return blind_index(keys.keyring(), CLIENT_PURPOSE,
                                     request.remote_addr or "unknown")


def _recipient_for(token: str) -> ExportRecipient | None:
    if not token or len(token) > 200:
        return None
    digest = hashlib.sha256(token.encode("utf-8")).digest()
    return db.session().scalar(
        select(ExportRecipient).where(ExportRecipient.pull_token_hash == digest,
                                      ExportRecipient.active.is_(True))
    )


def _since(raw: str | None, cursor: datetime | None) -> datetime | None:
    if raw is None or raw == "":
        return cursor
    parsed = datetime.fromisoformat(raw)  # ValueError for the caller
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=timezone.utc)
    # In UTC, as stored: SQLite compares the text and would ignore the offset. OverflowError
    # (for the caller) at the ends of the calendar, e.g. 0001-01-01T00:00+01:00.
    return parsed.astimezone(timezone.utc)


@bp.get("/case-files")
def pull_case_files():
    session = db.session()
    config = current_app.config
    client = _client_key()
    window_seconds = config["SELFREG_CODE_LOCKOUT_SECONDS"]
    if registrations.lockout_remaining(session, client, limit=config["SELFREG_CODE_ATTEMPT_LIMIT"],
                                       window_seconds=window_seconds):
        return _problem(429, "Too many failed attempts; try again later.")
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    recipient = _recipient_for(token.strip()) if scheme.lower() == "bearer" else None
    if recipient is None:
        registrations.record_failed_code(session, client, window_seconds=window_seconds)
        session.commit()
        return _problem(401, "A valid bearer token is needed.",
                        **{"WWW-Authenticate": 'Bearer realm="selfreg"'})
    try:
        since = _since(request.args.get("since"), recipient.last_export_at)
        public_key = recipient_public_key_from_text(recipient.public_key, "recipient")
    except (ValueError, OverflowError):
        return _problem(400, "since must be an ISO 8601 date or time.")
    except KeyFileError:
        return _problem(409, "The recipient's public key on file is not usable; ask the admin.")
    win = bundles.window(since)
    query = bundles.selection(win)
    recipient_id = recipient.id

    def advance_cursor() -> None:
        row = session.get(ExportRecipient, recipient_id)
        row.last_export_at = win.until
        audit.record(session, audit.Action.EXPORT_PULL, actor=audit.SYSTEM,
                     detail=f"recipient {recipient_id}")
        session.commit()

    return bundle_response(session, query, win, public_key, filename=bundle_filename(win.until),
                           user_id=None, actor=audit.SYSTEM, after=advance_cursor)
