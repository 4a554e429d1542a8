"""Destroying KEKs that nothing in the database needs any more.

Order matters: check the database, save the keyring without the key, then look once more and
re-wrap any data key that appeared under it in between (an app worker that had not yet noticed
the new keyring). The retiring process still holds the key in memory, so such a late key can
be rescued instead of becoming unreadable at the next restart.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy.orm import Session

from ..crypto import Keyring
from .rewrap import rewrap_all
from .usage import keys_in_use

SaveKeyring = Callable[[Keyring], None]
RESCUE_BATCH = 500


class KeyStillInUse(RuntimeError):
    """The KEK still wraps data keys; re-wrap them (``rotate-keys``) before retiring it."""

    def __init__(self, key_id: str, count: int) -> None:
        super().__init__(
            f"key {key_id} still wraps {count} registration data key(s); "
            "run rotate-keys first"
        )
        self.key_id = key_id
        self.count = count


def retire(
    keyring: Keyring, key_id: str, db_session: Session, *, save_keyring: SaveKeyring
) -> Keyring:
    """Destroy one decrypt-only KEK; returns the keyring now in force (already saved).

    Refuses (KeyStillInUse) while any registration's data key is wrapped by it, and
    (KeyringError) for the active or an unknown key. Retiring a retired key changes nothing.
    """
    keyring.copy().retire(key_id)  # refuses the active or an unknown key before anything else
    count = keys_in_use(db_session).get(key_id, 0)
    if count:
        raise KeyStillInUse(key_id, count)
    return retire_unused(keyring, [key_id], db_session, save_keyring=save_keyring)


def retire_unused(
    keyring: Keyring, key_ids: Iterable[str], db_session: Session, *, save_keyring: SaveKeyring
) -> Keyring:
    """Retire keys already checked to be unused: save first, then rescue late data keys."""
    ids = list(key_ids)
    after = keyring.copy()
    for key_id in ids:
        after.retire(key_id)
    if after.to_json() == keyring.to_json():
        return keyring  # all were retired already
    save_keyring(after)
    rewrap_all(db_session, keyring, batch_size=RESCUE_BATCH, total=0, only_from=ids)
    return after
