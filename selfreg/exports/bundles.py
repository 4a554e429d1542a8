"""Sealed bundles of case files for one recipient, and marking what was sent.

A bundle holds the submitted registrations changed in a window ``[since, until]``; ``until`` is
fixed when the export starts, so what is marked afterwards is exactly what was sealed, even if
residents keep saving meanwhile. Marking happens only after the whole bundle was written (a
file renamed into place, a download streamed to its end): a bundle cut off half-way marks
nothing. Marking sets ``exported_at`` without touching ``updated_at`` (retention counts from the
last real change) and writes one audit event per registration.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import Select, func, select, update
from sqlalchemy.orm import Session

from .. import audit
from ..crypto import Keyring
from ..crypto.sealed import SealingStream, SealSummary, seal
from ..crypto.sealed_keys import RecipientPublicKey
from ..models import Registration, utcnow
from .casefile import FORMAT, FORMAT_VERSION
from .disclosures import bundle_detail
from .stream import exportable, iter_case_file_lines

BUNDLE_CONTENT = "selfreg-case-files"
MARK_BATCH = 500


@dataclass(frozen=True)
class Window:
    """Which registrations a bundle holds: submitted, changed in [since, until]."""

    since: datetime | None
    until: datetime

    def metadata(self) -> dict:
        # Clear (signed, not encrypted) header fields: nothing personal.
        return {
            "content": BUNDLE_CONTENT,
            "case_file_format": FORMAT,
            "case_file_version": FORMAT_VERSION,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat(),
        }


def window(since: datetime | None = None) -> Window:
    return Window(since, utcnow())


def selection(win: Window, scope: Select | None = None) -> Select:
    """The registrations in the window; ``scope`` narrows it (a counsellor's region)."""
    query = exportable(win.since).where(Registration.updated_at <= win.until)
    if scope is not None:
        query = query.where(Registration.id.in_(scope.with_only_columns(Registration.id)))
    return query


def count(db: Session, query: Select) -> int:
    return db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


class _Counted:
    """Case-file lines, counted as they go (the count goes into the signed trailer)."""

    def __init__(self, lines: Iterator[bytes], on_record: Callable[[], None] | None = None) -> None:
        self.lines = lines
        self.records = 0
        self.on_record = on_record

    def __iter__(self) -> Iterator[bytes]:
        for line in self.lines:
            self.records += 1
            if self.on_record is not None:
                self.on_record()
            yield line

    def trailer(self) -> dict:
        return {"records": self.records}


def write_bundle(db: Session, keyring: Keyring, query: Select, win: Window,
                 recipient: RecipientPublicKey, signing_key: Ed25519PrivateKey,
                 out: BinaryIO, *, on_record: Callable[[], None] | None = None,
                 ) -> tuple[SealSummary, int]:
    """Seal the selection into ``out``; returns the summary and the number of case files."""
    counted = _Counted(iter_case_file_lines(db, keyring, query), on_record)
    summary = seal(counted, out, recipient, signing_key, metadata=win.metadata(),
                   closing_metadata=counted.trailer)
    return summary, counted.records


def stream_bundle(db: Session, keyring: Keyring, query: Select, win: Window,
                  recipient: RecipientPublicKey,
                  signing_key: Ed25519PrivateKey) -> tuple[SealingStream, _Counted]:
    """The bundle as an iterable of bytes (for a download); mark after it is exhausted."""
    counted = _Counted(iter_case_file_lines(db, keyring, query))
    stream = SealingStream(counted, recipient, signing_key, metadata=win.metadata(),
                           closing_metadata=counted.trailer)
    return stream, counted


def mark_exported(db: Session, query: Select, win: Window, *, recipient_fingerprint: str,
                  user_id: int | None, actor: str) -> int:
    """Record what was sent: ``exported_at`` and one audit event per registration. Commits."""
    table = Registration.__table__
    marked = 0
    last = ""
    ids_query = query.with_only_columns(Registration.id).order_by(None).order_by(Registration.id)
    detail = bundle_detail(recipient_fingerprint)
    while True:
        ids = list(db.scalars(ids_query.where(Registration.id > last).limit(MARK_BATCH)))
        if not ids:
            return marked
        db.execute(
            update(table).where(table.c.id.in_(ids))
            .values(exported_at=win.until, updated_at=table.c.updated_at)
        )
        for registration_id in ids:
            audit.record(db, audit.Action.EXPORT, user_id=user_id, actor=actor,
                         registration_id=registration_id, detail=detail)
        db.commit()
        marked += len(ids)
        last = ids[-1]
