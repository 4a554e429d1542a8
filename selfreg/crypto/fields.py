"""Field-level AEAD: every personal value is AES-256-GCM ciphertext bound to where it is stored.

Why bind to (table, column, row id): AES-GCM alone would happily decrypt a ciphertext that an
attacker with database write access copied from one row or column into another (e.g. swapping
two residents' names, or moving a DUF number into a free-text field). With those coordinates in
the associated data such a swap fails authentication and raises DecryptionError.

Format (version 1), see docs/CRYPTO-FORMATS.md::

    0x01 | n (1 byte) | DEK id (n ASCII bytes) | nonce (12) | ciphertext (len(plaintext)) | tag (16)

Associated data = header || lp("selfreg/field") || lp(table) || lp(column) || lp(row_id), where
lp(x) is a 4-byte big-endian length followed by UTF-8 bytes; the length prefix keeps
("ab", "c") and ("a", "bc") apart.

The DEK id in the header (e.g. the registration id or a DEK version) makes a "wrong key" error
explicit and leaves room for DEK rotation. Nonces are 96 random bits; one DEK encrypts one
registration's fields, many orders of magnitude below the 2**32 random-nonce limit.
"""
from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ._encoding import length_prefixed, require_id, require_text
from ._header import BytesLike, as_bytes, build_header, parse_header
from ._typed_values import TypedValuesMixin
from .dek import DEK_LENGTH
from .errors import DecryptionError

__all__ = ["FIELD_VERSION", "FieldCipher", "field_dek_id", "check_context"]

FIELD_VERSION = 1
_NONCE_LENGTH = 12
_TAG_LENGTH = 16
_AAD_LABEL = "selfreg/field"


def check_context(table: str, column: str, row_id: str) -> None:
    """Reject missing or non-str coordinates, so "5" vs 5 can never silently differ."""
    require_text(table, "table")
    require_text(column, "column")
    require_text(row_id, "row_id")


def field_dek_id(ciphertext: BytesLike) -> str:
    """The DEK id recorded in a field ciphertext's header (not authenticated until decryption)."""
    key_id, _ = parse_header(
        as_bytes(ciphertext, "ciphertext"), what="field ciphertext", supported_version=FIELD_VERSION
    )
    return key_id


class FieldCipher(TypedValuesMixin):
    """Encrypts and decrypts the personal fields of one registration with its DEK.

    Create one per DEK and reuse it: the AESGCM object and the header are built once.
    """

    __slots__ = ("_aead", "_dek_id", "_header", "_min_length")

    def __init__(self, dek: BytesLike, dek_id: str) -> None:
        key = as_bytes(dek, "dek")
        if len(key) != DEK_LENGTH:
            raise ValueError(f"a DEK must be {DEK_LENGTH} bytes, not {len(key)}")
        self._dek_id = require_id(dek_id, "dek_id")
        self._aead = AESGCM(key)
        self._header = build_header(FIELD_VERSION, dek_id)
        self._min_length = len(self._header) + _NONCE_LENGTH + _TAG_LENGTH

    @property
    def dek_id(self) -> str:
        return self._dek_id

    def _aad(self, header: bytes, table: str, column: str, row_id: str) -> bytes:
        return header + length_prefixed(_AAD_LABEL, table, column, row_id)

    def encrypt(self, plaintext: BytesLike, *, table: str, column: str, row_id: str) -> bytes:
        """Encrypt ``plaintext`` for the cell (table, column, row_id)."""
        data = as_bytes(plaintext, "plaintext")
        check_context(table, column, row_id)
        nonce = os.urandom(_NONCE_LENGTH)
        aad = self._aad(self._header, table, column, row_id)
        return self._header + nonce + self._aead.encrypt(nonce, data, aad)

    def decrypt(self, ciphertext: BytesLike, *, table: str, column: str, row_id: str) -> bytes:
        """Decrypt a value stored in (table, column, row_id); DecryptionError on any mismatch."""
        blob = as_bytes(ciphertext, "ciphertext")
        check_context(table, column, row_id)
        key_id, header_length = parse_header(
            blob, what="field ciphertext", supported_version=FIELD_VERSION
        )
        if key_id != self._dek_id:
            raise DecryptionError(
                f"field ciphertext was encrypted with DEK {key_id!r}, not {self._dek_id!r}"
            )
        if len(blob) < self._min_length:
            raise DecryptionError(f"field ciphertext is truncated ({len(blob)} bytes)")
        nonce_end = header_length + _NONCE_LENGTH
        aad = self._aad(blob[:header_length], table, column, row_id)
        try:
            nonce = blob[header_length:nonce_end]
            return self._aead.decrypt(nonce, blob[nonce_end:], aad)
        except InvalidTag:
            raise DecryptionError(
                f"field ciphertext for {table}.{column} failed authentication: tampered with, "
                "moved from another row/column/table, or encrypted with another DEK"
            ) from None

    def __repr__(self) -> str:
        return f"FieldCipher(dek_id={self._dek_id!r})"
