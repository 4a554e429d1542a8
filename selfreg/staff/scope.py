"""Access control in one place: which registrations a staff user may touch, and how.

Every staff view that reads or changes a person's data gets the registration through
``registration_for`` (one row) or ``visible_registrations`` (lists). Anything out of scope is a
404, the same answer as for an id that does not exist: staff cannot even learn that a
registration exists elsewhere.

* guide: registrations of their own centre(s), any status except erased;
* counsellor: submitted registrations of centres in their region, unless restricted;
* admin: no person's data at all (users, centres, keys, audit trail; sealed exports only).

A restricted registration (GDPR art. 18, ``restricted_at`` set) is only stored: its guides see
it in their list and on its status page, and may lift the restriction or erase it; nothing else.
"""
from __future__ import annotations

import re

from flask import abort
from sqlalchemy import Select, false, select

from .. import db
from ..models import Centre, Registration, RegistrationStatus, Role, User

# Registration ids are uuid4 hex. Anything else in a URL cannot name one, and must not reach
# the database (PostgreSQL refuses text holding NUL with an error, not a miss).
REGISTRATION_ID = re.compile(r"[0-9a-f]{1,32}")


class Do:
    """What staff do with a registration; each role may do only its own."""

    LIST = "list"
    CREATE = "create"
    REOPEN = "reopen"
    CORRECT_IDENTITY = "correct_identity"
    ERASE = "erase"
    GUIDE = "guide"  # guided mode: fill in together with the person
    READ_PROFILE = "read_profile"
    WRITE_NOTE = "write_note"
    VERIFY = "verify"
    CORRECT_ENTRY = "correct_entry"
    RESTRICT = "restrict"  # restrict processing, and lift the restriction


ALLOWED = {
    Role.GUIDE: {Do.LIST, Do.CREATE, Do.REOPEN, Do.CORRECT_IDENTITY, Do.ERASE, Do.GUIDE,
                 Do.RESTRICT},
    Role.COUNSELLOR: {Do.LIST, Do.READ_PROFILE, Do.WRITE_NOTE, Do.VERIFY, Do.CORRECT_ENTRY},
    Role.ADMIN: set(),
}
# What may still be done to a restricted registration (by those allowed the action at all).
WHILE_RESTRICTED = {Do.LIST, Do.RESTRICT, Do.ERASE}


def may(user: User, action: str) -> bool:
    return action in ALLOWED.get(user.role, set())


def visible_registrations(user: User) -> Select:
    """The registrations this user may see, as a query to filter and page further."""
    query = select(Registration).where(Registration.status != RegistrationStatus.ERASED)
    if user.role == Role.GUIDE:
        centre_ids = [centre.id for centre in user.centres]
        return query.where(Registration.centre_id.in_(centre_ids) if centre_ids else false())
    if user.role == Role.COUNSELLOR and user.region_id is not None:
        return query.where(
            Registration.status == RegistrationStatus.SUBMITTED,
            Registration.restricted_at.is_(None),
            Registration.centre_id.in_(select(Centre.id).where(Centre.region_id == user.region_id)),
        )
    return query.where(false())


def visible_centres(user: User) -> list[Centre]:
    """Centres this user may create registrations in (guides) or reads from (counsellors)."""
    if user.role == Role.GUIDE:
        return sorted(user.centres, key=lambda centre: centre.name)
    if user.role == Role.COUNSELLOR and user.region_id is not None:
        return list(db.session().scalars(
            select(Centre).where(Centre.region_id == user.region_id).order_by(Centre.name)
        ))
    return []


def find_registration(user: User, registration_id: str, action: str) -> Registration | None:
    """The registration, if this user may do ``action`` to it now; otherwise None."""
    if (not may(user, action) or not isinstance(registration_id, str)
            or not REGISTRATION_ID.fullmatch(registration_id)):
        return None
    found = db.session().scalar(
        visible_registrations(user).where(Registration.id == registration_id)
    )
    if found is None or (found.is_restricted and action not in WHILE_RESTRICTED):
        return None
    return found


def registration_for(user: User, registration_id: str, action: str) -> Registration:
    """The registration, if this user may do ``action`` to it now; otherwise 404."""
    found = find_registration(user, registration_id, action)
    if found is None:
        abort(404)
    return found


def centre_for(user: User, centre_id: int) -> Centre:
    """A centre this user may create registrations in; otherwise 404."""
    if not may(user, Do.CREATE):
        abort(404)
    for centre in visible_centres(user):
        if centre.id == centre_id:
            return centre
    abort(404)
