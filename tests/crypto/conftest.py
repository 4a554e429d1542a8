"""Shared fixtures: a fresh keyring, a DEK and a FieldCipher per test."""
from __future__ import annotations

import pytest

from selfreg.crypto import FieldCipher, Keyring, new_dek


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.generate()


@pytest.fixture
def dek() -> bytes:
    return new_dek()


@pytest.fixture
def cipher(dek: bytes) -> FieldCipher:
    return FieldCipher(dek, "reg-1")
