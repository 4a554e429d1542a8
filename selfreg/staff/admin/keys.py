"""Key status, read-only: the facts ``flask --app selfreg key-status`` prints.

Rotation, retirement, reindexing and purging stay command-line jobs (they rewrite the keyring
file, take a file lock and may run for minutes); this page says which command to run.
The facts come from the same ``selfreg.keyops`` functions the command uses.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from ... import db, keyops, keys
from ...crypto import RETIRED, Keyring
from .. import bp
from .common import admin_required, render


@dataclass(frozen=True)
class KekRow:
    id: str
    status: str
    created_at: datetime | None
    retired_at: datetime | None
    data_keys: int
    known: bool = True


@dataclass(frozen=True)
class KeyStatus:
    keyring_id: str
    keks: list[KekRow]
    retired_in_use: list[str]
    index_key_id: str
    previous_index_key_id: str | None
    reindex_unfinished: bool
    rotation_unfinished: bool
    erasure_pending: list[str]

    @property
    def all_well(self) -> bool:
        return not (self.retired_in_use or self.reindex_unfinished or self.rotation_unfinished
                    or self.erasure_pending or any(not row.known for row in self.keks))


def key_status(session: Session, keyring: Keyring) -> KeyStatus:
    """What ``key-status`` reports, as data (ids and counts; no key material)."""
    usage = keyops.keys_in_use(session)
    rows = [KekRow(k.id, k.status, k.created_at, k.retired_at, usage.get(k.id, 0))
            for k in keyring.keks]
    known = {k.id for k in keyring.keks}
    rows += [KekRow(key_id, "unknown", None, None, count, known=False)
             for key_id, count in sorted(usage.items()) if key_id not in known]
    previous = keyring.previous_index_key
    return KeyStatus(
        keyring_id=keyring.keyring_id,
        keks=rows,
        retired_in_use=[k.id for k in keyring.keks if k.status == RETIRED and usage.get(k.id)],
        index_key_id=keyring.index_key_id,
        previous_index_key_id=previous.id if previous else None,
        reindex_unfinished=keyops.indexed_with(session, keyring) != keyring.index_key_id,
        rotation_unfinished=keyops.unfinished_rotation(keyring, usage),
        erasure_pending=sorted(keyops.erasure_pending_keys(session, keyring)),
    )


@bp.route("/admin/keys")
@admin_required
def admin_keys():
    return render("staff/admin/keys.html", state=key_status(db.session(), keys.keyring()))
