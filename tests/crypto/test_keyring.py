"""Keyring generation, storage, validation, rotation and retirement."""
from __future__ import annotations

import base64
import json
import os
import re
import stat
from pathlib import Path
from typing import Any, Callable

import pytest

from selfreg.crypto import (
    ACTIVE,
    DECRYPT_ONLY,
    RETIRED,
    Keyring,
    KeyringError,
    KeyUnavailableError,
    permissions_too_open,
)


def _doc(keyring: Keyring) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(keyring.to_json())
    return doc


def _secrets_of(keyring: Keyring) -> list[str]:
    """Every representation of key material an error message must not contain."""
    keys = [k.key for k in keyring.keks if k.key is not None] + [keyring.index_key]
    out = []
    for key in keys:
        out += [base64.b64encode(key).decode(), key.hex(), repr(key)]
    return out


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# ---------------------------------------------------------------------------- generation


def test_generate_has_one_active_kek_and_index_key(keyring: Keyring) -> None:
    assert len(keyring.keks) == 1
    kek = keyring.active_kek
    assert kek.status == ACTIVE
    assert re.fullmatch(r"k-[0-9a-f]{8}", kek.id)
    assert isinstance(kek.key, bytes) and len(kek.key) == 32
    assert re.fullmatch(r"ix-[0-9a-f]{8}", keyring.index_key_id)
    assert len(keyring.index_key) == 32
    assert keyring.index_key != kek.key
    assert re.fullmatch(r"kr-[0-9a-f]{16}", keyring.keyring_id)
    assert keyring.kek(kek.id) == kek


def test_generated_keyrings_are_independent() -> None:
    a, b = Keyring.generate(), Keyring.generate()
    assert a.keyring_id != b.keyring_id
    assert a.active_kek.key != b.active_kek.key
    assert a.index_key != b.index_key


def test_repr_hides_key_material(keyring: Keyring) -> None:
    keyring.add_kek()
    text = repr(keyring) + repr(keyring.keks) + repr(keyring.active_kek)
    for secret in _secrets_of(keyring):
        assert secret not in text
    assert keyring.keyring_id in repr(keyring)


# ------------------------------------------------------------------------ save and load


def test_save_load_round_trip(tmp_path: Path, keyring: Keyring) -> None:
    keyring.add_kek()
    path = tmp_path / "keyring.json"
    keyring.save(path)
    loaded = Keyring.load(path)
    assert loaded.to_json() == keyring.to_json()
    assert loaded.keyring_id == keyring.keyring_id
    assert loaded.keks == keyring.keks
    assert loaded.index_key == keyring.index_key
    assert loaded.index_key_id == keyring.index_key_id
    assert loaded.active_kek.id == keyring.active_kek.id


def test_from_json_round_trip(keyring: Keyring) -> None:
    again = Keyring.from_json(keyring.to_json())
    assert again.to_json() == keyring.to_json()


def test_json_has_format_version_and_base64_keys(keyring: Keyring) -> None:
    doc = _doc(keyring)
    assert doc["format"] == "selfreg-keyring"
    assert doc["version"] == 1
    assert base64.b64decode(doc["keks"][0]["key"]) == keyring.active_kek.key
    assert base64.b64decode(doc["index_key"]["key"]) == keyring.index_key


def test_saved_file_is_owner_only_even_with_permissive_umask(
    tmp_path: Path, keyring: Keyring
) -> None:
    path = tmp_path / "keyring.json"
    old_umask = os.umask(0)
    try:
        keyring.save(path)
    finally:
        os.umask(old_umask)
    assert _mode(path) == 0o600
    assert not permissions_too_open(path)


def test_save_replaces_existing_file_and_tightens_mode(tmp_path: Path, keyring: Keyring) -> None:
    path = tmp_path / "keyring.json"
    path.write_text("old contents")
    path.chmod(0o644)
    keyring.save(path)
    assert _mode(path) == 0o600
    assert Keyring.load(path).keyring_id == keyring.keyring_id
    assert [p.name for p in tmp_path.iterdir()] == ["keyring.json"]  # no temp file left


