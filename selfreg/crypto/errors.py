"""Exceptions of the crypto layer.

Why a small hierarchy: callers need to tell "the keyring is broken or does not fit this database"
(an operator must act; the app should refuse to start) apart from "this one stored value cannot be
decrypted" (tampering, a value copied to another row, a truncated blob; one record is affected).

Messages name files, key ids, formats and lengths, never plaintext or key material, so they can be
logged and shown to operators safely.
"""
from __future__ import annotations

__all__ = ["CryptoError", "KeyringError", "DecryptionError", "KeyUnavailableError"]


class CryptoError(Exception):
    """Base class of every error raised by :mod:`selfreg.crypto`."""


class KeyringError(CryptoError):
    """The keyring is missing, unreadable, invalid, or does not match what the caller expects."""


class DecryptionError(CryptoError):
    """A stored value failed authentication or parsing, so no plaintext is returned.

    Raised for tampered or truncated data, a value moved to another table/column/row or
    registration, an unknown format version, or a key that cannot decrypt it.
    """


class KeyUnavailableError(KeyringError, DecryptionError):
    """A key id is unknown to this keyring, or its material was destroyed when it was retired.

    It is both a :class:`KeyringError` (the keyring lacks a key) and a :class:`DecryptionError`
    (the value that named the key cannot be decrypted), so either ``except`` clause catches it.
    """
