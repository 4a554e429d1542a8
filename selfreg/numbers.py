"""Whole numbers typed or sent as text (hidden revision fields, ``?page=``), parsed one way.

Only ASCII digits count: "²" and "٣" pass ``str.isdigit()``, but ``int()`` refuses the first
(a 500) and reads the second, and no such field is ever sent with them by our pages.
"""
from __future__ import annotations


def small_int(raw: str | None, max_digits: int) -> int | None:
    """The number in ``raw`` (spaces around allowed), or None unless it is 1 to ``max_digits``
    ASCII digits (the limit keeps ``int()`` cheap and the value in range)."""
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > max_digits:
        return None
    return int(text)
