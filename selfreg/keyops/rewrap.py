"""Re-wrapping data keys with the active KEK, one committed page at a time.

Only the 32-byte DEK is re-encrypted; the answers themselves are untouched, which is why a key
rotation over 100,000 registrations takes seconds rather than hours.
"""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..crypto import CryptoError, Keyring, rewrap_dek, wrapped_key_id
from ._rows import SET_WRAPPED_DEK, Progress, live_pages
from .staff_secrets import rewrap_staff_secrets


@dataclass(frozen=True)
class RewrapCount:
    rewrapped: int
    unavailable: int  # wrapped by an unknown or destroyed KEK, or damaged: left as they are


def rewrap_all(
    db_session: Session,
    keyring: Keyring,
    *,
    batch_size: int,
    total: int,
    progress: Progress | None = None,
    only_from: Collection[str] | None = None,
) -> RewrapCount:
    """Re-wrap every DEK (and staff TOTP secret) not under ``keyring``'s active KEK (or only those under ``only_from``).

    Commits after each page, so it can be stopped and run again at any point.
    """
    active = keyring.active_kek.id
    rewrapped = unavailable = 0
    for page in live_pages(db_session, batch_size):
        changes = []
        for row in page:
            try:
                key_id = wrapped_key_id(row.wrapped_dek)
                if key_id == active or (only_from is not None and key_id not in only_from):
                    continue
                new = rewrap_dek(keyring, row.wrapped_dek, row.id)
            except CryptoError:
                unavailable += 1
                continue
            changes.append({"rid": row.id, "old": row.wrapped_dek, "new": new, "kek": active})
        if changes:
            db_session.execute(SET_WRAPPED_DEK, changes)
            db_session.commit()
            rewrapped += len(changes)
            if progress is not None:
                progress("re-wrapped", rewrapped, total)
    staff_rewrapped, staff_unavailable = rewrap_staff_secrets(db_session, keyring, only_from)
    # ORM objects loaded before still hold the old wrapped keys (sessions keep them on commit).
    db_session.expire_all()
    return RewrapCount(rewrapped + staff_rewrapped, unavailable + staff_unavailable)
