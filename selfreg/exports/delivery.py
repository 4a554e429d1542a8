"""Sending a sealed bundle over HTTP: streamed as it is sealed, marked once fully sent.

Used by the case system's pull endpoint and by the staff download. The bundle is never held in
memory or on disk; if the client goes away half-way, the generator is closed and nothing is
marked as sent, so the next pull sends it again.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

from flask import Response, stream_with_context
from sqlalchemy import Select
from sqlalchemy.orm import Session

from .. import keys, signing
from ..crypto.sealed_keys import RecipientPublicKey
from . import bundles

BUNDLE_MEDIA_TYPE = "application/vnd.selfreg.sealed-bundle"


def bundle_response(
    db: Session,
    query: Select,
    win: bundles.Window,
    recipient: RecipientPublicKey,
    *,
    filename: str,
    user_id: int | None,
    actor: str,
    after: Callable[[], None] | None = None,
) -> Response:
    """A streamed download of the sealed bundle; marks and calls ``after`` when complete."""
    stream, counted = bundles.stream_bundle(db, keys.keyring(), query, win, recipient,
                                            signing.signing_key())

    def body() -> Iterator[bytes]:
        yield from stream
        bundles.mark_exported(db, query, win, recipient_fingerprint=recipient.fingerprint,
                              user_id=user_id, actor=actor)
        if after is not None:
            after()

    response = Response(stream_with_context(body()), mimetype=BUNDLE_MEDIA_TYPE)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Selfreg-Until"] = win.until.isoformat()
    return response


def bundle_filename(now: datetime) -> str:
    return f"selfreg-{now.strftime('%Y%m%dT%H%M%SZ')}.bundle"
