"""A key-encryption key (KEK) record and the status model of KEKs.

Status model:

* ``active``       - exactly one per keyring; wraps every new or re-wrapped DEK.
* ``decrypt-only`` - a former active key; still unwraps DEKs that have not been re-wrapped.
* ``retired``      - key material destroyed; the record (id, dates) stays so that an operator
  who meets the id in the database learns what happened instead of "unknown key".
"""
from __future__ import annotations

import secrets
from collections.abc import Container
from dataclasses import dataclass, field
from datetime import datetime, timezone

__all__ = ["ACTIVE", "DECRYPT_ONLY", "RETIRED", "STATUSES", "KEY_LENGTH", "Kek"]

ACTIVE = "active"
DECRYPT_ONLY = "decrypt-only"
RETIRED = "retired"
STATUSES = (ACTIVE, DECRYPT_ONLY, RETIRED)

KEY_LENGTH = 32  # AES-256 and HMAC-SHA256 keys


@dataclass(frozen=True)
class Kek:
    """One KEK. ``key`` is None once retired; it is left out of repr so it never hits logs."""

    id: str
    status: str
    created_at: datetime
    key: bytes | None = field(repr=False)
    retired_at: datetime | None = None


def utc_now() -> datetime:
    """Current UTC time to the second (the keyring records dates, not precise instants)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def new_id(prefix: str, taken: Container[str] = (), nbytes: int = 4) -> str:
    """A random id such as "k-3f9a2c1b" that is not in ``taken``.

    Random rather than sequential so ids from different keyrings rarely coincide, which keeps
    "unknown key" errors meaningful when a database meets the wrong keyring.
    """
    while True:
        candidate = f"{prefix}-{secrets.token_hex(nbytes)}"
        if candidate not in taken:
            return candidate
