"""Staff TOTP secrets are wrapped by KEKs too: rotation re-wraps them, retirement counts them.

There are few staff users, so one pass with no paging is enough.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..crypto import CryptoError, DecryptionError, Keyring, rewrap_dek, wrapped_key_id
from ..models import User


def _binding(user_id: int) -> str:
    return f"user:{user_id}"  # as selfreg.accounts wraps them


def staff_key_usage(db_session: Session) -> Counter[str]:
    counts: Counter[str] = Counter()
    for (wrapped,) in db_session.execute(
        select(User.totp_wrapped).where(User.totp_wrapped.is_not(None))
    ):
        try:
            counts[wrapped_key_id(wrapped)] += 1
        except DecryptionError:
            counts["(malformed)"] += 1
    return counts


def rewrap_staff_secrets(
    db_session: Session, keyring: Keyring, only_from: Collection[str] | None = None
) -> tuple[int, int]:
    """(re-wrapped, unavailable). Commits."""
    active = keyring.active_kek.id
    rewrapped = unavailable = 0
    for user in db_session.scalars(select(User).where(User.totp_wrapped.is_not(None))):
        try:
            key_id = wrapped_key_id(user.totp_wrapped)
            if key_id == active or (only_from is not None and key_id not in only_from):
                continue
            user.totp_wrapped = rewrap_dek(keyring, user.totp_wrapped, _binding(user.id))
            user.totp_kek_id = active
            rewrapped += 1
        except CryptoError:
            unavailable += 1
    db_session.commit()
    return rewrapped, unavailable
