"""The blind-index key record: the current one, and optionally the one it replaced.

Why keep a previous index key at all: resident codes and one-time links are stored only as
keyed hashes of values the system never keeps (the code itself), so an index-key rotation
cannot recompute them. The previous key stays in the keyring for those lookups only, until
the person signs in again (the lookup is then re-hashed under the current key) or an operator
drops it (``reindex --invalidate-codes``, after a suspected index-key leak).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

__all__ = ["IndexKey"]


@dataclass(frozen=True)
class IndexKey:
    """One index key; ``key`` is left out of repr so it never reaches logs."""

    id: str
    created_at: datetime
    key: bytes = field(repr=False)
