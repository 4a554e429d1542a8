"""Clear header shared by wrapped DEKs and field ciphertexts: version byte + short key id.

Why a header at all: the version byte lets the format evolve without guessing, and the key id
tells the reader which key to use (rotation, diagnostics) without trying keys one by one. The
header is authenticated because it is part of the AEAD associated data of both formats.

Layout: ``version (1 byte) | id length n (1 byte, 1..64) | id (n ASCII bytes)``.
"""
from __future__ import annotations

from ._encoding import MAX_ID_LENGTH, is_valid_id
from .errors import DecryptionError

# What database drivers hand back for binary columns.
BytesLike = bytes | bytearray | memoryview


def build_header(version: int, key_id: str) -> bytes:
    """Encode a header; ``key_id`` must already be a validated identifier."""
    raw = key_id.encode("ascii")
    return bytes((version, len(raw))) + raw


def parse_header(blob: bytes, *, what: str, supported_version: int) -> tuple[str, int]:
    """Return ``(key_id, header_length)`` or raise DecryptionError for a malformed header."""
    if len(blob) < 2:
        raise DecryptionError(f"{what} is truncated ({len(blob)} bytes)")
    version, id_length = blob[0], blob[1]
    if version != supported_version:
        raise DecryptionError(f"{what} has unsupported format version {version}")
    if not 1 <= id_length <= MAX_ID_LENGTH or len(blob) < 2 + id_length:
        raise DecryptionError(f"{what} has a malformed or truncated header")
    try:
        key_id = blob[2 : 2 + id_length].decode("ascii")
    except UnicodeDecodeError:
        raise DecryptionError(f"{what} has a malformed key id in its header") from None
    if not is_valid_id(key_id):
        raise DecryptionError(f"{what} has a malformed key id in its header")
    return key_id, 2 + id_length


def as_bytes(value: object, what: str) -> bytes:
    """Accept bytes-like values from database drivers (bytes, bytearray, memoryview)."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be bytes, got {type(value).__name__}")
