"""The keyring: key-encryption keys (KEKs) and the blind-index key, kept outside the database.

Why a keyring separate from the database: a stolen database dump (or backup) then holds only
wrapped DEKs, AEAD ciphertexts and truncated HMACs, none of which is useful without this file.

KEK statuses are active / decrypt-only / retired (see :mod:`selfreg.crypto.kek`). Rotation is:
:meth:`Keyring.add_kek` (old active becomes decrypt-only), save, re-wrap every DEK with
:func:`selfreg.crypto.dek.rewrap_dek`, then :meth:`Keyring.retire` the old key and save again.

The ``keyring_id`` is random and never changes; the application stores it in the database so it
can refuse to run against a database created with another keyring (:meth:`check_keyring_id`).

Storage is JSON (``_keyring_json``, docs/CRYPTO-FORMATS.md): a file written atomically with
mode 0o600, or the whole JSON text in an environment variable for container secrets.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from . import _keyring_json
from ._encoding import is_valid_id
from ._keyring_json import KEYRING_FORMAT, KEYRING_VERSION, KeyringData
from ._private_file import permissions_too_open, read_text, write_atomically
from .errors import KeyringError, KeyUnavailableError
from .index_key import IndexKey
from .kek import ACTIVE, DECRYPT_ONLY, KEY_LENGTH, RETIRED, STATUSES, Kek, new_id, utc_now

__all__ = [
    "ACTIVE",
    "DECRYPT_ONLY",
    "RETIRED",
    "KEY_LENGTH",
    "KEYRING_FORMAT",
    "KEYRING_VERSION",
    "IndexKey",
    "Kek",
    "Keyring",
    "permissions_too_open",
]


class Keyring:
    """KEKs with their status, the blind-index key, and the keyring's stable id.

    Instances validate themselves on construction and after every change, so a Keyring object
    always has exactly one active KEK and correctly sized key material. Changes are in memory
    only until :meth:`save`.
    """

    def __init__(
        self,
        *,
        keyring_id: str,
        created_at: datetime,
        keks: list[Kek],
        index_key_id: str,
        index_key: bytes,
        index_key_created_at: datetime,
        previous_index_key: IndexKey | None = None,
    ) -> None:
        self._keyring_id = keyring_id
        self._created_at = created_at
        self._keks: dict[str, Kek] = {}
        for kek in keks:
            if kek.id in self._keks:
                raise KeyringError(f"keyring lists key id {kek.id!r} twice")
            self._keks[kek.id] = kek
        self._index_key_id = index_key_id
        self._index_key = bytes(index_key)
        self._index_key_created_at = index_key_created_at
        self._previous_index_key = previous_index_key
        self._validate()

    # ----------------------------------------------------------------- creation and storage

    @classmethod
    def generate(cls) -> Keyring:
        """Create a new keyring with fresh random keys: one active KEK and an index key."""
        now = utc_now()
        key = secrets.token_bytes(KEY_LENGTH)
        kek = Kek(id=new_id("k"), status=ACTIVE, created_at=now, key=key)
        return cls(
            keyring_id=new_id("kr", nbytes=8),
            created_at=now,
            keks=[kek],
            index_key_id=new_id("ix"),
            index_key=secrets.token_bytes(KEY_LENGTH),
            index_key_created_at=now,
        )

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Keyring:
        """Read and validate a keyring file. Raises KeyringError if missing, unreadable, invalid.

        Does not judge file permissions; call :func:`permissions_too_open` and let the
        application decide whether to warn or refuse.
        """
        path = Path(path)
        return cls._from_data(
            _keyring_json.parse(read_text(path), source=f"keyring file {path}"),
            source=f"keyring file {path}",
        )

    @classmethod
    def from_json(cls, text: str) -> Keyring:
        """Parse a keyring from JSON text (e.g. an environment variable holding a secret)."""
        if not isinstance(text, str):
            raise KeyringError("keyring JSON must be text")
        data = _keyring_json.parse(text, source="keyring JSON")
        return cls._from_data(data, source="keyring JSON")

    @classmethod
    def _from_data(cls, data: KeyringData, *, source: str) -> Keyring:
        try:
            return cls(
                keyring_id=data.keyring_id,
                created_at=data.created_at,
                keks=data.keks,
                index_key_id=data.index_key_id,
                index_key=data.index_key,
                index_key_created_at=data.index_key_created_at,
                previous_index_key=data.previous_index_key,
            )
        except KeyringError as exc:
            raise KeyringError(f"{source}: {exc}") from None

    def to_json(self) -> str:
        """Serialise the keyring, key material included. Treat the result as a secret."""
        return _keyring_json.dump(
            KeyringData(
                keyring_id=self._keyring_id,
                created_at=self._created_at,
                keks=list(self._keks.values()),
                index_key_id=self._index_key_id,
                index_key=self._index_key,
                index_key_created_at=self._index_key_created_at,
                previous_index_key=self._previous_index_key,
            )
        )

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the keyring to ``path`` atomically with owner-only permissions (0o600)."""
        write_atomically(Path(path), self.to_json().encode("utf-8"))

    def copy(self) -> Keyring:
        """An independent copy.

        Why: a change (new key, retirement) should be saved before anything relies on it; making
        it on a copy means a failed save leaves the keyring in use untouched.
        """
        return Keyring.from_json(self.to_json())

    # ----------------------------------------------------------------------------- queries

    @property
    def keyring_id(self) -> str:
        """Random id fixed at generation; stored in the database to detect a mismatched pair."""
        return self._keyring_id

    @property
    def created_at(self) -> datetime:
        return self._created_at

    @property
    def keks(self) -> tuple[Kek, ...]:
        """All KEK records in creation order, retired ones included."""
        return tuple(self._keks.values())

    @property
    def active_kek(self) -> Kek:
        """The one KEK used to wrap DEKs."""
        return next(k for k in self._keks.values() if k.status == ACTIVE)

    def kek(self, key_id: str) -> Kek:
        """The usable KEK with ``key_id``; KeyUnavailableError if unknown or retired."""
        kek = self._keks.get(key_id)
        if kek is None:
            raise KeyUnavailableError(f"key id {key_id!r} is not in keyring {self._keyring_id}")
        if kek.key is None:
            raise KeyUnavailableError(
                f"key {key_id!r} was retired and its material destroyed; "
                "data still wrapped by it cannot be decrypted"
            )
        return kek

    @property
    def index_key_id(self) -> str:
        return self._index_key_id

    @property
    def index_key(self) -> bytes:
        """Root key for blind indexes; per-purpose subkeys are derived from it."""
        return self._index_key

    @property
    def previous_index_key(self) -> IndexKey | None:
        """The index key before the last rotation, kept only to find resident codes and links.

        Never used to compute new indexes; see :mod:`selfreg.crypto.index_key` for why.
        """
        return self._previous_index_key

    def check_keyring_id(self, expected: str) -> None:
        """Raise KeyringError unless ``expected`` (e.g. read from the database) is our id."""
        if expected != self._keyring_id:
            raise KeyringError(
                f"keyring mismatch: the database belongs to keyring {expected!r}, "
                f"but the loaded keyring is {self._keyring_id!r}"
            )

    # --------------------------------------------------------------------------- changes

    def add_kek(self) -> Kek:
        """Create a new active KEK; the previous active one becomes decrypt-only.

        Changes only this object: save it before wrapping anything with the new key.
        """
        old = self.active_kek
        new = Kek(
            id=new_id("k", self._keks),
            status=ACTIVE,
            created_at=utc_now(),
            key=secrets.token_bytes(KEY_LENGTH),
        )
        self._keks[old.id] = replace(old, status=DECRYPT_ONLY)
        self._keks[new.id] = new
        self._validate()
        return new

    def retire(self, key_id: str) -> None:
        """Destroy the material of a decrypt-only KEK, keeping its record.

        Refuses the active key. Re-wrap every DEK first: anything still wrapped by the retired
        key becomes undecryptable. Retiring an already retired key does nothing. Copies of the
        key survive in older keyring files and their backups until those are destroyed too.
        """
        kek = self._keks.get(key_id)
        if kek is None:
            raise KeyUnavailableError(f"key id {key_id!r} is not in keyring {self._keyring_id}")
        if kek.status == ACTIVE:
            raise KeyringError(f"cannot retire the active key {key_id!r}; add a new key first")
        if kek.status == RETIRED:
            return
        self._keks[key_id] = replace(kek, status=RETIRED, key=None, retired_at=utc_now())
        self._validate()

    def rotate_index_key(self, *, keep_previous: bool = True) -> str:
        """Make a new index key; returns its id. Changes only this object: save it.

        With ``keep_previous`` the replaced key becomes the previous index key (an older
        previous key is dropped); without it, the replaced key is forgotten at once, which
        invalidates every resident code and one-time link hashed with it. Every blind index
        must be recomputed afterwards (``selfreg.keyops.reindex``).
        """
        old = IndexKey(self._index_key_id, self._index_key_created_at, self._index_key)
        taken = {self._index_key_id}
        if self._previous_index_key is not None:
            taken.add(self._previous_index_key.id)
        self._index_key_id = new_id("ix", taken)
        self._index_key = secrets.token_bytes(KEY_LENGTH)
        self._index_key_created_at = utc_now()
        self._previous_index_key = old if keep_previous else None
        self._validate()
        return self._index_key_id

    def drop_previous_index_key(self) -> None:
        """Forget the previous index key: codes and links still hashed with it stop working."""
        self._previous_index_key = None

    def __repr__(self) -> str:
        ids = ", ".join(f"{k.id}:{k.status}" for k in self._keks.values())
        return (
            f"Keyring(keyring_id={self._keyring_id!r}, keks=[{ids}], "
            f"index_key_id={self._index_key_id!r})"
        )

    def _validate(self) -> None:
        if not is_valid_id(self._keyring_id):
            raise KeyringError("keyring_id is not a valid identifier")
        if not is_valid_id(self._index_key_id):
            raise KeyringError("index key id is not a valid identifier")
        if len(self._index_key) != KEY_LENGTH:
            raise KeyringError(f"index key must be {KEY_LENGTH} bytes, not {len(self._index_key)}")
        if not self._keks:
            raise KeyringError("keyring has no key-encryption keys")
        for kek in self._keks.values():
            if not is_valid_id(kek.id):
                raise KeyringError("a key id is not a valid identifier")
            if kek.status not in STATUSES:
                raise KeyringError(f"key {kek.id!r} has unknown status {kek.status!r}")
            if kek.status == RETIRED and kek.key is not None:
                raise KeyringError(f"retired key {kek.id!r} must not keep key material")
            if kek.status != RETIRED and (kek.key is None or len(kek.key) != KEY_LENGTH):
                raise KeyringError(f"key {kek.id!r} must have {KEY_LENGTH} bytes of key material")
        previous = self._previous_index_key
        if previous is not None:
            if not is_valid_id(previous.id):
                raise KeyringError("previous index key id is not a valid identifier")
            if previous.id == self._index_key_id:
                raise KeyringError("previous index key has the same id as the current one")
            if len(previous.key) != KEY_LENGTH:
                raise KeyringError(f"previous index key must be {KEY_LENGTH} bytes")
        active = sum(k.status == ACTIVE for k in self._keks.values())
        if active != 1:
            raise KeyringError(f"keyring must have exactly one active key, found {active}")
