"""Index-key rotation in the keyring: a new key, the previous one kept for code lookups only."""
from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from selfreg.crypto import (
    Keyring,
    KeyringError,
    blind_index,
    blind_index_candidates,
    code_lookup_candidates,
    code_lookup_hash,
)


def test_rotation_makes_new_key_and_keeps_previous(keyring: Keyring) -> None:
    old_id, old_key = keyring.index_key_id, keyring.index_key
    kek_ids = [k.id for k in keyring.keks]
    new_id = keyring.rotate_index_key()
    assert new_id == keyring.index_key_id != old_id
    assert keyring.index_key != old_key and len(keyring.index_key) == 32
    previous = keyring.previous_index_key
    assert previous is not None and previous.id == old_id and previous.key == old_key
    assert [k.id for k in keyring.keks] == kek_ids  # KEKs untouched


def test_second_rotation_drops_the_older_previous_key(keyring: Keyring) -> None:
    first = keyring.index_key_id
    keyring.rotate_index_key()
    second = keyring.index_key_id
    keyring.rotate_index_key()
    previous = keyring.previous_index_key
    assert previous is not None and previous.id == second
    assert first not in keyring.to_json()


def test_rotation_without_keeping_previous(keyring: Keyring) -> None:
    old_b64 = base64.b64encode(keyring.index_key).decode()
    keyring.rotate_index_key(keep_previous=False)
    assert keyring.previous_index_key is None
    assert old_b64 not in keyring.to_json()


def test_drop_previous_index_key(keyring: Keyring) -> None:
    keyring.rotate_index_key()
    keyring.drop_previous_index_key()
    assert keyring.previous_index_key is None
    assert "previous_index_key" not in json.loads(keyring.to_json())


def test_previous_key_survives_save_and_load(tmp_path: Path, keyring: Keyring) -> None:
    keyring.rotate_index_key()
    path = tmp_path / "keyring.json"
    keyring.save(path)
    loaded = Keyring.load(path)
    assert loaded.to_json() == keyring.to_json()
    assert loaded.previous_index_key == keyring.previous_index_key


def test_keyring_without_previous_key_still_loads(keyring: Keyring) -> None:
    assert "previous_index_key" not in json.loads(keyring.to_json())
    assert Keyring.from_json(keyring.to_json()).previous_index_key is None


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["previous_index_key"].pop("key"), "lacks"),
        (lambda d: d["previous_index_key"].update(key="AAAA"), "32 bytes"),
        (lambda d: d["previous_index_key"].update(extra=1), "unknown"),
        (lambda d: d["previous_index_key"].update(id=d["index_key"]["id"]), "same id"),
    ],
)
def test_invalid_previous_key_refused(keyring: Keyring, change, message: str) -> None:
    keyring.rotate_index_key()
    document = json.loads(keyring.to_json())
    change(document)
    with pytest.raises(KeyringError, match=message):
        Keyring.from_json(json.dumps(document))


def test_candidates_try_current_then_previous(keyring: Keyring) -> None:
    before = blind_index(keyring, "one-time-link", "token")
    before_code = code_lookup_hash(keyring, "ABCDEFGHJKMN")
    assert blind_index_candidates(keyring, "one-time-link", "token") == (before,)
    keyring.rotate_index_key()
    after = blind_index(keyring, "one-time-link", "token")
    assert after != before
    assert blind_index_candidates(keyring, "one-time-link", "token") == (after, before)
    assert code_lookup_candidates(keyring, "ABCDEFGHJKMN")[1] == before_code
    keyring.drop_previous_index_key()
    assert code_lookup_candidates(keyring, "ABCDEFGHJKMN") == (
        code_lookup_hash(keyring, "ABCDEFGHJKMN"),
    )


def test_copy_is_independent(keyring: Keyring) -> None:
    copy = keyring.copy()
    assert copy.to_json() == keyring.to_json()
    copy.add_kek()
    copy.rotate_index_key()
    assert keyring.active_kek.id != copy.active_kek.id
    assert keyring.previous_index_key is None


def test_repr_hides_previous_key(keyring: Keyring) -> None:
    keyring.rotate_index_key()
    previous = keyring.previous_index_key
    assert previous is not None
    assert base64.b64encode(previous.key).decode() not in repr(previous) + repr(keyring)
    assert previous.key.hex() not in repr(previous)
