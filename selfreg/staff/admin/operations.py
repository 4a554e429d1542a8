"""What admins change, each as one function that writes, records the audit event and returns.

The caller commits (one transaction per request), so an action never commits without its
audit event. No Flask request state here; refusals are exceptions the views turn into messages.
Audit details hold ids, roles and field names only: never a password, token or key.
"""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import update
from sqlalchemy.orm import Session

from ... import accounts, audit, retention
from ...audit import Action
from ...models import Centre, ExportRecipient, Region, Role, StaffSession, User, utcnow

CENTRE_CREATE = Action.CENTRE_CREATE
CENTRE_CHANGE = Action.CENTRE_CHANGE
REGION_CREATE = Action.REGION_CREATE
RECIPIENT_CREATE = Action.RECIPIENT_CREATE
RECIPIENT_CHANGE = Action.RECIPIENT_CHANGE
RECIPIENT_TOKEN = Action.RECIPIENT_TOKEN


class Refused(ValueError):
    """An admin may not do this (the view says why)."""


class SelfDemotion(Refused):
    """Changing one's own role could leave no admin at all."""


class SelfDeactivation(Refused):
    """Deactivating oneself could leave no admin at all."""


# --- users ------------------------------------------------------------------------------------


def end_sessions(db: Session, user: User) -> int:
    """End every open staff session of this user; their cookies are then worth nothing."""
    result = db.execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    return result.rowcount or 0


def _scope_for(role: str, centres: list[Centre], region: Region | None):
    """Only what the role uses: centres for a guide, a region for a counsellor."""
    return (list(centres) if role == Role.GUIDE else [],
            region if role == Role.COUNSELLOR else None)


def create_user(db: Session, admin: User, *, email: str, role: str, centres: list[Centre],
                region: Region | None) -> tuple[User, str]:
    """A new user with a temporary password (returned once) to change at the first login."""
    centres, region = _scope_for(role, centres, region)
    password = accounts.temporary_password()
    user = accounts.create_user(db, email, role, password, centres=centres, region=region,
                                must_change_password=True)
    audit.record(db, Action.USER_CREATE, user_id=admin.id, detail=f"user {user.id} {role}")
    return user, password


def change_user(db: Session, admin: User, user: User, *, role: str, centres: list[Centre],
                region: Region | None) -> list[str]:
    """Set role, centres and region; returns the names of what changed."""
    if user.id == admin.id and role != user.role:
        raise SelfDemotion()
    centres, region = _scope_for(role, centres, region)
    changed = []
    if role != user.role:
        changed.append(f"role {role}")
        user.role = role
    if {c.id for c in centres} != {c.id for c in user.centres}:
        changed.append(f"centres {len(centres)}")
        user.centres = centres
    if (region.id if region else None) != user.region_id:
        changed.append(f"region {region.id if region else 'none'}")
        user.region = region
    if changed:
        audit.record(db, Action.USER_CHANGE, user_id=admin.id,
                     detail=f"user {user.id} " + ", ".join(changed))
    return changed


def reset_password(db: Session, admin: User, user: User) -> str:
    """A new temporary password (returned once); the old one and open sessions stop working."""
    password = accounts.temporary_password()
    accounts.set_password(user, password, must_change=True)
    end_sessions(db, user)
    audit.record(db, Action.PASSWORD_RESET, user_id=admin.id, detail=f"user {user.id}")
    return password


def reset_second_factor(db: Session, admin: User, user: User) -> None:
    """The user sets up a new authenticator at the next login (e.g. after losing the phone)."""
    accounts.reset_totp(user)
    end_sessions(db, user)
    audit.record(db, Action.USER_CHANGE, user_id=admin.id,
                 detail=f"user {user.id} second factor reset")


def set_active(db: Session, admin: User, user: User, active: bool) -> None:
    if not active and user.id == admin.id:
        raise SelfDeactivation()
    if user.active == active:
        return
    user.active = active
    if not active:
        end_sessions(db, user)
    audit.record(db, Action.USER_CHANGE, user_id=admin.id,
                 detail=f"user {user.id} {'reactivated' if active else 'deactivated'}")


# --- centres and regions ----------------------------------------------------------------------


def create_region(db: Session, admin: User, name: str) -> Region:
    region = Region(name=name.strip())
    db.add(region)
    db.flush()
    audit.record(db, REGION_CREATE, user_id=admin.id, detail=f"region {region.id}")
    return region


def create_centre(db: Session, admin: User, *, name: str, municipality: str | None,
                  region: Region | None) -> Centre:
    centre = Centre(name=name.strip(), municipality=(municipality or "").strip() or None,
                    region=region)
    db.add(centre)
    db.flush()
    audit.record(db, CENTRE_CREATE, user_id=admin.id, detail=f"centre {centre.id}")
    return centre


def change_centre(db: Session, admin: User, centre: Centre, *, name: str,
                  municipality: str | None, region: Region | None) -> list[str]:
    municipality = (municipality or "").strip() or None
    changed = []
    if name.strip() != centre.name:
        changed.append("name")
        centre.name = name.strip()
    if municipality != centre.municipality:
        changed.append("municipality")
        centre.municipality = municipality
    if (region.id if region else None) != centre.region_id:
        changed.append(f"region {region.id if region else 'none'}")
        centre.region = region
    if changed:
        audit.record(db, CENTRE_CHANGE, user_id=admin.id,
                     detail=f"centre {centre.id} " + ", ".join(changed))
    return changed


# --- export recipients ------------------------------------------------------------------------


def pull_token_hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("ascii")).digest()


def register_recipient(db: Session, admin: User, *, name: str, public_key_text: str,
                       fingerprint: str) -> ExportRecipient:
    recipient = ExportRecipient(name=name.strip(), public_key=public_key_text,
                                fingerprint=fingerprint, active=True)
    db.add(recipient)
    db.flush()
    audit.record(db, RECIPIENT_CREATE, user_id=admin.id,
                 detail=f"recipient {recipient.id} key {fingerprint}")
    return recipient


def set_recipient_active(db: Session, admin: User, recipient: ExportRecipient,
                         active: bool) -> None:
    """Deactivating also withdraws the pull token: reactivating needs a new one."""
    if recipient.active == active:
        return
    recipient.active = active
    if not active:
        recipient.pull_token_hash = None
    audit.record(db, RECIPIENT_CHANGE, user_id=admin.id,
                 detail=f"recipient {recipient.id} {'reactivated' if active else 'deactivated'}")


def issue_pull_token(db: Session, admin: User, recipient: ExportRecipient) -> str:
    """A new pull token (returned once; only its SHA-256 is kept); the old one stops working."""
    token = secrets.token_urlsafe(32)
    recipient.pull_token_hash = pull_token_hash(token)
    audit.record(db, RECIPIENT_TOKEN, user_id=admin.id, detail=f"recipient {recipient.id}")
    return token


# --- settings ---------------------------------------------------------------------------------


def set_retention(db: Session, admin: User, days: int | None) -> None:
    """Override the retention period (None: back to the configured value)."""
    retention.set_override(db, days)
    audit.record(db, Action.SETTINGS_CHANGE, user_id=admin.id,
                 detail=f"retention_days {days if days is not None else 'configured'}")
