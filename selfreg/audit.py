"""The one way to record who touched which person's data: an append-only hash chain.

Each event stores ids and an action name - never the data itself - and the SHA-256 of the
previous event's hash together with its own fields. Changing, removing or reordering any event
breaks every later link, and removing events from the end is caught by the head row
(``AuditHead``), which always holds the newest link. ``verify`` reports the first broken link.

An event is written in the same transaction as the action it records: if the action is rolled
back, so is its event, and an action cannot commit without its event.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .models import AuditEvent, AuditHead, utcnow

GENESIS = bytes(32)
HEAD_ID = 1
STAFF, RESIDENT, SYSTEM = "staff", "resident", "system"


class Action:
    """Names of audited actions (stable: filters and reports use them)."""

    LOGIN = "login"
    LOGIN_FAILED = "login.failed"
    LOGOUT = "logout"
    TOTP_ENROLLED = "totp.enrolled"
    REGISTRATION_CREATE = "registration.create"
    REGISTRATION_LIST = "registration.list"
    REGISTRATION_VIEW = "registration.view"
    REGISTRATION_REOPEN = "registration.reopen"
    REGISTRATION_ERASE = "registration.erase"
    REGISTRATION_RESTRICT = "registration.restrict"  # GDPR art. 18
    REGISTRATION_RESTRICTION_LIFT = "registration.restriction_lift"
    IDENTITY_CORRECT = "identity.correct"
    CODE_SLIPS = "registration.code_slips"
    GUIDED_START = "guided.start"
    GUIDED_SAVE = "guided.save"
    GUIDED_END = "guided.end"
    PROFILE_VIEW = "profile.view"
    PROFILE_SEARCH = "profile.search"
    CAREER_NOTE_SAVE = "career_note.save"
    VERIFICATION_SAVE = "verification.save"
    ENTRY_CORRECT = "entry.correct"
    FOLLOWED_UP = "profile.followed_up"
    EXPORT = "export"
    CENTRE_CREATE = "centre.create"
    CENTRE_CHANGE = "centre.change"
    REGION_CREATE = "region.create"
    RECIPIENT_CREATE = "recipient.create"
    RECIPIENT_CHANGE = "recipient.change"
    RECIPIENT_TOKEN = "recipient.token"  # nosec B105: an action name, not a password
    STATS_VIEW = "stats.view"
    STATS_EXPORT = "stats.export"
    EXPORT_PULL = "export.pull"
    USER_CREATE = "user.create"
    USER_CHANGE = "user.change"
    PASSWORD_RESET = "user.password_reset"  # nosec B105: an action name, not a password
    SETTINGS_CHANGE = "settings.change"
    AUDIT_VIEW = "audit.view"


def _link(prev_hash: bytes, seq: int, at: datetime, user_id: int | None, actor: str,
          action: str, registration_id: str | None, detail: str) -> bytes:
    # UTC, to the microsecond: what both databases give back exactly as stored.
    fields = [seq, at.astimezone(timezone.utc).isoformat(timespec="microseconds"), user_id, actor, action,
              registration_id, detail]
    canonical = json.dumps(fields, ensure_ascii=True, separators=(",", ":")).encode("ascii")
    return hashlib.sha256(prev_hash + canonical).digest()


def record(
    db: Session,
    action: str,
    *,
    user_id: int | None = None,
    registration_id: str | None = None,
    detail: str = "",
    actor: str = STAFF,
) -> AuditEvent:
    """Append an event to the chain in the caller's transaction (the caller commits).

    ``detail`` must never hold personal data: a step key, a count, a role.
    """
    # Take the head's lock first (an UPDATE), then read it: concurrent appends queue here.
    db.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(seq=AuditHead.seq + 1))
    seq, prev_hash = db.execute(
        select(AuditHead.seq, AuditHead.hash).where(AuditHead.id == HEAD_ID)
    ).one()
    at = utcnow()
    detail = detail[:200]
    digest = _link(prev_hash, seq, at, user_id, actor, action, registration_id, detail)
    event = AuditEvent(seq=seq, at=at, user_id=user_id, actor=actor, action=action,
                       registration_id=registration_id, detail=detail,
                       prev_hash=prev_hash, hash=digest)
    db.add(event)
    db.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(hash=digest))
    return event


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_at: int | None  # seq of the first event that does not link, None when intact
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify(db: Session, batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain in order; report the first event that does not link."""
    expected_prev, expected_seq, checked = GENESIS, 1, 0
    rows = db.scalars(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=batch_size)
    )
    for event in rows:
        if event.seq != expected_seq:
            return ChainReport(checked, expected_seq, f"event {expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return ChainReport(checked, event.seq, "does not link to the event before it")
        digest = _link(event.prev_hash, event.seq, event.at, event.user_id, event.actor,
                       event.action, event.registration_id, event.detail)
        if digest != event.hash:
            return ChainReport(checked, event.seq, "its fields were changed")
        expected_prev, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
    head = db.get(AuditHead, HEAD_ID)
    if head is None:
        return ChainReport(checked, expected_seq, "the head record is missing")
    if head.seq != checked or head.hash != expected_prev:
        return ChainReport(checked, checked + 1 if head.seq > checked else head.seq,
                           "events were removed from the end")
    return ChainReport(checked, None)
