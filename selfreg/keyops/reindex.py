"""Index-key rotation: a new blind-index key, and every DUF and name + birth index recomputed.

What cannot be recomputed: resident codes and one-time links are stored only as keyed hashes
of values the system never keeps. The replaced index key therefore stays in the keyring as the
*previous* index key, used for those two lookups only; a resident's code is re-hashed under the
new key the next time they sign in (``registrations.find_by_code``). After a suspected leak of
the index key, run with ``invalidate_codes=True`` instead: the old key is forgotten at once and
every outstanding code and link stops working (staff must hand out new ones).

Resuming: the database records which index key its indexes were computed with
(``system_info.blind_index_key_id``; a database that never recorded one was indexed with the
keyring's current key, the only one before this feature). When it differs from the keyring's
index key, a run was cut off: it is continued, and no further key is made.
"""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..crypto import CryptoError, Keyring
from ..models import Registration, SystemInfo
from ..storage import PersonalStore
from ._rows import SET_INDEXES, Progress, live_pages
from .retirement import SaveKeyring

INDEX_KEY_ID = "blind_index_key_id"


@dataclass(frozen=True)
class ReindexStats:
    keyring: Keyring  # the keyring in force afterwards, already saved
    index_key_id: str
    new_key: bool  # False when an unfinished run was continued
    total: int
    reindexed: int
    unreadable: int  # data key unavailable or answers damaged: indexes cleared
    codes_invalidated: bool  # no previous index key kept: old codes and links no longer work


def indexed_with(db_session: Session, keyring: Keyring) -> str:
    """Id of the index key the stored blind indexes were computed with."""
    row = db_session.get(SystemInfo, INDEX_KEY_ID)
    return row.value if row is not None else keyring.index_key_id


def reindex(
    db_session: Session,
    app_keyring: Keyring,
    *,
    save_keyring: SaveKeyring,
    invalidate_codes: bool = False,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> ReindexStats:
    """Rotate the index key (or continue a rotation) and recompute every blind index."""
    recorded = indexed_with(db_session, app_keyring)
    if db_session.get(SystemInfo, INDEX_KEY_ID) is None:
        db_session.add(SystemInfo(key=INDEX_KEY_ID, value=recorded))
        db_session.commit()
    keyring = app_keyring
    resuming = recorded != app_keyring.index_key_id
    if not resuming or (invalidate_codes and app_keyring.previous_index_key is not None):
        keyring = app_keyring.copy()
        if resuming:
            keyring.drop_previous_index_key()
        else:
            keyring.rotate_index_key(keep_previous=not invalidate_codes)
        save_keyring(keyring)
    total = db_session.scalar(
        select(func.count()).select_from(Registration).where(Registration.wrapped_dek.is_not(None))
    ) or 0
    reindexed = unreadable = 0
    for page in live_pages(db_session, batch_size):
        store = PersonalStore(db_session, keyring)
        loaded = {
            registration.id: registration
            for registration in db_session.scalars(
                select(Registration).where(Registration.id.in_([row.id for row in page]))
            )
        }
        changes = []
        for row in page:
            try:
                duf, name_dob = store.compute_indexes(loaded[row.id])
            except CryptoError:
                duf = name_dob = None
                unreadable += 1
            changes.append(
                {"rid": row.id, "seen": row.updated_at, "duf": duf, "name_dob": name_dob}
            )
        db_session.execute(SET_INDEXES, changes)
        db_session.commit()
        reindexed += len(changes)
        if progress is not None:
            progress("re-indexed", reindexed, total)
    marker = db_session.get(SystemInfo, INDEX_KEY_ID)
    if marker is None:  # init-db writes it
        raise RuntimeError("the database was not set up with init-db")
    marker.value = keyring.index_key_id
    db_session.commit()
    db_session.expire_all()
    return ReindexStats(
        keyring=keyring,
        index_key_id=keyring.index_key_id,
        new_key=not resuming,
        total=total,
        reindexed=reindexed,
        unreadable=unreadable,
        codes_invalidated=keyring.previous_index_key is None,
    )
