"""DEK generation, wrapping under the active KEK, binding to the registration, and rotation."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfreg.crypto import (
    DecryptionError,
    Keyring,
    KeyringError,
    KeyUnavailableError,
    new_dek,
    rewrap_dek,
    unwrap_dek,
    wrap_dek,
    wrapped_key_id,
)


def test_new_dek_is_random_32_bytes() -> None:
    deks = {new_dek() for _ in range(50)}
    assert len(deks) == 50
    assert all(len(d) == 32 for d in deks)


def test_wrap_unwrap_round_trip(keyring: Keyring, dek: bytes) -> None:
    wrapped = wrap_dek(keyring, dek, "reg-42")
    assert unwrap_dek(keyring, wrapped, "reg-42") == dek
    assert unwrap_dek(keyring, memoryview(wrapped), "reg-42") == dek
    assert unwrap_dek(keyring, bytearray(wrapped), "reg-42") == dek


def test_wrapped_layout(keyring: Keyring, dek: bytes) -> None:
    wrapped = wrap_dek(keyring, dek, "reg-42")
    key_id = keyring.active_kek.id.encode("ascii")
    assert wrapped[0] == 1
    assert wrapped[1] == len(key_id)
    assert wrapped[2 : 2 + len(key_id)] == key_id
    assert len(wrapped) == 2 + len(key_id) + 12 + 32 + 16
    assert wrapped_key_id(wrapped) == keyring.active_kek.id
    assert dek not in wrapped


def test_wrapping_is_randomised(keyring: Keyring, dek: bytes) -> None:
    assert wrap_dek(keyring, dek, "r") != wrap_dek(keyring, dek, "r")


def test_moved_to_another_registration_fails(keyring: Keyring, dek: bytes) -> None:
    wrapped = wrap_dek(keyring, dek, "reg-1")
    for other in ("reg-2", "reg-10", "reg-", "REG-1", "reg-1 "):
        with pytest.raises(DecryptionError):
            unwrap_dek(keyring, wrapped, other)


def test_every_byte_flip_detected(keyring: Keyring, dek: bytes) -> None:
    wrapped = wrap_dek(keyring, dek, "reg-1")
    for position in range(len(wrapped)):
        for mask in (0x01, 0x80):
            tampered = bytearray(wrapped)
            tampered[position] ^= mask
            with pytest.raises(DecryptionError):
                unwrap_dek(keyring, bytes(tampered), "reg-1")


def test_truncated_or_extended_refused(keyring: Keyring, dek: bytes) -> None:
    wrapped = wrap_dek(keyring, dek, "reg-1")
    for length in range(len(wrapped)):
        with pytest.raises(DecryptionError):
            unwrap_dek(keyring, wrapped[:length], "reg-1")
    with pytest.raises(DecryptionError):
        unwrap_dek(keyring, wrapped + b"\x00", "reg-1")


def test_unknown_version_refused(keyring: Keyring, dek: bytes) -> None:
    wrapped = bytearray(wrap_dek(keyring, dek, "reg-1"))
    wrapped[0] = 2
    with pytest.raises(DecryptionError, match="version"):
        unwrap_dek(keyring, bytes(wrapped), "reg-1")
    with pytest.raises(DecryptionError):
        wrapped_key_id(bytes(wrapped))


def test_other_keyring_cannot_unwrap(keyring: Keyring, dek: bytes) -> None:
    wrapped = wrap_dek(keyring, dek, "reg-1")
    with pytest.raises(KeyUnavailableError):
        unwrap_dek(Keyring.generate(), wrapped, "reg-1")


def test_same_key_id_with_other_material_fails(keyring: Keyring, dek: bytes) -> None:
    """A forged keyring reusing the key id but holding another key must not decrypt."""
    wrapped = wrap_dek(keyring, dek, "reg-1")
    impostor = json.loads(Keyring.generate().to_json())
    impostor["keks"][0]["id"] = keyring.active_kek.id
    with pytest.raises(DecryptionError, match="authentication"):
        unwrap_dek(Keyring.from_json(json.dumps(impostor)), wrapped, "reg-1")


def test_wrap_validates_arguments(keyring: Keyring, dek: bytes) -> None:
    with pytest.raises(ValueError):
        wrap_dek(keyring, dek[:31], "reg-1")
    with pytest.raises(ValueError):
        wrap_dek(keyring, dek + b"\x00", "reg-1")
    with pytest.raises(ValueError):
        wrap_dek(keyring, dek, "")
    with pytest.raises(TypeError):
        wrap_dek(keyring, dek, 7)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        unwrap_dek(keyring, "not bytes", "reg-1")  # type: ignore[arg-type]


def test_wrapped_key_id_of_garbage() -> None:
    for garbage in (b"", b"\x01", b"\x01\x00", b"\x01\x05k-1", b"\x01\x02\xff\xfe" + bytes(60)):
        with pytest.raises(DecryptionError):
            wrapped_key_id(garbage)


def test_rotation(keyring: Keyring) -> None:
    deks = {f"reg-{i}": new_dek() for i in range(5)}
    old_id = keyring.active_kek.id
    wrapped = {reg: wrap_dek(keyring, d, reg) for reg, d in deks.items()}

    new_kek = keyring.add_kek()
    # Old wrappings still unwrap with the decrypt-only key; new ones use the new key.
    for reg, blob in wrapped.items():
        assert wrapped_key_id(blob) == old_id
        assert unwrap_dek(keyring, blob, reg) == deks[reg]
    assert wrapped_key_id(wrap_dek(keyring, new_dek(), "reg-new")) == new_kek.id

    rewrapped = {reg: rewrap_dek(keyring, blob, reg) for reg, blob in wrapped.items()}
    for reg, blob in rewrapped.items():
        assert wrapped_key_id(blob) == new_kek.id
        assert unwrap_dek(keyring, blob, reg) == deks[reg]

    keyring.retire(old_id)
    for reg, blob in wrapped.items():
        with pytest.raises(KeyringError, match="retired"):
            unwrap_dek(keyring, blob, reg)
    for reg, blob in rewrapped.items():
        assert unwrap_dek(keyring, blob, reg) == deks[reg]


def test_rewrap_checks_registration(keyring: Keyring, dek: bytes) -> None:
    wrapped = wrap_dek(keyring, dek, "reg-1")
    keyring.add_kek()
    with pytest.raises(DecryptionError):
        rewrap_dek(keyring, wrapped, "reg-2")


def test_rotation_survives_save_and_load(tmp_path: Path, keyring: Keyring, dek: bytes) -> None:
    wrapped = wrap_dek(keyring, dek, "reg-1")
    keyring.add_kek()
    path = tmp_path / "keyring.json"
    keyring.save(path)
    loaded = Keyring.load(path)
    assert unwrap_dek(loaded, wrapped, "reg-1") == dek
    assert unwrap_dek(loaded, rewrap_dek(loaded, wrapped, "reg-1"), "reg-1") == dek
