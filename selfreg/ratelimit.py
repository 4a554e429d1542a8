"""A fixed-window limit on how often one client may call a cheap but public-facing endpoint.

Used for search-as-you-type: a phone sends a request a few hundred milliseconds after each pause
in typing, so a person never gets near the limit, while a script hammering the endpoint is slowed.
The counts live in the database (``rate_counters``), so every gunicorn worker and every host
counts together; one upsert per hit keeps it cheap. Logins and code entry have their own
lockouts (``code_attempts``), which also live in the database.
"""
from __future__ import annotations

import hashlib
import time
from typing import Callable

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import RateCounter


class FixedWindowLimiter:
    """At most ``limit`` hits per key in each window of ``window`` seconds."""

    def __init__(self, name: str, limit: int, window: int, *,
                 clock: Callable[[], float] = time.time) -> None:
        self.name = name
        self.limit = limit
        self.window = window
        self._clock = clock

    def hit(self, db: Session, key: str) -> float:
        """Count one hit and commit it; 0 when allowed, else the seconds until the next window."""
        now = self._clock()
        window = int(now // self.window)
        client_key = hashlib.sha256(f"{self.name}\0{key}".encode()).digest()
        hits = db.scalar(_upsert(db, client_key, window))
        if hits == 1:  # the first hit of a new window: forget the windows that have ended
            db.execute(delete(RateCounter).where(RateCounter.window < window))
        db.commit()
        if hits > self.limit:
            return (window + 1) * self.window - now
        return 0.0


def _upsert(db: Session, client_key: bytes, window: int):
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(RateCounter).values(client_key=client_key, window=window, hits=1)
    return statement.on_conflict_do_update(
        index_elements=[RateCounter.client_key, RateCounter.window],
        set_={"hits": RateCounter.hits + 1},
    ).returning(RateCounter.hits)
