"""KEK rotation: a new active key, every data key re-wrapped, erasures carried into backups.

The rule for when a run makes a new KEK (so that running it again after a crash continues
instead of piling up keys):

* if some data key is still wrapped by a decrypt-only KEK, a rotation was cut off: continue it
  with the current active key, make no new one;
* otherwise make a new active KEK - except when the only work left is destroying old keys for
  an erasure whose key is already decrypt-only;
* and in every case make a new one if the active KEK wrapped the data key of an erased
  registration (it must be destroyed, so nothing may stay under it).

The new keyring is saved (``save_keyring``) before anything is wrapped with it; a crash at any
later point leaves a keyring that can read everything.

Erasures: when an erased registration's KEK still exists (``usage.erasure_pending_keys``), the
run ends by destroying every KEK except the active one. Older backups then hold only data keys
wrapped by destroyed KEKs, for the erased person and for everyone else alike. That is the point:
restoring a backup from before the erasure must not bring the person back.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..crypto import DECRYPT_ONLY, Keyring
from ._rows import Progress
from .retirement import SaveKeyring, retire_unused
from .rewrap import rewrap_all
from .usage import erasure_pending_keys, keys_in_use, unfinished_rotation


@dataclass(frozen=True)
class RotationStats:
    keyring: Keyring  # the keyring in force afterwards, already saved
    active_key_id: str
    new_key_id: str | None  # made by this run; None when it continued an unfinished one
    total: int  # data keys that needed re-wrapping when the run started
    rewrapped: int
    unavailable: int  # wrapped by an unknown or destroyed KEK, or damaged: left as they are
    retired: tuple[str, ...]  # KEKs destroyed to complete erasures
    still_in_use: dict[str, int]  # old KEKs that could not be destroyed: {id: data keys}
    erasure_pending: tuple[str, ...]  # KEKs of erased registrations that still exist


def rotate(
    db_session: Session,
    app_keyring: Keyring,
    *,
    save_keyring: SaveKeyring,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> RotationStats:
    """Rotate (or continue rotating) the KEK; see the module docstring for the rules.

    Commits as it goes; pass a session with no unsaved changes.
    """
    usage = keys_in_use(db_session)
    doomed = erasure_pending_keys(db_session, app_keyring)
    unfinished = unfinished_rotation(app_keyring, usage)
    keyring = app_keyring
    new_key_id = None
    if keyring.active_kek.id in doomed or not (doomed or unfinished):
        keyring = app_keyring.copy()
        new_key_id = keyring.add_kek().id
        save_keyring(keyring)
    active = keyring.active_kek.id
    rewrappable = {kek.id for kek in keyring.keks if kek.status == DECRYPT_ONLY}
    total = sum(n for key_id, n in usage.items() if key_id in rewrappable)
    counted = rewrap_all(
        db_session, keyring, batch_size=batch_size, total=total, progress=progress
    )
    retired: tuple[str, ...] = ()
    still_in_use: dict[str, int] = {}
    if doomed:
        usage = keys_in_use(db_session)
        old = [kek.id for kek in keyring.keks if kek.status == DECRYPT_ONLY]
        still_in_use = {key_id: usage[key_id] for key_id in old if usage.get(key_id)}
        unused = [key_id for key_id in old if key_id not in still_in_use]
        if unused:
            keyring = retire_unused(keyring, unused, db_session, save_keyring=save_keyring)
            retired = tuple(unused)
    return RotationStats(
        keyring=keyring,
        active_key_id=active,
        new_key_id=new_key_id,
        total=total,
        rewrapped=counted.rewrapped,
        unavailable=counted.unavailable,
        retired=retired,
        still_in_use=still_in_use,
        erasure_pending=tuple(sorted(erasure_pending_keys(db_session, keyring))),
    )
