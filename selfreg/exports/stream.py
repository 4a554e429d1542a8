"""Case files for many registrations, one at a time, in constant memory.

An export of 100,000 people must not hold 100,000 people: registrations are read in pages by
primary key (keyset paging, so page 1,000 costs what page 1 does), each page with a fresh
``PersonalStore`` (the store keeps one cipher per registration it has opened), and every
document is handed on before the next is built. Nothing is kept after a page but its last id.
"""
from __future__ import annotations

import json
from datetime import datetime
from itertools import islice
from typing import Any, Iterable, Iterator

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from ..crypto import Keyring
from ..models import Answer, Registration, RegistrationStatus, StaffRecord
from ..storage import VERIFICATION, CipherFactory, PersonalStore
from .casefile import build_case_file

BATCH_SIZE = 500

Selection = Select | Iterable[str]


def exportable(since: datetime | None = None) -> Select:
    """Submitted registrations, or only those changed at or after ``since``.

    Restricted ones (GDPR art. 18) are left out: every sealed export, the pull API and the
    staff downloads select through here (``bundles.selection``).
    """
    query = select(Registration).where(Registration.status == RegistrationStatus.SUBMITTED,
                                       Registration.restricted_at.is_(None))
    if since is not None:
        query = query.where(Registration.updated_at >= since)
    return query


def _pages(db: Session, selection: Selection, size: int) -> Iterator[list[Registration]]:
    if isinstance(selection, Select):
        # The caller's filters stay; the order is ours, because paging needs a stable key.
        query = selection.order_by(None).order_by(Registration.id).limit(size)
        last = None
        while True:
            page = list(db.scalars(query if last is None else query.where(Registration.id > last)))
            if not page:
                return
            yield page
            last = page[-1].id
    else:
        ids = iter(selection)
        while chunk := list(islice(ids, size)):
            found = {
                registration.id: registration
                for registration in db.scalars(
                    select(Registration).where(Registration.id.in_(chunk))
                )
            }
            yield [found[item] for item in chunk if item in found]


def _staff_steps(db: Session, ids: list[str]) -> dict[str, set[str]]:
    """{registration id: steps staff saved last}, for a whole page in one query.

    Who saved a step is metadata, not personal data, so it is read here directly rather than
    one registration at a time through the store.
    """
    rows = db.execute(
        select(Answer.registration_id, Answer.step).where(
            Answer.registration_id.in_(ids), Answer.changed_by_user_id.is_not(None)
        )
    )
    staff: dict[str, set[str]] = {}
    for registration_id, step in rows:
        staff.setdefault(registration_id, set()).add(step)
    return staff


def _verified(db: Session, ids: list[str]) -> set[str]:
    """Which of a page's registrations have a verification record (most have none yet), so
    that only those are asked for it."""
    return set(db.scalars(
        select(StaffRecord.registration_id).where(
            StaffRecord.registration_id.in_(ids), StaffRecord.kind == VERIFICATION
        )
    ))


def iter_case_files(
    db_session: Session,
    keyring: Keyring,
    selection: Selection,
    *,
    batch_size: int = BATCH_SIZE,
    cipher_factory: CipherFactory | None = None,
) -> Iterator[dict[str, Any]]:
    """One case file (a JSON-ready dict) per registration, in constant memory.

    ``selection`` is a ``select(Registration)`` with any filters (see ``exportable``), read in
    id order, or an iterable of registration ids, read in the order given (unknown ids are
    skipped). Erased registrations have nothing to export and are skipped, and so are
    restricted ones (GDPR art. 18), whichever way they were selected. Needs an app
    context (Bokmål labels). The caller commits nothing: this only reads.
    """
    for page in _pages(db_session, selection, batch_size):
        store = (
            PersonalStore(db_session, keyring, cipher_factory)
            if cipher_factory else PersonalStore(db_session, keyring)
        )
        store.prefetch(list(page))
        ids = [registration.id for registration in page]
        staff, verified = _staff_steps(db_session, ids), _verified(db_session, ids)
        for registration in page:
            if (registration.is_erased or registration.is_restricted
                    or registration.wrapped_dek is None):
                continue
            record = (
                store.load_record(registration, VERIFICATION)
                if registration.id in verified else None
            )
            yield build_case_file(
                registration,
                store.load_all(registration),
                statuses=record.values if record else None,
                staff_steps=staff.get(registration.id, ()),
            )


def json_line(document: dict[str, Any]) -> bytes:
    """One line of JSON Lines: UTF-8, every script as itself (no \\u escapes), no spaces."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def iter_case_file_lines(
    db_session: Session, keyring: Keyring, selection: Selection, **options: Any
) -> Iterator[bytes]:
    """``iter_case_files`` as JSON Lines, ready to compress, seal or write."""
    for document in iter_case_files(db_session, keyring, selection, **options):
        yield json_line(document)
