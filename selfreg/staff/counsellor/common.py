"""Small helpers shared by the counsellor's views."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select

from ... import db, keys
from ...models import Role, User
from ...numbers import small_int
from ...storage import PersonalStore
from ..auth import login_required
from ..references import short_reference as reference  # noqa: F401 (used by the views)


def counsellor_only(view: Callable) -> Callable:
    """Logged in, two factors, role counsellor; anyone else gets 404."""
    return login_required(Role.COUNSELLOR)(view)


def personal_store() -> PersonalStore:
    return PersonalStore(db.session(), keys.keyring())


def emails_of(user_ids) -> dict[int, str]:
    """Staff e-mail addresses by user id (staff data, not a resident's)."""
    wanted = {user_id for user_id in user_ids if user_id is not None}
    if not wanted:
        return {}
    rows = db.session().execute(select(User.id, User.email).where(User.id.in_(wanted)))
    return {user_id: email for user_id, email in rows}


def posted_revision(raw: str | None) -> int | None:
    """The revision a page showed (a hidden field); None when missing or odd."""
    return small_int(raw, 9)
