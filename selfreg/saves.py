"""Saving a step's answers exactly once, and never over newer answers.

A phone on a weak connection may send the same save twice (a retry after a timeout, or answers
kept while offline and sent again later), and it may send them long after another device changed
the same step. Three rules make that safe:

- Idempotency: a save may carry a key made on the phone (a UUID). A key seen before returns the
  first save's result and changes nothing, so a replay never stores anything twice.
- Revisions: a save may say which revision of the step its page showed. When the stored
  revision is newer, the save is refused (``RevisionConflict``) and the person chooses.
- Entries of repeatable steps have ids made in the page (or on the phone). Adding an entry whose
  id is already there changes nothing; adding never conflicts with other entries; changing an
  entry conflicts only when that entry changed since the page showed it.

While the registration's processing is restricted (GDPR art. 18) nothing is saved at all:
``RegistrationRestricted``, checked under a row lock so that a restriction cannot slip in
between the check and the write.

The caller commits; on a conflict or a duplicate found only at write time, this rolls back.
"""
from __future__ import annotations

import hashlib
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any, Mapping

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from .models import IdempotencyKey, Registration
from .questionnaire.flow import ENTRIES
from .questionnaire.model import Step
from .storage import PersonalStore, RevisionConflict

IDEMPOTENCY_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ENTRY_ID = re.compile(r"^[0-9a-f]{12,32}$")
# A save that lost a race to another write is decided again on the fresh data this often.
WRITE_RACE_ATTEMPTS = 3


class EntryLimitReached(RuntimeError):
    """A repeatable step already holds its maximum number of entries."""


class RegistrationRestricted(RuntimeError):
    """The registration's processing is restricted (GDPR art. 18): nothing may be saved."""


class _WriteRace(Exception):
    """Another request wrote the step between this save's read and its write."""


@dataclass(frozen=True)
class SaveRequest:
    """What a page says about the save besides the answers themselves."""

    based_on_revision: int | None = None  # the step's revision the page showed
    idempotency_key: str | None = None
    entry_id: str | None = None  # repeatable steps: which entry
    changes_entry: bool = False  # changing an existing entry (else adding one)
    entry_digest: str | None = None  # changing an entry: the entry as the page showed it
    changed_by_user_id: int | None = None  # a staff user saving (a counsellor's correction)


@dataclass(frozen=True)
class SaveResult:
    revision: int
    duplicate: bool = False  # already saved before; nothing changed now
    entry_id: str | None = None


def new_entry_id() -> str:
    return uuid.uuid4().hex[:12]


def entry_digest(entry: Mapping[str, Any]) -> str:
    """A short fingerprint of an entry, to tell whether it changed since a page showed it."""
    canonical = json.dumps(entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def normalise_key(raw: str | None) -> str | None:
    """A well-formed UUID in lower case, or None (a missing or odd key just means no dedup)."""
    key = (raw or "").strip().lower()
    return key if IDEMPOTENCY_KEY.fullmatch(key) else None


def normalise_entry_id(raw: str | None) -> str | None:
    entry_id = (raw or "").strip().lower()
    return entry_id if ENTRY_ID.fullmatch(entry_id) else None


def hold_for_writing(db: Session, registration: Registration) -> None:
    """Refuse a write to a restricted registration; otherwise lock its row until the commit.

    An UPDATE that changes nothing, on the condition "not restricted": it waits for a
    restriction being written (PostgreSQL row lock, SQLite write lock) and then sees it, and a
    restriction that comes later waits for this transaction. Zero rows means restricted.
    """
    table = Registration.__table__
    held = db.execute(
        update(table)
        .where(table.c.id == registration.id, table.c.restricted_at.is_(None))
        .values(updated_at=table.c.updated_at)  # not a change: retention must not move
    ).rowcount
    if not held:
        raise RegistrationRestricted(registration.id)


def _seen(db: Session, registration: Registration, key: str | None) -> IdempotencyKey | None:
    if key is None:
        return None
    return db.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.registration_id == registration.id, IdempotencyKey.key == key
        )
    )


def save_answers(
    db: Session,
    store: PersonalStore,
    registration: Registration,
    step: Step,
    values: dict[str, Any],
    request: SaveRequest,
) -> SaveResult:
    """Store ``values`` for ``step`` once; raises RevisionConflict, EntryLimitReached or
    RegistrationRestricted."""
    registration_id = registration.id
    for _attempt in range(WRITE_RACE_ATTEMPTS):
        hold_for_writing(db, registration)
        earlier = _seen(db, registration, request.idempotency_key)
        if earlier is not None:
            return SaveResult(earlier.revision, duplicate=True, entry_id=request.entry_id)
        try:
            return _write(db, store, registration, step, values, request)
        except (StaleDataError, IntegrityError, _WriteRace):
            # Another request wrote between our read and our write: the same replay arriving
            # twice, or a save from another device. Decide again on what is stored now, so
            # the rules above hold under a race too: a replay is a duplicate, an added entry
            # is added beside the other device's, a save based on an older revision conflicts.
            db.rollback()
            store.forget(registration_id)
            registration = db.get(Registration, registration_id)
    raise RevisionConflict(store.revisions(registration).get(step.key, 0))


def _write(
    db: Session, store: PersonalStore, registration: Registration, step: Step,
    values: dict[str, Any], request: SaveRequest,
) -> SaveResult:
    if step.repeatable:
        result = _save_entry(store, registration, step, values, request)
    else:
        revision = store.save_step(
            registration, step.key, values, based_on_revision=request.based_on_revision,
            changed_by_user_id=request.changed_by_user_id,
        )
        result = SaveResult(revision)
    if request.idempotency_key is not None:
        db.add(IdempotencyKey(
            registration_id=registration.id, key=request.idempotency_key,
            step=step.key, revision=result.revision,
        ))
    db.flush()
    return result


def _save_entry(
    store: PersonalStore, registration: Registration, step: Step, values: dict[str, Any],
    request: SaveRequest,
) -> SaveResult:
    stored = store.load_step(registration, step.key)
    current = stored.revision if stored else 0
    entries = list(((stored.values if stored else None) or {}).get(ENTRIES, []))
    entry_id = request.entry_id or new_entry_id()
    position = next((i for i, entry in enumerate(entries) if entry.get("id") == entry_id), None)
    changing = request.changes_entry
    seen_current = request.based_on_revision is None or request.based_on_revision == current
    if position is None:
        if changing and not seen_current:
            raise RevisionConflict(current)  # removed on another device since
        if len(entries) >= step.max_entries:
            raise EntryLimitReached(step.key)
        entries.append({"id": entry_id, **values})
    elif not changing:
        # This entry was added before (a second press, or a replay without its key).
        return SaveResult(current, duplicate=True, entry_id=entry_id)
    else:
        unchanged = request.entry_digest is not None and request.entry_digest == entry_digest(
            entries[position]
        )
        if not seen_current and not unchanged:
            raise RevisionConflict(current)
        entries[position] = {"id": entry_id, **values}
    try:
        revision = store.save_step(
            registration, step.key, {ENTRIES: entries}, based_on_revision=current,
            changed_by_user_id=request.changed_by_user_id,
        )
    except RevisionConflict:
        raise _WriteRace() from None  # saved elsewhere since we read it just above
    return SaveResult(revision, entry_id=entry_id)
