"""A small in-process limit on how often one client may call a cheap but public-facing endpoint.

Used for search-as-you-type: a phone sends a request a few hundred milliseconds after each pause
in typing, so a person never gets near the limit, while a script hammering the endpoint is slowed.
Counts live in this process only (each gunicorn worker counts on its own): that is enough for
protecting CPU, and it is no security boundary, so it needs no shared store.
"""
from __future__ import annotations

import threading
import time
from typing import Callable


class FixedWindowLimiter:
    """At most ``limit`` hits per key in each window of ``window`` seconds."""

    def __init__(self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._max_keys = max_keys
        self._counts: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str) -> float:
        """Count one hit; 0 when allowed, else the seconds until the next window."""
        now = self._clock()
        with self._lock:
            start, count = self._counts.get(key, (now, 0))
            if now - start >= self.window:
                start, count = now, 0
            if count >= self.limit:
                return self.window - (now - start)
            if len(self._counts) >= self._max_keys and key not in self._counts:
                self._forget_old(now)
            self._counts[key] = (start, count + 1)
            return 0.0

    def _forget_old(self, now: float) -> None:
        self._counts = {k: v for k, v in self._counts.items() if now - v[0] < self.window}
        if len(self._counts) >= self._max_keys:
            self._counts.clear()
