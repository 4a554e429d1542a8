"""The exception hierarchy lets callers catch keyring problems and decryption failures apart."""
from __future__ import annotations

from selfreg.crypto import CryptoError, DecryptionError, KeyringError, KeyUnavailableError


def test_hierarchy() -> None:
    assert issubclass(KeyringError, CryptoError)
    assert issubclass(DecryptionError, CryptoError)
    assert not issubclass(KeyringError, DecryptionError)
    assert not issubclass(DecryptionError, KeyringError)


def test_unavailable_key_is_caught_by_both_families() -> None:
    assert issubclass(KeyUnavailableError, KeyringError)
    assert issubclass(KeyUnavailableError, DecryptionError)
