"""Key operations: rotation, retirement, index-key rotation, erasure and retention.

No Flask request code here: the CLI (``selfreg.cli_keys``) and, later, admin views call these
with a database session, the keyring in use and a ``save_keyring`` callback. Every operation
that changes the keyring works on a copy and saves it *before* the database depends on it, so
a crash at any point leaves a keyring that reads the database; and every long operation
commits page by page and continues where it stopped when run again.

See docs/SECURITY.md for the procedures and what each step protects against.
"""
from __future__ import annotations

from ._rows import Progress
from .erasure import (
    ErasureReport,
    complete_erasures,
    erase_registrations,
    expired,
    held,
    purge,
)
from .lock import KeyOperationRunning, exclusive
from .reindex import ReindexStats, indexed_with, reindex
from .retirement import KeyStillInUse, SaveKeyring, retire
from .rotation import RotationStats, rotate
from .usage import MALFORMED, erasure_pending_keys, keys_in_use, unfinished_rotation

__all__ = [
    "MALFORMED",
    "ErasureReport",
    "KeyOperationRunning",
    "KeyStillInUse",
    "Progress",
    "ReindexStats",
    "RotationStats",
    "SaveKeyring",
    "complete_erasures",
    "erase_registrations",
    "erasure_pending_keys",
    "exclusive",
    "expired",
    "held",
    "indexed_with",
    "keys_in_use",
    "purge",
    "reindex",
    "retire",
    "rotate",
    "unfinished_rotation",
]
