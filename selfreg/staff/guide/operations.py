"""What a guide changes, each with its audit event in the same transaction (the view commits)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ... import audit, keys, registrations
from ...audit import Action
from ...models import Centre, Registration, RegistrationStatus, User, utcnow
from ...storage import PersonalStore
from ..scope import visible_registrations

IDENTITY_STEPS = ("name", "birth", "origin")


def create(db: Session, user: User, centre: Centre,
           count: int) -> list[registrations.NewRegistration]:
    """New registrations with their codes and one-time links, shown once and never stored."""
    created = registrations.create_registrations(db, keys.keyring(), centre, count)
    for item in created:
        audit.record(db, Action.REGISTRATION_CREATE, user_id=user.id,
                     registration_id=item.registration.id, detail=str(count))
    return created


def reopen(db: Session, user: User, registration: Registration) -> bool:
    """A submitted registration opens for answers again; False when it was not submitted.

    ``submitted_at`` is cleared: it says when the answers now stored were sent, and the person
    sends them again. The audit trail keeps that it had been submitted and who reopened it.
    """
    if registration.status != RegistrationStatus.SUBMITTED:
        return False
    registration.status = RegistrationStatus.IN_PROGRESS
    registration.submitted_at = None
    audit.record(db, Action.REGISTRATION_REOPEN, user_id=user.id, registration_id=registration.id)
    return True


def correct_identity(db: Session, store: PersonalStore, user: User, registration: Registration,
                     step_key: str, values: dict[str, Any], based_on_revision: int | None) -> int:
    """Save an identity step as the guide's change (raises RevisionConflict)."""
    revision = store.save_step(registration, step_key, values, based_on_revision=based_on_revision,
                               changed_by_user_id=user.id)
    audit.record(db, Action.IDENTITY_CORRECT, user_id=user.id, registration_id=registration.id,
                 detail=step_key)
    return revision


def erase(db: Session, user: User, registration: Registration) -> None:
    """Crypto-shred now; the key work reaches backups at the next scheduled purge."""
    registrations.erase(db, keys.keyring(), registration)
    audit.record(db, Action.REGISTRATION_ERASE, user_id=user.id, registration_id=registration.id)


def restrict(db: Session, user: User, registration: Registration) -> bool:
    """Restrict processing (GDPR art. 18); False when it was restricted already.

    What a restriction holds back is decided where each use selects its registrations (scope,
    exports, statistics, retention, saves); here only the mark is set. Setting or clearing it
    is a staff change like any other, so ``updated_at`` moves: after the restriction is lifted
    the registration goes out in the next export window and its retention counts from then.
    """
    if registration.is_restricted:
        return False
    registration.restricted_at = utcnow()
    audit.record(db, Action.REGISTRATION_RESTRICT, user_id=user.id,
                 registration_id=registration.id)
    return True


def lift_restriction(db: Session, user: User, registration: Registration) -> bool:
    """End the restriction; False when the registration was not restricted."""
    if not registration.is_restricted:
        return False
    registration.restricted_at = None
    audit.record(db, Action.REGISTRATION_RESTRICTION_LIFT, user_id=user.id,
                 registration_id=registration.id)
    return True


@dataclass(frozen=True)
class Duplicates:
    """Other registrations with the same DUF number or name + date of birth (blind indexes)."""

    by_duf: bool
    by_name_and_birth: bool
    visible: list[Registration]  # those in the guide's own centres

    @property
    def found(self) -> bool:
        return self.by_duf or self.by_name_and_birth


def duplicates(db: Session, user: User, registration: Registration) -> Duplicates:
    """Matches anywhere (erased registrations keep no indexes), but only the guide's own are
    named: of other centres the guide learns only that a match exists."""

    def exists_with(column, value) -> bool:
        if value is None:
            return False
        return db.scalar(select(Registration.id).where(
            column == value, Registration.id != registration.id,
            Registration.status != RegistrationStatus.ERASED,
        ).limit(1)) is not None

    by_duf = exists_with(Registration.duf_index, registration.duf_index)
    by_name = exists_with(Registration.name_dob_index, registration.name_dob_index)
    conditions = []
    if by_duf:
        conditions.append(Registration.duf_index == registration.duf_index)
    if by_name:
        conditions.append(Registration.name_dob_index == registration.name_dob_index)
    visible = list(db.scalars(
        visible_registrations(user)
        .where(Registration.id != registration.id, or_(*conditions))
        .order_by(Registration.created_at)
    )) if conditions else []
    return Duplicates(by_duf, by_name, visible)


def duplicate_ids(db: Session, registration_ids: list[str]) -> set[str]:
    """Which of these registrations have a possible duplicate (for a flag in lists)."""
    if not registration_ids:
        return set()
    flagged: set[str] = set()
    for column in (Registration.duf_index, Registration.name_dob_index):
        mine = db.execute(
            select(Registration.id, column).where(Registration.id.in_(registration_ids),
                                                  column.is_not(None))
        ).all()
        if not mine:
            continue
        shared = select(column).where(Registration.status != RegistrationStatus.ERASED,
                                      column.in_([value for _id, value in mine]))
        counts: dict[bytes, int] = {}
        for value in db.scalars(shared):
            counts[value] = counts.get(value, 0) + 1
        flagged.update(rid for rid, value in mine if counts.get(value, 0) > 1)
    return flagged
