"""Paging through registrations for batch jobs, and updates that are not "activity".

Why keyset paging (``id > last``) rather than OFFSET: each page is committed before the next is
read, so a job stopped half-way can simply be run again, and rows changed by the job do not
shift the pages still to come.

Why updates go through the table and keep ``updated_at``: retention (``purge``) counts from a
registration's last real change. Re-wrapping a key or recomputing an index is maintenance, and
must not make a registration look recently used; an ORM update would bump the timestamp.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from ..models import Registration

# (what was done, how many so far, how many in all), e.g. ("re-wrapped", 500, 100000).
Progress = Callable[[str, int, int], None]

TABLE = Registration.__table__


def live_pages(db: Session, batch_size: int) -> Iterator[Sequence[Row[Any]]]:
    """Pages of (id, wrapped_dek, updated_at) for registrations whose data key still exists."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    last = ""
    while True:
        page = db.execute(
            select(TABLE.c.id, TABLE.c.wrapped_dek, TABLE.c.updated_at)
            .where(TABLE.c.wrapped_dek.is_not(None), TABLE.c.id > last)
            .order_by(TABLE.c.id)
            .limit(batch_size)
        ).all()
        if not page:
            return
        yield page
        last = page[-1].id


# Only if the wrapped key is still the one that was read: an erasure (or another rotation) that
# committed in between must win, never be undone by writing an old key back.
SET_WRAPPED_DEK = (
    update(TABLE)
    .where(TABLE.c.id == bindparam("rid"), TABLE.c.wrapped_dek == bindparam("old"))
    .values(wrapped_dek=bindparam("new"), kek_id=bindparam("kek"), updated_at=TABLE.c.updated_at)
)

# Only if nothing changed the registration since it was read (a resident's save would have
# refreshed the indexes itself) and it was not erased meanwhile.
SET_INDEXES = (
    update(TABLE)
    .where(
        TABLE.c.id == bindparam("rid"),
        TABLE.c.updated_at == bindparam("seen"),
        TABLE.c.wrapped_dek.is_not(None),
    )
    .values(
        duf_index=bindparam("duf"),
        name_dob_index=bindparam("name_dob"),
        updated_at=TABLE.c.updated_at,
    )
)