def test_failed_save_leaves_old_file_and_no_temp(
    tmp_path: Path, keyring: Keyring, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "keyring.json"
    keyring.save(path)
    before = path.read_bytes()
    keyring.add_kek()

    def broken_replace(src: str, dst: str) -> None:
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(KeyringError):
        keyring.save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["keyring.json"]


def test_save_into_missing_directory_fails(tmp_path: Path, keyring: Keyring) -> None:
    with pytest.raises(KeyringError):
        keyring.save(tmp_path / "nope" / "keyring.json")


def test_permissions_too_open(tmp_path: Path, keyring: Keyring) -> None:
    path = tmp_path / "keyring.json"
    keyring.save(path)
    assert permissions_too_open(path) is False
    for mode in (0o640, 0o604, 0o660, 0o644, 0o601):
        path.chmod(mode)
        assert permissions_too_open(path) is True, oct(mode)
    path.chmod(0o400)
    assert permissions_too_open(path) is False
    # Loading does not refuse an open file; the app decides.
    path.chmod(0o644)
    assert Keyring.load(path).keyring_id == keyring.keyring_id
    with pytest.raises(KeyringError):
        permissions_too_open(tmp_path / "missing.json")


def test_load_missing_file(tmp_path: Path) -> None:
    with pytest.raises(KeyringError, match="not found"):
        Keyring.load(tmp_path / "missing.json")


def test_load_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(KeyringError, match="cannot read"):
        Keyring.load(tmp_path)  # a directory


def test_load_non_utf8_file(tmp_path: Path) -> None:
    path = tmp_path / "keyring.json"
    path.write_bytes(b"\xff\xfe{}")
    with pytest.raises(KeyringError):
        Keyring.load(path)


@pytest.mark.parametrize("text", ["", "not json", "{", "[]", "null", "42", '"keyring"'])
def test_invalid_json_refused(text: str) -> None:
    with pytest.raises(KeyringError):
        Keyring.from_json(text)


def test_from_json_requires_text() -> None:
    with pytest.raises(KeyringError):
        Keyring.from_json(b"{}")  # type: ignore[arg-type]


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(doc: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = doc
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        if value is _DELETE:
            del target[int(last) if last.isdigit() else last]
        else:
            target[int(last) if last.isdigit() else last] = value

    return mutate


_DELETE = object()
_SHORT_KEY = base64.b64encode(b"\x01" * 31).decode()
_LONG_KEY = base64.b64encode(b"\x01" * 33).decode()

INVALID_MUTATIONS: dict[str, Callable[[dict[str, Any]], None]] = {
    "wrong format": _set("format", "something-else"),
    "missing format": _set("format", _DELETE),
    "future version": _set("version", 2),
    "version as string": _set("version", "1"),
    "version as bool": _set("version", True),
    "missing version": _set("version", _DELETE),
    "unknown top field": _set("comment", "hello"),
    "missing keyring id": _set("keyring_id", _DELETE),
    "bad keyring id": _set("keyring_id", "has space"),
    "keks not list": _set("keks", {}),
    "no keks": _set("keks", []),
    "kek not object": _set("keks.0", "k-1"),
    "kek short key": _set("keks.0.key", _SHORT_KEY),
    "kek long key": _set("keks.0.key", _LONG_KEY),
    "kek key not base64": _set("keks.0.key", "!!!not base64!!!"),
    "kek key not string": _set("keks.0.key", 12345),
    "active kek without key": _set("keks.0.key", _DELETE),
    "unknown status": _set("keks.0.status", "previous"),
    "no active kek": _set("keks.0.status", DECRYPT_ONLY),
    "bad kek id": _set("keks.0.id", "k/../../x"),
    "non-ascii kek id": _set("keks.0.id", "k-é"),
    "naive timestamp": _set("keks.0.created_at", "2025-01-01T00:00:00"),
    "not a timestamp": _set("keks.0.created_at", "yesterday"),
    "unknown kek field": _set("keks.0.colour", "blue"),
    "missing index key": _set("index_key", _DELETE),
    "short index key": _set("index_key.key", _SHORT_KEY),
    "missing index key id": _set("index_key.id", _DELETE),
}


@pytest.mark.parametrize("name", sorted(INVALID_MUTATIONS))
def test_invalid_structure_refused(name: str, keyring: Keyring) -> None:
    doc = _doc(keyring)
    INVALID_MUTATIONS[name](doc)
    with pytest.raises(KeyringError) as info:
        Keyring.from_json(json.dumps(doc))
    for secret in _secrets_of(keyring):
        assert secret not in str(info.value)


def test_two_active_keys_refused(keyring: Keyring) -> None:
    keyring.add_kek()
    doc = _doc(keyring)
    for entry in doc["keks"]:
        entry["status"] = ACTIVE
    with pytest.raises(KeyringError, match="exactly one active"):
        Keyring.from_json(json.dumps(doc))


def test_duplicate_key_ids_refused(keyring: Keyring) -> None:
    keyring.add_kek()
    doc = _doc(keyring)
    doc["keks"][1]["id"] = doc["keks"][0]["id"]
    with pytest.raises(KeyringError, match="twice"):
        Keyring.from_json(json.dumps(doc))


def test_retired_key_with_material_refused(keyring: Keyring) -> None:
    keyring.add_kek()
    doc = _doc(keyring)
    doc["keks"][0]["status"] = RETIRED
    with pytest.raises(KeyringError, match="retired"):
        Keyring.from_json(json.dumps(doc))


def test_invalid_file_message_names_path_not_contents(tmp_path: Path, keyring: Keyring) -> None:
    path = tmp_path / "keyring.json"
    doc = _doc(keyring)
    doc["version"] = 99
    path.write_text(json.dumps(doc))
    with pytest.raises(KeyringError) as info:
        Keyring.load(path)
    assert str(path) in str(info.value)
    for secret in _secrets_of(keyring):
        assert secret not in str(info.value)


# ------------------------------------------------------------------ rotation and retiring


def test_add_kek_makes_new_active_and_old_decrypt_only(keyring: Keyring) -> None:
    old = keyring.active_kek
    new = keyring.add_kek()
    assert keyring.active_kek == new
    assert new.id != old.id and new.key != old.key
    assert keyring.kek(old.id).status == DECRYPT_ONLY
    assert keyring.kek(old.id).key == old.key
    assert [k.status for k in keyring.keks] == [DECRYPT_ONLY, ACTIVE]
    third = keyring.add_kek()
    assert [k.status for k in keyring.keks] == [DECRYPT_ONLY, DECRYPT_ONLY, ACTIVE]
    assert len({k.id for k in keyring.keks}) == 3
    assert keyring.active_kek == third


def test_index_key_and_keyring_id_survive_rotation(keyring: Keyring) -> None:
    before = (keyring.keyring_id, keyring.index_key, keyring.index_key_id)
    keyring.add_kek()
    assert (keyring.keyring_id, keyring.index_key, keyring.index_key_id) == before


def test_retire_active_refused(keyring: Keyring) -> None:
    with pytest.raises(KeyringError, match="active"):
        keyring.retire(keyring.active_kek.id)
    assert keyring.active_kek.key is not None


def test_retire_destroys_material_but_keeps_record(tmp_path: Path, keyring: Keyring) -> None:
    old = keyring.active_kek
    keyring.add_kek()
    old_b64 = base64.b64encode(old.key or b"").decode()
    keyring.retire(old.id)
    record = keyring.keks[0]
    assert record.id == old.id and record.status == RETIRED
    assert record.key is None and record.retired_at is not None
    with pytest.raises(KeyUnavailableError, match="retired"):
        keyring.kek(old.id)
    assert old_b64 not in keyring.to_json()
    path = tmp_path / "keyring.json"
    keyring.save(path)
    assert old_b64 not in path.read_text()
    reloaded = Keyring.load(path)
    assert reloaded.keks[0].status == RETIRED and reloaded.keks[0].key is None
    keyring.retire(old.id)  # idempotent


def test_unknown_key_id(keyring: Keyring) -> None:
    with pytest.raises(KeyringError, match="not in keyring"):
        keyring.kek("k-00000000")
    with pytest.raises(KeyringError):
        keyring.retire("k-00000000")


def test_check_keyring_id(keyring: Keyring) -> None:
    keyring.check_keyring_id(keyring.keyring_id)
    with pytest.raises(KeyringError, match="mismatch"):
        keyring.check_keyring_id(Keyring.generate().keyring_id)
