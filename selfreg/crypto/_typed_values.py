"""Text and JSON helpers layered on any ``encrypt``/``decrypt`` pair.

Why shared: the real cipher and the benchmark's null cipher must serialise values identically,
otherwise a benchmark would measure serialisation differences instead of encryption cost.
JSON is compact UTF-8 (no ASCII escaping, no spaces) so ciphertexts stay small for the
non-Latin scripts most residents write in.
"""
from __future__ import annotations

import json
from typing import Any

from ._header import BytesLike
from .errors import DecryptionError


class TypedValuesMixin:
    """Adds ``encrypt_text``/``decrypt_text`` and ``encrypt_json``/``decrypt_json``."""

    __slots__ = ()

    def encrypt(self, plaintext: BytesLike, *, table: str, column: str, row_id: str) -> bytes:
        raise NotImplementedError

    def decrypt(self, ciphertext: BytesLike, *, table: str, column: str, row_id: str) -> bytes:
        raise NotImplementedError

    def encrypt_text(self, text: str, *, table: str, column: str, row_id: str) -> bytes:
        """Encrypt a str as UTF-8."""
        if not isinstance(text, str):
            raise TypeError(f"text must be str, got {type(text).__name__}")
        return self.encrypt(text.encode("utf-8"), table=table, column=column, row_id=row_id)

    def decrypt_text(self, ciphertext: BytesLike, *, table: str, column: str, row_id: str) -> str:
        """Decrypt a value stored with :meth:`encrypt_text`."""
        data = self.decrypt(ciphertext, table=table, column=column, row_id=row_id)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            raise DecryptionError(
                f"decrypted {table}.{column} is not UTF-8 text"
            ) from None

    def encrypt_json(self, obj: Any, *, table: str, column: str, row_id: str) -> bytes:
        """Encrypt a JSON-serialisable value as compact UTF-8 JSON (NaN/Infinity refused)."""
        text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
        return self.encrypt(text.encode("utf-8"), table=table, column=column, row_id=row_id)

    def decrypt_json(self, ciphertext: BytesLike, *, table: str, column: str, row_id: str) -> Any:
        """Decrypt a value stored with :meth:`encrypt_json`."""
        data = self.decrypt(ciphertext, table=table, column=column, row_id=row_id)
        try:
            return json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise DecryptionError(
                f"decrypted {table}.{column} is not UTF-8 JSON"
            ) from None
