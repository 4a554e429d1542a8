"""Byte layout of a sealed export bundle (version 1): header, chunk records, trailer.

Why a module of its own: the layout is a contract with another organisation's code
(docs/EXPORT-FORMAT.md), so every constant and every field order lives in one place, apart from
the streaming logic in ``sealed.py``. All integers are unsigned big-endian.

    header  magic(8) version(1) kem(2) kdf(2) aead(2) compression(1) chunk_size(4) created(8)
            recipient_id(32) signer_key(32) m(4) metadata(m) e(2) enc(e) s(2) sealed_key(s)
    chunk   final(1) length(4) ciphertext(length)        ... repeated, the last has final = 1
    trailer chunk_count(8) body_length(8) n(4) closing_metadata(n) signature(64)
"""
from __future__ import annotations

import hashlib
import json
import struct
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

from .sealed_errors import BundleFormatError, BundleTruncatedError

MAGIC = b"\x89SRB\r\n\x1a\n"
VERSION = 1
KEM_ID = 0x647A  # MLKEM768-X25519 (X-Wing)
KDF_ID = 0x0001  # HKDF-SHA256
AEAD_ID = 0x0002  # AES-256-GCM, for the HPKE-sealed content key and for the chunks
COMPRESSION_NONE = 0
COMPRESSION_GZIP = 1
DEFAULT_CHUNK_SIZE = 64 * 1024
MIN_CHUNK_SIZE = 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024
MAX_METADATA = 64 * 1024
ENC_LENGTH = 1120
CONTENT_KEY_LENGTH = 32
BASE_NONCE_LENGTH = 12
TAG_LENGTH = 16
SEALED_KEY_LENGTH = CONTENT_KEY_LENGTH + BASE_NONCE_LENGTH + TAG_LENGTH
SIGNATURE_LENGTH = 64
MAX_CHUNKS = 2**32
SUITE = Suite(KEM.MLKEM768_X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
HPKE_INFO_LABEL = b"selfreg-bundle-v1"
SIGNATURE_LABEL = b"selfreg-bundle-v1-signature"

_FIXED = struct.Struct(">8sBHHHBIQ32s32sI")  # magic .. metadata length: 96 bytes
_RECORD = struct.Struct(">BI")
_COUNTS = struct.Struct(">QQI")


@dataclass(frozen=True)
class Header:
    raw: bytes  # every header byte, as read or written
    prefix_length: int  # bytes before the enc length field: what the HPKE info covers
    compression: int
    chunk_size: int
    created: int
    recipient_id: bytes
    signer_key: bytes
    metadata: bytes
    enc: bytes
    sealed_key: bytes

    @property
    def hpke_info(self) -> bytes:
        return HPKE_INFO_LABEL + hashlib.sha256(self.raw[: self.prefix_length]).digest()

    @property
    def digest(self) -> bytes:
        """SHA-256 of the whole header: every chunk's associated data starts with it."""
        return hashlib.sha256(self.raw).digest()


def header_prefix(*, compression: int, chunk_size: int, created: int, recipient_id: bytes,
                  signer_key: bytes, metadata: bytes) -> bytes:
    """The header up to and including the metadata (known before the key is sealed)."""
    return _FIXED.pack(MAGIC, VERSION, KEM_ID, KDF_ID, AEAD_ID, compression, chunk_size,
                       created, recipient_id, signer_key, len(metadata)) + metadata


def info_for_prefix(prefix: bytes) -> bytes:
    return HPKE_INFO_LABEL + hashlib.sha256(prefix).digest()


def header_suffix(enc: bytes, sealed_key: bytes) -> bytes:
    return struct.pack(">H", len(enc)) + enc + struct.pack(">H", len(sealed_key)) + sealed_key


def chunk_nonce(base_nonce: bytes, counter: int) -> bytes:
    """RFC 9180's nonce rule: the base nonce XOR the 96-bit big-endian chunk counter."""
    return (int.from_bytes(base_nonce, "big") ^ counter).to_bytes(BASE_NONCE_LENGTH, "big")


def chunk_aad(header_digest: bytes, final: bool) -> bytes:
    return header_digest + (b"\x01" if final else b"\x00")


def record_prefix(final: bool, length: int) -> bytes:
    return _RECORD.pack(1 if final else 0, length)


def trailer_counts(chunk_count: int, body_length: int, closing: bytes) -> bytes:
    return _COUNTS.pack(chunk_count, body_length, len(closing)) + closing


def signed_message(digest: bytes) -> bytes:
    """What Ed25519 signs: a label (so the key's signatures mean nothing elsewhere) + SHA-512."""
    return SIGNATURE_LABEL + digest


def encode_metadata(metadata: object, what: str) -> bytes:
    """Canonical JSON (sorted keys, compact, UTF-8) of a dict with str keys."""
    if not isinstance(metadata, dict) or not all(isinstance(k, str) for k in metadata):
        raise TypeError(f"{what} must be a dict with str keys")
    data = json.dumps(metadata, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False).encode("utf-8")
    if len(data) > MAX_METADATA:
        raise ValueError(f"{what} is {len(data)} bytes as JSON; at most {MAX_METADATA}")
    return data


def decode_metadata(data: bytes, what: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise BundleFormatError(f"the {what} is not valid UTF-8 JSON") from None
    if not isinstance(value, dict):
        raise BundleFormatError(f"the {what} is not a JSON object")
    return value


class Reader:
    """Reads exact lengths from a bundle, counting the offset and optionally hashing."""

    def __init__(self, infile: BinaryIO, hasher: Any = None) -> None:
        self.infile = infile
        self.hasher = hasher
        self.offset = 0

    def read(self, length: int, what: str, *, hashed: bool = True) -> bytes:
        data = self.infile.read(length)
        if len(data) != length:
            raise BundleTruncatedError(
                f"the file ends inside the {what} (offset {self.offset + len(data)})"
            )
        if hashed and self.hasher is not None:
            self.hasher.update(data)
        self.offset += length
        return data

    def record(self, chunk_size: int, counter: int) -> tuple[bool, int]:
        """Read one chunk record prefix; check the flag and the length it announces."""
        flag, length = _RECORD.unpack(self.read(_RECORD.size, f"prefix of chunk {counter}"))
        if flag not in (0, 1):
            raise BundleFormatError(f"chunk {counter} has an invalid final flag {flag}")
        final = flag == 1
        full = chunk_size + TAG_LENGTH
        if length > full or length < TAG_LENGTH or (not final and length != full):
            raise BundleFormatError(f"chunk {counter} has an invalid length {length}")
        if counter >= MAX_CHUNKS:
            raise BundleFormatError("the bundle has too many chunks")
        return final, length

    def counts(self) -> tuple[int, int, bytes]:
        """Read the trailer up to the signature: chunk count, body length, closing metadata."""
        chunk_count, body_length, n = _COUNTS.unpack(self.read(_COUNTS.size, "trailer"))
        if n > MAX_METADATA:
            raise BundleFormatError(f"the closing metadata length {n} is over {MAX_METADATA}")
        return chunk_count, body_length, self.read(n, "closing metadata")


def read_header(reader: Reader) -> Header:
    """Parse and check the header; BundleFormatError/BundleTruncatedError when it is wrong."""
    magic = reader.read(len(MAGIC), "magic number")
    if magic != MAGIC:
        raise BundleFormatError("not a selfreg export bundle (wrong magic number)")
    rest = reader.read(_FIXED.size - len(MAGIC), "header")
    raw = magic + rest
    (_, version, kem, kdf, aead, compression, chunk_size, created, recipient_id, signer_key,
     m) = _FIXED.unpack(raw)
    if version != VERSION:
        raise BundleFormatError(f"unsupported bundle version {version} (this reader knows 1)")
    if (kem, kdf, aead) != (KEM_ID, KDF_ID, AEAD_ID):
        raise BundleFormatError(
            f"unsupported HPKE suite kem=0x{kem:04x} kdf=0x{kdf:04x} aead=0x{aead:04x}"
        )
    if compression not in (COMPRESSION_NONE, COMPRESSION_GZIP):
        raise BundleFormatError(f"unsupported compression {compression}")
    if not MIN_CHUNK_SIZE <= chunk_size <= MAX_CHUNK_SIZE:
        raise BundleFormatError(f"chunk size {chunk_size} is out of range")
    if m > MAX_METADATA:
        raise BundleFormatError(f"metadata length {m} is over {MAX_METADATA}")
    metadata = reader.read(m, "header metadata")
    enc_field = reader.read(2, "header")
    enc = reader.read(_expect(enc_field, ENC_LENGTH, "encapsulated key"), "encapsulated key")
    key_field = reader.read(2, "header")
    sealed_key = reader.read(_expect(key_field, SEALED_KEY_LENGTH, "sealed key"), "sealed key")
    return Header(
        raw=raw + metadata + enc_field + enc + key_field + sealed_key,
        prefix_length=_FIXED.size + m, compression=compression, chunk_size=chunk_size,
        created=created, recipient_id=recipient_id, signer_key=signer_key, metadata=metadata,
        enc=enc, sealed_key=sealed_key,
    )


def _expect(field: bytes, length: int, what: str) -> int:
    found = int.from_bytes(field, "big")
    if found != length:
        raise BundleFormatError(f"the {what} is {found} bytes, expected {length}")
    return length
