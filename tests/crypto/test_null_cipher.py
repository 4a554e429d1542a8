"""The benchmark-only null cipher: same interface, and it can never be mixed with real data."""
from __future__ import annotations

import pytest

from selfreg.crypto import DecryptionError, FieldCipher, NullFieldCipher

CELL = {"table": "registration", "column": "full_name", "row_id": "17"}


def test_same_interface_round_trip(dek: bytes) -> None:
    null = NullFieldCipher(dek, "reg-1")
    assert null.decrypt(null.encrypt(b"abc", **CELL), **CELL) == b"abc"
    assert null.decrypt_text(null.encrypt_text("Åse", **CELL), **CELL) == "Åse"
    assert null.decrypt_json(null.encrypt_json({"a": [1]}, **CELL), **CELL) == {"a": [1]}
    assert "INSECURE" in repr(null)


def test_it_really_does_not_encrypt() -> None:
    assert b"plain" in NullFieldCipher().encrypt(b"plain", **CELL)


def test_cannot_be_confused_with_real_ciphertext(cipher: FieldCipher) -> None:
    null = NullFieldCipher()
    with pytest.raises(DecryptionError):
        cipher.decrypt(null.encrypt(b"abc", **CELL), **CELL)
    with pytest.raises(DecryptionError):
        null.decrypt(cipher.encrypt(b"abc", **CELL), **CELL)


def test_validates_coordinates_like_the_real_cipher() -> None:
    with pytest.raises(TypeError):
        NullFieldCipher().encrypt(b"x", table="t", column="c", row_id=1)  # type: ignore[arg-type]
