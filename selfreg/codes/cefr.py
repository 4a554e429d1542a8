"""CEFR levels for self-assessed language skills.

Residents rate how well they understand, speak, read and write a language. The stored value
is a CEFR level, which Norwegian courses and employers use; the questionnaire shows plain-word
descriptions instead of the codes, so there is nothing to translate here.
"""

from __future__ import annotations

A1 = "A1"
A2 = "A2"
B1 = "B1"
B2 = "B2"
C1 = "C1"
C2 = "C2"
NONE = "none"
"""The answer "not at all": below A1, and not a CEFR level itself."""

LEVELS = (A1, A2, B1, B2, C1, C2)
"""The six CEFR levels, lowest first."""

CHOICES = (NONE, *LEVELS)
"""Every value an answer may hold, lowest first."""


def is_valid(code: str) -> bool:
    return code in CHOICES


def rank(code: str) -> int:
    """0 for "none", 1 for A1 ... 6 for C2: for comparisons such as "at least B1" in statistics."""
    try:
        return CHOICES.index(code)
    except ValueError:
        raise ValueError(f"not a CEFR answer: {code!r}") from None


def at_least(code: str, minimum: str) -> bool:
    """Whether an answer reaches a level, e.g. at_least("B2", B1) is True."""
    return rank(code) >= rank(minimum)
