"""Erasure on request and on schedule, carried all the way into database backups.

Erasing is two steps. First the registration is crypto-shredded in the live database
(``registrations.erase``: answers deleted, wrapped data key and indexes cleared, status
"erased"), and committed. Then every other data key is re-wrapped under a fresh KEK and every
older KEK destroyed (``rotation.rotate``), because older backups still hold the erased
person's wrapped data key and would otherwise stay readable with the current keyring.

The second step is derived from the database, not remembered: an erased registration keeps the
id of its last KEK, and while that KEK exists the erasure is unfinished. A crash between the
steps is therefore finished by the next ``erase``, ``purge`` or ``rotate-keys``, and a staff
view may erase now and leave the key work to the next scheduled ``purge``.

Cost: one re-wrap of every data key per run, not per person (``purge`` erases many and rotates
once) - seconds at 100,000 registrations.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from .. import audit, registrations
from ..crypto import Keyring
from ..models import Registration, RegistrationStatus, utcnow
from ._rows import Progress
from .retirement import SaveKeyring
from .rotation import RotationStats, rotate
from .usage import erasure_pending_keys


@dataclass(frozen=True)
class ErasureReport:
    erased: int
    rotation: RotationStats | None  # None when no key work was needed

    @property
    def complete(self) -> bool:
        """True when no KEK that wrapped an erased registration's data key still exists."""
        return self.rotation is None or not self.rotation.erasure_pending


def erase_registrations(
    db_session: Session,
    keyring: Keyring,
    to_erase: Iterable[Registration],
    *,
    save_keyring: SaveKeyring,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> ErasureReport:
    """Crypto-shred these registrations, then destroy the keys older backups would need."""
    erased = 0
    for registration in to_erase:
        if not registration.is_erased:
            registrations.erase(db_session, keyring, registration)
            audit.record(db_session, audit.Action.REGISTRATION_ERASE, actor=audit.SYSTEM,
                         registration_id=registration.id, detail="erase command")
            erased += 1
    db_session.commit()
    return ErasureReport(
        erased,
        complete_erasures(
            db_session, keyring, save_keyring=save_keyring, batch_size=batch_size,
            progress=progress,
        ),
    )


def complete_erasures(
    db_session: Session,
    keyring: Keyring,
    *,
    save_keyring: SaveKeyring,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> RotationStats | None:
    """Finish the key work of earlier erasures, if any is left; None when there was none."""
    if not erasure_pending_keys(db_session, keyring):
        return None
    return rotate(
        db_session, keyring, save_keyring=save_keyring, batch_size=batch_size, progress=progress
    )


def _past_retention(older_than_days: int, now: datetime | None) -> list:
    """Not erased, and no change and no submission in the last ``older_than_days``."""
    if older_than_days < 0:
        raise ValueError("older_than_days must not be negative")
    cutoff = (now or utcnow()).astimezone(timezone.utc) - timedelta(days=older_than_days)
    return [
        Registration.status != RegistrationStatus.ERASED,
        Registration.updated_at < cutoff,
        or_(Registration.submitted_at.is_(None), Registration.submitted_at < cutoff),
    ]


def expired(db_session: Session, older_than_days: int, now: datetime | None = None) -> list[str]:
    """Ids of registrations with no change and no submission in the last ``older_than_days``.

    Registrations never started count too: their code slip may still be lying around.
    Restricted ones (GDPR art. 18) are held: a restriction means the data is kept, unused.
    """
    return list(
        db_session.scalars(
            select(Registration.id)
            .where(*_past_retention(older_than_days, now), Registration.restricted_at.is_(None))
            .order_by(Registration.id)
        )
    )


def held(db_session: Session, older_than_days: int, now: datetime | None = None) -> int:
    """How many registrations past the retention period are held because they are restricted."""
    return db_session.scalar(
        select(func.count()).select_from(Registration)
        .where(*_past_retention(older_than_days, now), Registration.restricted_at.is_not(None))
    ) or 0


def purge(
    db_session: Session,
    keyring: Keyring,
    older_than_days: int,
    *,
    save_keyring: SaveKeyring,
    now: datetime | None = None,
    batch_size: int = 500,
    progress: Progress | None = None,
) -> ErasureReport:
    """Erase every registration past the retention period, then rotate once for all of them.

    Also finishes the key work of earlier erasures when there is nothing new to erase.
    """
    ids = expired(db_session, older_than_days, now)
    erased = 0
    for start in range(0, len(ids), batch_size):
        chunk = ids[start : start + batch_size]
        # Asked again per chunk: one restricted since the list was made is held, not erased.
        for registration in db_session.scalars(
            select(Registration).where(Registration.id.in_(chunk),
                                       *_past_retention(older_than_days, now),
                                       Registration.restricted_at.is_(None))
        ):
            erased += 1
            registrations.erase(db_session, keyring, registration)
            audit.record(db_session, audit.Action.REGISTRATION_ERASE, actor=audit.SYSTEM,
                         registration_id=registration.id, detail="retention purge")
        db_session.commit()
        if progress is not None:
            progress("erased", start + len(chunk), len(ids))
    return ErasureReport(
        erased,
        complete_erasures(
            db_session, keyring, save_keyring=save_keyring, batch_size=batch_size,
            progress=progress,
        ),
    )
