"""Encryption at rest for selfreg: bytes, strings and identifiers only (no Flask, no ORM).

Key hierarchy::

    keyring (JSON file with mode 0o600, or env var; never in the database)
      |- KEKs: 32-byte AES-256-GCM keys, id "k-xxxxxxxx", status active / decrypt-only / retired
      |     `- wrap one DEK per registration (dek.py), bound to the registration id
      |           `- DEK: 32-byte AES-256-GCM key encrypting that registration's fields
      |                 (fields.py), each bound to (table, column, row id)
      `- index key: 32 bytes, id "ix-xxxxxxxx"; HKDF per purpose -> HMAC-SHA256 blind
            indexes truncated to 16 bytes (blind_index.py); after a rotation the previous
            index key may be kept for resident-code and link lookups only (index_key.py)

The database holds only wrapped DEKs, field ciphertexts, blind indexes, and the keyring id
(to detect a database/keyring mismatch). Stealing it without the keyring reveals no personal
field; stealing both reveals everything, so they are stored and backed up separately.

Formats (full byte layouts in docs/CRYPTO-FORMATS.md):

* field:       0x01 | n | DEK id | nonce(12) | ciphertext | tag(16);
               AAD = header + lp("selfreg/field") + lp(table) + lp(column) + lp(row_id)
* wrapped DEK: 0x01 | n | KEK id | nonce(12) | encrypted DEK(32) | tag(16);
               AAD = header + lp("selfreg/dek-wrap") + lp(registration_id)
* blind index: HMAC-SHA256(HKDF(index key, info="selfreg blind index " + purpose), value)[:16]
* keyring:     JSON {"format": "selfreg-keyring", "version": 1, ...}, keys in base64

Why the layers: rotating a KEK re-wraps one small key per registration instead of re-encrypting
every field, and destroying one DEK erases one registration, backups included.
"""
from __future__ import annotations

from .blind_index import (
    INDEX_LENGTH,
    PURPOSE_RESIDENT_CODE,
    blind_index,
    blind_index_candidates,
    code_lookup_candidates,
    code_lookup_hash,
    normalise_duf,
    normalise_name_dob,
)
from .dek import DEK_LENGTH, new_dek, rewrap_dek, unwrap_dek, wrap_dek, wrapped_key_id
from .errors import CryptoError, DecryptionError, KeyringError, KeyUnavailableError
from .fields import FieldCipher, field_dek_id
from .index_key import IndexKey
from .kek import ACTIVE, DECRYPT_ONLY, RETIRED, Kek
from .keyring import Keyring, permissions_too_open
from .null_cipher import NullFieldCipher  # INSECURE, benchmarks only

__all__ = [
    "ACTIVE",
    "DECRYPT_ONLY",
    "DEK_LENGTH",
    "INDEX_LENGTH",
    "PURPOSE_RESIDENT_CODE",
    "RETIRED",
    "CryptoError",
    "DecryptionError",
    "FieldCipher",
    "IndexKey",
    "Kek",
    "KeyUnavailableError",
    "Keyring",
    "KeyringError",
    "NullFieldCipher",
    "blind_index",
    "blind_index_candidates",
    "code_lookup_candidates",
    "code_lookup_hash",
    "field_dek_id",
    "new_dek",
    "normalise_duf",
    "normalise_name_dob",
    "permissions_too_open",
    "rewrap_dek",
    "unwrap_dek",
    "wrap_dek",
    "wrapped_key_id",
]
