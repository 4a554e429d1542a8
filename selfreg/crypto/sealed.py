"""Sealed export bundles: stream a body to one recipient, encrypted, chunked and signed.

Why this construction (byte layout in docs/EXPORT-FORMAT.md):

* HPKE (RFC 9180, base mode) with X-Wing (ML-KEM-768 + X25519) seals a random content key to
  the recipient, so only the holder of the recipient's private key can open the bundle, now
  and after quantum computers. HPKE's ``info`` binds the key to the header (version, suite,
  recipient, signer, time, metadata), so a header cannot be edited or moved to another body.
* The body is gzip-compressed here (so the format is self-contained) and cut into fixed-size
  AES-256-GCM chunks (the STREAM construction): each chunk's nonce is the base nonce XOR its
  number and its associated data carries the header digest and a final flag, so reordered,
  dropped, altered or cut-off chunks fail; memory stays at about one chunk whatever the size.
* Ed25519 signs the SHA-512 of everything before the signature, hashed while writing. HPKE
  base mode says nothing about who sealed a bundle (anyone may encrypt to a public key); the
  signature says it was this installation.

Why compress inside: the case system then needs this document and nothing of ours to read a
bundle, and gzip before encryption is the only place it helps (ciphertext does not compress).
Level 1: on case-file-like JSON (bench/sealed_bench.py) it shrinks the body about 5x against
8x for the default level 6, but runs four to five times as fast, so sealing costs little more
than writing the plain body (the issue's target is sealed / plain <= 1.3).

Opening (verify the signature first, then decrypt) is in ``sealed_open`` and re-exported here,
so callers import everything from this module.
"""
from __future__ import annotations

import hashlib
import os
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import _bundle_format as fmt
from .sealed_keys import RecipientPublicKey, fingerprint
from .sealed_open import OpenedBundle, open_sealed, open_sealed_integrity_only  # re-exported

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "OpenedBundle",
    "SealSummary",
    "SealingStream",
    "open_sealed",
    "open_sealed_integrity_only",
    "seal",
]

DEFAULT_CHUNK_SIZE = fmt.DEFAULT_CHUNK_SIZE
_GZIP_WBITS = 16 + zlib.MAX_WBITS
_COMPRESS_LEVEL = 1
Chunk = bytes | bytearray | memoryview


@dataclass(frozen=True)
class SealSummary:
    chunks: int
    body_bytes: int  # plaintext given, before compression
    stored_bytes: int  # bytes that were encrypted (after compression)
    bundle_bytes: int  # bytes written
    recipient_fingerprint: str
    signer_fingerprint: str
    digest: str  # hex SHA-512 of all signed bytes: identifies this bundle (audit, receipts)
    closing_metadata: dict[str, Any]


