"""Which key-encryption keys the database still needs, read from the wrapped keys themselves.

Why the header and not the ``kek_id`` column: unwrapping trusts the id in the wrapped DEK's
header, so that is the one a retirement must respect; the column is a convenience that could
drift. Reading ~72 bytes per registration keeps this well under a second at 100,000 rows.
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..crypto import DECRYPT_ONLY, RETIRED, DecryptionError, Keyring, wrapped_key_id
from ..models import Registration
from .staff_secrets import staff_key_usage

# Counted under this name: wrapped DEKs whose header cannot be parsed (damaged or tampered).
MALFORMED = "(malformed)"


def keys_in_use(db_session: Session) -> dict[str, int]:
    """{KEK id: number of data keys it wraps}: registrations (erased ones not counted) and
    staff TOTP secrets."""
    counts: Counter[str] = staff_key_usage(db_session)
    rows = db_session.execute(
        select(Registration.wrapped_dek)
        .where(Registration.wrapped_dek.is_not(None))
        .execution_options(yield_per=5000)
    )
    for (wrapped,) in rows:
        try:
            counts[wrapped_key_id(wrapped)] += 1
        except DecryptionError:
            counts[MALFORMED] += 1
    return dict(counts)


def unfinished_rotation(keyring: Keyring, usage: dict[str, int]) -> bool:
    """True when some data key is still wrapped by a decrypt-only KEK (a rotation was cut off)."""
    statuses = {kek.id: kek.status for kek in keyring.keks}
    return any(statuses.get(key_id) == DECRYPT_ONLY and n for key_id, n in usage.items())


def erasure_pending_keys(db_session: Session, keyring: Keyring) -> set[str]:
    """KEKs that wrapped an erased registration's data key and still exist in the keyring.

    Erasure keeps the id of the KEK that wrapped the destroyed DEK (``PersonalStore.shred``).
    Database backups taken before the erasure still hold that wrapped DEK, so the person's
    data is gone from backups only once the KEK is destroyed too.
    """
    erased_with = set(
        db_session.scalars(
            select(Registration.kek_id)
            .where(Registration.wrapped_dek.is_(None), Registration.kek_id.is_not(None))
            .distinct()
        )
    )
    statuses = {kek.id: kek.status for kek in keyring.keks}
    return {key_id for key_id in erased_with if statuses.get(key_id, RETIRED) != RETIRED}
