"""The in-process limiter behind search as you type."""
from __future__ import annotations

from selfreg.ratelimit import FixedWindowLimiter


def test_limits_per_key_and_window():
    now = [0.0]
    limiter = FixedWindowLimiter(2, 10.0, clock=lambda: now[0])
    assert limiter.hit("a") == 0 and limiter.hit("a") == 0
    assert limiter.hit("a") == 10.0
    assert limiter.hit("b") == 0  # another client is not affected
    now[0] = 10.0
    assert limiter.hit("a") == 0  # a new window


def test_memory_stays_bounded():
    now = [0.0]
    limiter = FixedWindowLimiter(1, 1.0, clock=lambda: now[0], max_keys=3)
    for key in "abcdef":
        limiter.hit(key)
    assert len(limiter._counts) <= 3
