"""The keyring's JSON form: serialisation and strict, field-by-field validated parsing.

Why strict (unknown fields refused, exact types, key lengths checked): a keyring edited by hand
or truncated by a bad copy should fail loudly at start-up, not later when some registration's
key turns out to be unusable. Error messages name the bad field, never its value, because
values may be key material.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ._encoding import is_valid_id
from .errors import KeyringError
from .index_key import IndexKey
from .kek import KEY_LENGTH, Kek

__all__ = ["KEYRING_FORMAT", "KEYRING_VERSION", "KeyringData", "dump", "parse"]

KEYRING_FORMAT = "selfreg-keyring"
KEYRING_VERSION = 1

_TOP_REQUIRED = {"format", "version", "keyring_id", "created_at", "keks", "index_key"}
# Optional: present only between an index-key rotation and the end of its grace period.
_TOP_FIELDS = _TOP_REQUIRED | {"previous_index_key"}
_KEK_FIELDS = {"id", "status", "created_at", "key", "retired_at"}
_KEK_REQUIRED = {"id", "status", "created_at"}
_INDEX_FIELDS = {"id", "created_at", "key"}


@dataclass(frozen=True)
class KeyringData:
    """Everything a keyring holds, as plain values (the Keyring class validates the whole)."""

    keyring_id: str
    created_at: datetime
    keks: list[Kek]
    index_key_id: str
    index_key: bytes
    index_key_created_at: datetime
    previous_index_key: IndexKey | None = None


def _time(value: datetime) -> str:
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def _b64(key: bytes) -> str:
    return base64.b64encode(key).decode("ascii")


def dump(data: KeyringData) -> str:
    """Serialise to indented JSON, key material included (treat the result as a secret)."""
    keks = []
    for kek in data.keks:
        entry: dict[str, Any] = {
            "id": kek.id,
            "status": kek.status,
            "created_at": _time(kek.created_at),
        }
        if kek.key is not None:
            entry["key"] = _b64(kek.key)
        if kek.retired_at is not None:
            entry["retired_at"] = _time(kek.retired_at)
        keks.append(entry)
    document: dict[str, Any] = {
        "format": KEYRING_FORMAT,
        "version": KEYRING_VERSION,
        "keyring_id": data.keyring_id,
        "created_at": _time(data.created_at),
        "keks": keks,
        "index_key": {
            "id": data.index_key_id,
            "created_at": _time(data.index_key_created_at),
            "key": _b64(data.index_key),
        },
    }
    if data.previous_index_key is not None:
        previous = data.previous_index_key
        document["previous_index_key"] = {
            "id": previous.id,
            "created_at": _time(previous.created_at),
            "key": _b64(previous.key),
        }
    return json.dumps(document, indent=2) + "\n"


def parse(text: str, *, source: str) -> KeyringData:
    """Parse and type-check keyring JSON; ``source`` names it in error messages."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        # msg and lineno describe the position only; the document itself is not echoed.
        raise KeyringError(f"{source} is not valid JSON ({exc.msg} at line {exc.lineno})") from None
    reader = _Reader(source)
    top = reader.record(document, "keyring", _TOP_FIELDS, required=_TOP_REQUIRED)
    if top["format"] != KEYRING_FORMAT:
        raise KeyringError(f"{source} is not a selfreg keyring (format field)")
    version = top["version"]
    if type(version) is not int or version != KEYRING_VERSION:
        raise KeyringError(
            f"{source} has unsupported keyring version {version!r}; expected {KEYRING_VERSION}"
        )
    if not isinstance(top["keks"], list):
        raise reader.fail("keks", "must be a list")
    keks = [reader.kek(raw, f"keks[{n}]") for n, raw in enumerate(top["keks"])]
    index = reader.record(top["index_key"], "index_key", _INDEX_FIELDS, required=_INDEX_FIELDS)
    previous = None
    if "previous_index_key" in top:
        previous = reader.index_key(top["previous_index_key"], "previous_index_key")
    return KeyringData(
        keyring_id=reader.identifier(top["keyring_id"], "keyring_id"),
        created_at=reader.time(top["created_at"], "created_at"),
        keks=keks,
        index_key_id=reader.identifier(index["id"], "index_key.id"),
        index_key=reader.key(index["key"], "index_key.key"),
        index_key_created_at=reader.time(index["created_at"], "index_key.created_at"),
        previous_index_key=previous,
    )


class _Reader:
    """Typed accessors for parsed JSON that raise KeyringError naming the bad field."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, problem: str) -> KeyringError:
        return KeyringError(f"{self.source}: {where} {problem}")

    def record(
        self, value: object, where: str, allowed: set[str], *, required: set[str]
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a JSON object")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(where, f"has unknown field(s) {', '.join(map(repr, unknown))}")
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(where, f"lacks field(s) {', '.join(map(repr, missing))}")
        return value

    def kek(self, value: object, where: str) -> Kek:
        entry = self.record(value, where, _KEK_FIELDS, required=_KEK_REQUIRED)
        return Kek(
            id=self.identifier(entry["id"], f"{where}.id"),
            status=self.string(entry["status"], f"{where}.status"),
            created_at=self.time(entry["created_at"], f"{where}.created_at"),
            key=self.key(entry["key"], f"{where}.key") if "key" in entry else None,
            retired_at=(
                self.time(entry["retired_at"], f"{where}.retired_at")
                if "retired_at" in entry
                else None
            ),
        )

    def index_key(self, value: object, where: str) -> IndexKey:
        entry = self.record(value, where, _INDEX_FIELDS, required=_INDEX_FIELDS)
        return IndexKey(
            id=self.identifier(entry["id"], f"{where}.id"),
            created_at=self.time(entry["created_at"], f"{where}.created_at"),
            key=self.key(entry["key"], f"{where}.key"),
        )

    def string(self, value: object, where: str) -> str:
        if not isinstance(value, str):
            raise self.fail(where, "must be a string")
        return value

    def identifier(self, value: object, where: str) -> str:
        if not isinstance(value, str) or not is_valid_id(value):
            raise self.fail(where, "is not a valid identifier")
        return value

    def time(self, value: object, where: str) -> datetime:
        text = self.string(value, where)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise self.fail(where, "is not an ISO 8601 timestamp") from None
        if parsed.tzinfo is None:
            raise self.fail(where, "must include a time zone (e.g. 'Z')")
        return parsed

    def key(self, value: object, where: str) -> bytes:
        text = self.string(value, where)
        try:
            key = base64.b64decode(text.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            raise self.fail(where, "is not valid base64") from None
        if len(key) != KEY_LENGTH:
            raise self.fail(where, f"must decode to {KEY_LENGTH} bytes, not {len(key)}")
        return key
