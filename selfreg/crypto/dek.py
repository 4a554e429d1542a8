"""Data-encryption keys (DEKs): one per registration, stored only wrapped by a KEK.

Why envelope encryption: rotating a KEK then means re-wrapping one 32-byte key per registration
instead of re-encrypting every field, and erasing a registration's DEK crypto-shreds all of its
fields (including copies in backups that hold only the wrapped DEK).

Wrapping is AES-256-GCM under the KEK with the registration id in the associated data, so a
wrapped DEK copied onto another registration's row fails to unwrap instead of silently letting
that registration's fields be read with the wrong key.

Wrapped format (version 1), see docs/CRYPTO-FORMATS.md::

    0x01 | n (1 byte) | KEK id (n ASCII bytes) | nonce (12) | AES-GCM(DEK) (32) | tag (16)

Random 96-bit nonces are safe here: a KEK wraps one DEK per registration plus re-wraps, far
below the 2**32 messages per key that NIST SP 800-38D allows for random nonces.
"""
from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ._encoding import length_prefixed, require_text
from ._header import BytesLike, as_bytes, build_header, parse_header
from .errors import DecryptionError, KeyUnavailableError
from .keyring import KEY_LENGTH, Keyring

__all__ = [
    "DEK_LENGTH",
    "WRAP_VERSION",
    "new_dek",
    "wrap_dek",
    "unwrap_dek",
    "rewrap_dek",
    "wrapped_key_id",
]

DEK_LENGTH = KEY_LENGTH
WRAP_VERSION = 1
_NONCE_LENGTH = 12
_TAG_LENGTH = 16
_BODY_LENGTH = _NONCE_LENGTH + DEK_LENGTH + _TAG_LENGTH
_AAD_LABEL = "selfreg/dek-wrap"


def new_dek() -> bytes:
    """Return a fresh random 32-byte DEK (AES-256)."""
    return os.urandom(DEK_LENGTH)


def _aad(header: bytes, registration_id: str) -> bytes:
    return header + length_prefixed(_AAD_LABEL, registration_id)


def wrap_dek(keyring: Keyring, dek: BytesLike, registration_id: str) -> bytes:
    """Encrypt ``dek`` under the keyring's active KEK, bound to ``registration_id``."""
    key = as_bytes(dek, "dek")
    if len(key) != DEK_LENGTH:
        raise ValueError(f"a DEK must be {DEK_LENGTH} bytes, not {len(key)}")
    require_text(registration_id, "registration_id")
    kek = keyring.active_kek
    if kek.key is None:  # the Keyring validates this; checked again so -O cannot drop it
        raise KeyUnavailableError(f"the active key {kek.id} has no material")
    header = build_header(WRAP_VERSION, kek.id)
    nonce = os.urandom(_NONCE_LENGTH)
    sealed = AESGCM(kek.key).encrypt(nonce, key, _aad(header, registration_id))
    return header + nonce + sealed


def wrapped_key_id(wrapped: BytesLike) -> str:
    """Id of the KEK that wrapped this DEK, read from the header without decrypting.

    Lets a rotation job find the DEKs that still need re-wrapping. The id is authenticated
    only when the DEK is actually unwrapped.
    """
    key_id, _ = _parse(as_bytes(wrapped, "wrapped DEK"))
    return key_id


def _parse(wrapped: bytes) -> tuple[str, int]:
    key_id, header_length = parse_header(
        wrapped, what="wrapped DEK", supported_version=WRAP_VERSION
    )
    if len(wrapped) != header_length + _BODY_LENGTH:
        raise DecryptionError(
            f"wrapped DEK has wrong length {len(wrapped)}; "
            f"expected {header_length + _BODY_LENGTH} (truncated or padded)"
        )
    return key_id, header_length


def unwrap_dek(keyring: Keyring, wrapped: BytesLike, registration_id: str) -> bytes:
    """Decrypt a wrapped DEK for ``registration_id``.

    Raises DecryptionError if the blob is malformed, tampered with, or belongs to another
    registration, and KeyUnavailableError (a KeyringError and a DecryptionError) if its KEK is
    unknown or retired.
    """
    blob = as_bytes(wrapped, "wrapped DEK")
    require_text(registration_id, "registration_id")
    key_id, header_length = _parse(blob)
    kek = keyring.kek(key_id)
    if kek.key is None:  # Keyring.kek() only returns keys with material; -O-proof check
        raise KeyUnavailableError(f"key {kek.id} has no material")
    header = blob[:header_length]
    nonce = blob[header_length : header_length + _NONCE_LENGTH]
    sealed = blob[header_length + _NONCE_LENGTH :]
    try:
        return AESGCM(kek.key).decrypt(nonce, sealed, _aad(header, registration_id))
    except InvalidTag:
        raise DecryptionError(
            f"wrapped DEK failed authentication with key {key_id!r}: tampered with, "
            "or wrapped for another registration"
        ) from None


def rewrap_dek(keyring: Keyring, wrapped: BytesLike, registration_id: str) -> bytes:
    """Unwrap with whichever KEK wrapped the DEK and wrap again with the active KEK.

    Always produces a fresh wrapping (new nonce), even if the DEK was already under the active
    key; compare :func:`wrapped_key_id` with ``keyring.active_kek.id`` to skip those rows.
    """
    return wrap_dek(keyring, unwrap_dek(keyring, wrapped, registration_id), registration_id)