class SealingStream:
    """A bundle as an iterator of bytes (e.g. an HTTP response); ``summary`` is set at the end.

    Arguments are checked when it is made, so nothing is sent for a call that cannot work.
    """

    def __init__(self, chunks: Iterable[Chunk], recipient: RecipientPublicKey,
                 signing_key: Ed25519PrivateKey, *, metadata: Mapping[str, Any],
                 closing_metadata: Callable[[], Mapping[str, Any]] | None = None,
                 compress: bool = True, chunk_size: int = DEFAULT_CHUNK_SIZE,
                 created: datetime | None = None) -> None:
        if not isinstance(recipient, RecipientPublicKey):
            raise TypeError("recipient must be a RecipientPublicKey")
        if not isinstance(signing_key, Ed25519PrivateKey):
            raise TypeError("signing_key must be an Ed25519PrivateKey")
        if not fmt.MIN_CHUNK_SIZE <= chunk_size <= fmt.MAX_CHUNK_SIZE:
            raise ValueError(f"chunk_size must be {fmt.MIN_CHUNK_SIZE}..{fmt.MAX_CHUNK_SIZE}")
        when = created or datetime.now(timezone.utc)
        if when.tzinfo is None:
            raise ValueError("created must be a timezone-aware datetime")
        self._prefix = fmt.header_prefix(
            compression=fmt.COMPRESSION_GZIP if compress else fmt.COMPRESSION_NONE,
            chunk_size=chunk_size, created=int(when.timestamp()), recipient_id=recipient.key_id,
            signer_key=signing_key.public_key().public_bytes_raw(),
            metadata=fmt.encode_metadata(dict(metadata), "metadata"),
        )
        self._chunks, self._recipient, self._signing_key = chunks, recipient, signing_key
        self._closing, self._compress, self._chunk_size = closing_metadata, compress, chunk_size
        self._started = False
        self.summary: SealSummary | None = None

    def __iter__(self) -> Iterator[bytes]:
        if self._started:
            raise RuntimeError("a SealingStream can be iterated once")
        self._started = True
        return self._generate()

    def _generate(self) -> Iterator[bytes]:
        secret = os.urandom(fmt.CONTENT_KEY_LENGTH + fmt.BASE_NONCE_LENGTH)
        content_key, base_nonce = secret[: fmt.CONTENT_KEY_LENGTH], secret[fmt.CONTENT_KEY_LENGTH:]
        sealed = fmt.SUITE.encrypt(secret, self._recipient.hpke_key,
                                info=fmt.info_for_prefix(self._prefix))
        header = self._prefix + fmt.header_suffix(sealed[: fmt.ENC_LENGTH], sealed[fmt.ENC_LENGTH:])
        hasher, written = hashlib.sha512(header), len(header)
        yield header
        aead, header_digest = AESGCM(content_key), hashlib.sha256(header).digest()
        tally = _Tally()
        for counter, (segment, final) in enumerate(self._segments(tally)):
            ciphertext = aead.encrypt(fmt.chunk_nonce(base_nonce, counter), segment,
                                      fmt.chunk_aad(header_digest, final))
            record = fmt.record_prefix(final, len(ciphertext))
            hasher.update(record)
            hasher.update(ciphertext)
            written += len(record) + len(ciphertext)
            yield record
            yield ciphertext
            tally.chunks = counter + 1
        closing = dict(self._closing()) if self._closing else {}
        trailer = fmt.trailer_counts(tally.chunks, tally.body,
                                     fmt.encode_metadata(closing, "closing metadata"))
        hasher.update(trailer)
        digest = hasher.digest()
        signature = self._signing_key.sign(fmt.signed_message(digest))
        yield trailer + signature
        self.summary = SealSummary(
            chunks=tally.chunks, body_bytes=tally.body, stored_bytes=tally.stored,
            bundle_bytes=written + len(trailer) + len(signature),
            recipient_fingerprint=self._recipient.fingerprint,
            signer_fingerprint=fingerprint(self._signing_key.public_key().public_bytes_raw()),
            digest=digest.hex(), closing_metadata=closing,
        )

    def _segments(self, tally: _Tally) -> Iterator[tuple[bytes, bool]]:
        """The (compressed) body cut into chunk_size pieces; the last one, maybe empty, is final."""
        size = self._chunk_size
        compressor = (zlib.compressobj(_COMPRESS_LEVEL, zlib.DEFLATED, _GZIP_WBITS)
                      if self._compress else None)
        buffer = bytearray()
        for chunk in self._chunks:
            if not isinstance(chunk, (bytes, bytearray, memoryview)):
                raise TypeError(f"body chunks must be bytes, got {type(chunk).__name__}")
            tally.body += memoryview(chunk).nbytes
            buffer += compressor.compress(chunk) if compressor else chunk
            yield from _full_chunks(buffer, size, tally)
        if compressor:
            buffer += compressor.flush()
            yield from _full_chunks(buffer, size, tally)
        tally.stored += len(buffer)
        yield bytes(buffer), True


def _full_chunks(buffer: bytearray, size: int, tally: _Tally) -> Iterator[tuple[bytes, bool]]:
    """Take non-final chunks off the front while MORE than one chunk is buffered.

    Strictly more: what remains at the end, up to a full chunk, must stay for the final one.
    """
    while len(buffer) > size:
        tally.stored += size
        yield bytes(buffer[:size]), False
        del buffer[:size]


@dataclass
class _Tally:
    body: int = 0
    stored: int = 0
    chunks: int = 0


def seal(chunks: Iterable[Chunk], out: BinaryIO, recipient: RecipientPublicKey,
         signing_key: Ed25519PrivateKey, *, metadata: Mapping[str, Any],
         closing_metadata: Callable[[], Mapping[str, Any]] | None = None,
         compress: bool = True, chunk_size: int = DEFAULT_CHUNK_SIZE,
         created: datetime | None = None) -> SealSummary:
    """Write a bundle of the plaintext ``chunks`` (raw JSON Lines bytes) to ``out``.

    ``metadata`` goes into the header in clear (signed, not encrypted): routing facts only,
    never personal data. ``closing_metadata`` is called after the last chunk, for what is known
    only then (record counts), and goes into the signed trailer, also in clear. The body is
    gzipped inside; ``compress=False`` stores it as given (already compressed elsewhere).
    ``out`` needs only ``write``: nothing is read back, so a pipe or socket will do.
    """
    stream = SealingStream(chunks, recipient, signing_key, metadata=metadata,
                           closing_metadata=closing_metadata, compress=compress,
                           chunk_size=chunk_size, created=created)
    for piece in stream:
        out.write(piece)
    if stream.summary is None:  # the stream sets it when it ends; checked so -O cannot drop it
        raise RuntimeError("the bundle stream ended without a summary")
    return stream.summary
