"""Operations on centres and registrations: create, find by code, sign-in limits, submit.

Views stay thin: each mutation is a function here that writes and returns.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from . import access_codes
from .crypto import Keyring
from .crypto.blind_index import (
    blind_index,
    blind_index_candidates,
    code_lookup_candidates,
    code_lookup_hash,
)
from .models import Centre, CodeAttempt, Region, Registration, RegistrationStatus, utcnow
from .storage import PersonalStore

LINK_PURPOSE = "one-time-link"
CLIENT_PURPOSE = "client-address"


class CentreNotFound(LookupError):
    pass


@dataclass(frozen=True)
class NewRegistration:
    registration: Registration
    code: str  # canonical form; show with access_codes.format_code
    link_token: str


def create_centre(db: Session, name: str) -> Centre:
    centre = Centre(name=name.strip())
    db.add(centre)
    db.flush()
    return centre


def centre_by_name(db: Session, name: str) -> Centre:
    centre = db.scalar(select(Centre).where(Centre.name == name.strip()))
    if centre is None:
        raise CentreNotFound(name)
    return centre


def region_by_name(db: Session, name: str, *, create: bool = False) -> Region | None:
    clean = name.strip()
    region = db.scalar(select(Region).where(Region.name == clean))
    if region is None and create and clean:
        region = Region(name=clean)
        db.add(region)
        db.flush()
    return region


def create_registrations(
    db: Session, keyring: Keyring, centre: Centre, count: int = 1
) -> list[NewRegistration]:
    """New registrations, each with its own resident code, one-time link and data key."""
    store = PersonalStore(db, keyring)
    created = []
    for _ in range(count):
        code = access_codes.generate()
        token = secrets.token_urlsafe(24)
        registration = Registration(
            centre=centre,
            code_lookup=code_lookup_hash(keyring, code),
            link_lookup=blind_index(keyring, LINK_PURPOSE, token),
        )
        db.add(registration)
        db.flush()
        store.provision(registration)
        created.append(NewRegistration(registration, code, token))
    db.flush()
    return created


def find_by_code(db: Session, keyring: Keyring, canonical_code: str) -> Registration | None:
    """The registration for a resident code; None if unknown or erased.

    After an index-key rotation the code may still be hashed with the previous index key;
    it is then re-hashed with the current key (the caller commits), because the code itself is
    never stored and this is the only moment it can be.
    """
    candidates = code_lookup_candidates(keyring, canonical_code)
    registration = db.scalar(
        select(Registration).where(Registration.code_lookup.in_(candidates))
    )
    if registration is None or registration.is_erased:
        return None
    if registration.code_lookup != candidates[0]:
        registration.code_lookup = candidates[0]
    return registration


def redeem_link(db: Session, keyring: Keyring, token: str) -> Registration | None:
    """Exchange a one-time link for its registration; the link stops working at once."""
    if not token or len(token) > 64:
        return None
    # The previous index key too, so an index-key rotation does not break printed links.
    registration = db.scalar(
        select(Registration).where(
            Registration.link_lookup.in_(blind_index_candidates(keyring, LINK_PURPOSE, token))
        )
    )
    if registration is None or registration.is_erased:
        return None
    registration.link_lookup = None
    return registration


# --- slowing down guessing -------------------------------------------------------------------


def client_key(keyring: Keyring, address: str | None) -> bytes:
    """A keyed hash of the client address: counts attempts without storing the address."""
    return blind_index(keyring, CLIENT_PURPOSE, address or "unknown")


def lockout_remaining(
    db: Session, key: bytes, *, limit: int, window_seconds: int
) -> int:
    """Seconds until this client may try again (0 when not locked out)."""
    since = utcnow() - timedelta(seconds=window_seconds)
    failures = db.scalars(
        select(CodeAttempt.failed_at)
        .where(CodeAttempt.client_key == key, CodeAttempt.failed_at >= since)
        .order_by(CodeAttempt.failed_at.desc())
        .limit(limit)
    ).all()
    if len(failures) < limit:
        return 0
    unlock_at = failures[-1] + timedelta(seconds=window_seconds)
    return max(1, int((unlock_at - utcnow()).total_seconds()))


def record_failed_code(db: Session, key: bytes, *, window_seconds: int) -> None:
    db.add(CodeAttempt(client_key=key))
    # Keep the table small: old attempts no longer count.
    db.execute(
        delete(CodeAttempt).where(
            CodeAttempt.failed_at < utcnow() - timedelta(seconds=window_seconds * 2)
        )
    )


def clear_failed_codes(db: Session, key: bytes) -> None:
    db.execute(delete(CodeAttempt).where(CodeAttempt.client_key == key))


def failure_count(db: Session, key: bytes) -> int:
    return db.scalar(select(func.count()).where(CodeAttempt.client_key == key)) or 0


# --- lifecycle ---------------------------------------------------------------------------------


def record_consent(registration: Registration, locale: str, catalogue_version: str) -> None:
    registration.consented_at = utcnow()
    registration.locale = locale
    registration.catalogue_version = catalogue_version
    if registration.status == RegistrationStatus.NEW:
        registration.status = RegistrationStatus.IN_PROGRESS


def record_progress(registration: Registration, steps_done: int, locale: str) -> None:
    registration.steps_done = steps_done
    registration.locale = locale
    if registration.status == RegistrationStatus.NEW:
        registration.status = RegistrationStatus.IN_PROGRESS


def submit(registration: Registration) -> None:
    registration.status = RegistrationStatus.SUBMITTED
    registration.submitted_at = utcnow()


def erase(db: Session, keyring: Keyring, registration: Registration) -> None:
    """Crypto-shred one registration; only non-personal metadata stays."""
    PersonalStore(db, keyring).shred(registration)
    registration.status = RegistrationStatus.ERASED
    registration.erased_at = utcnow()
    registration.link_lookup = None
