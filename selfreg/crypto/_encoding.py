"""Byte-encoding helpers shared by the ciphertext formats.

Why: associated data made by plain concatenation is ambiguous ("ab" + "c" == "a" + "bc"), which
would let a value encrypted for one (table, column) pair decrypt under another. Every variable part
is therefore length-prefixed. Identifiers that travel in clear headers are restricted to short
ASCII so that headers parse unambiguously and cannot smuggle control characters into logs.
"""
from __future__ import annotations

import re

MAX_ID_LENGTH = 64
_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,63}")


def length_prefixed(*parts: str) -> bytes:
    """Encode each part as a 4-byte big-endian length followed by its UTF-8 bytes."""
    out = bytearray()
    for part in parts:
        if not isinstance(part, str):
            raise TypeError(f"expected str, got {type(part).__name__}")
        data = part.encode("utf-8")
        out += len(data).to_bytes(4, "big")
        out += data
    return bytes(out)


def is_valid_id(value: object) -> bool:
    """True if ``value`` is an identifier allowed in a clear header (short printable ASCII)."""
    return isinstance(value, str) and _ID_PATTERN.fullmatch(value) is not None


def require_id(value: object, what: str) -> str:
    """Return ``value`` if it is a valid identifier, else raise ValueError naming ``what``."""
    if not is_valid_id(value):
        raise ValueError(
            f"{what} must be 1-{MAX_ID_LENGTH} ASCII characters from [A-Za-z0-9._:-], "
            "starting with a letter or digit"
        )
    return value  # type: ignore[return-value]


def require_text(value: object, what: str) -> str:
    """Return ``value`` if it is a non-empty str, else raise (TypeError/ValueError)."""
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, got {type(value).__name__}")
    if not value:
        raise ValueError(f"{what} must not be empty")
    return value
