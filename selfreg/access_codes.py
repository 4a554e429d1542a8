"""Resident codes: easy to type on a phone, hard to guess, with a check character.

Alphabet: 30 characters without the worst look-alikes (no 0, O, 1, I, L, U). A code is 11 random
characters (≈ 54 bits) plus one check character
computed with the Luhn mod N algorithm, which catches every single wrong character and every swap
of two neighbours, so most typos are reported before the server is asked. Shown as XXXX-XXXX-XXXX.
"""
from __future__ import annotations

import secrets
import unicodedata

ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
RANDOM_LENGTH = 11
GROUP = 4
_INDEX = {char: i for i, char in enumerate(ALPHABET)}


def _check_character(payload: str) -> str:
    """Luhn mod N over the alphabet (N = len(ALPHABET))."""
    n = len(ALPHABET)
    total = 0
    factor = 2
    for char in reversed(payload):
        addend = factor * _INDEX[char]
        total += addend // n + addend % n
        factor = 1 if factor == 2 else 2
    return ALPHABET[(n - total % n) % n]


def generate() -> str:
    """A new random code in its canonical (ungrouped) form."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return payload + _check_character(payload)


def format_code(code: str) -> str:
    """Group for display: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + GROUP] for i in range(0, len(code), GROUP))


def normalise(typed: str) -> str:
    """Canonical form of what a person typed: any script's digits, any case, any separators."""
    text = unicodedata.normalize("NFKC", typed or "").upper()
    out = []
    for char in text:
        if char.isdigit():
            digit = unicodedata.decimal(char, None)
            if digit is not None:
                out.append(str(digit))
            continue
        if char.isalnum():
            out.append(char)
    return "".join(out)


def is_well_formed(canonical: str) -> bool:
    """True when length, alphabet and check character are right (no database needed)."""
    if len(canonical) != RANDOM_LENGTH + 1:
        return False
    if any(char not in _INDEX for char in canonical):
        return False
    return _check_character(canonical[:-1]) == canonical[-1]
