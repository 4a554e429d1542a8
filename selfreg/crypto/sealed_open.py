"""Opening a sealed export bundle: verify the signature first, then decrypt chunk by chunk.

Why two passes: a signature over a stream can only be checked at its end, and no plaintext
should leave before the sender is known. The first pass parses the framing and hashes the
file (constant memory); only if the signature verifies is the content key opened. The second
pass (iterating the returned :class:`OpenedBundle`) re-reads the header, refuses it unless it
is byte for byte the verified one, and decrypts; the chunks' AEAD binds them to that header's
content key, so a file replaced between the passes still fails.

``open_sealed`` takes the installation's public signing key and proves origin.
``open_sealed_integrity_only`` checks the signature against the key embedded in the header:
that proves only that the file is intact as its signer wrote it, NOT who the signer is, since
anyone can seal to a public key and sign with a key of their own.
"""
from __future__ import annotations

import hashlib
import zlib
from collections.abc import Iterator
from datetime import datetime, timezone
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import _bundle_format as fmt
from .sealed_errors import (
    BundleFormatError,
    BundleSignatureError,
    BundleTamperedError,
    WrongRecipientError,
)
from .sealed_keys import RecipientPrivateKey, fingerprint

__all__ = ["OpenedBundle", "open_sealed", "open_sealed_integrity_only"]

_PIECE = 256 * 1024  # the largest piece of plaintext handed out at once


def open_sealed(infile: BinaryIO, recipient_key: RecipientPrivateKey,
                trusted_signer: Ed25519PublicKey) -> OpenedBundle:
    """Verify that ``trusted_signer`` signed the bundle and open it for ``recipient_key``.

    ``infile`` must be seekable, positioned at the bundle's first byte. Raises a
    :class:`~selfreg.crypto.sealed_errors.SealedBundleError` before returning if anything is
    wrong; iterating the result yields the plaintext body.
    """
    if not isinstance(trusted_signer, Ed25519PublicKey):
        raise TypeError("trusted_signer must be an Ed25519PublicKey "
                        "(use open_sealed_integrity_only to do without one)")
    return _open(infile, recipient_key, trusted_signer)


def open_sealed_integrity_only(infile: BinaryIO,
                               recipient_key: RecipientPrivateKey) -> OpenedBundle:
    """Open a bundle checking its signature against the signer key in its own header.

    This proves integrity, not origin: compare ``signer_fingerprint`` with the installation's
    fingerprint obtained some trusted way before relying on the content.
    """
    return _open(infile, recipient_key, None)


class OpenedBundle:
    """A verified bundle: facts from its header and trailer, and its body when iterated.

    Iterating yields the plaintext body in pieces of at most 256 KiB and may be done once. An
    error during iteration (:class:`BundleTamperedError`) means the file changed after it was
    verified or its signer wrote a broken bundle; discard whatever was yielded.
    """

    def __init__(self, infile: BinaryIO, start: int, header: fmt.Header, secret: bytes,
                 trailer_offset: int, chunk_count: int, body_length: int, digest: bytes,
                 closing_metadata: dict[str, Any], origin_verified: bool) -> None:
        self._infile, self._start, self._header = infile, start, header
        self._secret, self._trailer_offset = secret, trailer_offset
        self.chunk_count, self.body_length = chunk_count, body_length
        self.metadata: dict[str, Any] = fmt.decode_metadata(header.metadata, "header metadata")
        self.closing_metadata = closing_metadata
        self.created = datetime.fromtimestamp(header.created, timezone.utc)
        self.signer_fingerprint = fingerprint(header.signer_key)
        self.recipient_fingerprint = header.recipient_id.hex()[:16]
        self.digest = digest.hex()
        self.origin_verified = origin_verified
        self._used = False

    def __iter__(self) -> Iterator[bytes]:
        if self._used:
            raise RuntimeError("an opened bundle can be read once")
        self._used = True
        return self._decrypt()

    def copy_to(self, out: BinaryIO) -> int:
        """Write the whole body to ``out``; return the number of bytes written."""
        total = 0
        for piece in self:
            out.write(piece)
            total += len(piece)
        return total

    def iter_lines(self) -> Iterator[bytes]:
        """The body's lines without their newline (JSON Lines records)."""
        pending = b""
        for piece in self:
            lines = (pending + piece).split(b"\n")
            pending = lines.pop()
            yield from lines
        if pending:
            yield pending

    def _decrypt(self) -> Iterator[bytes]:
        self._infile.seek(self._start)
        reader = fmt.Reader(self._infile)
        if fmt.read_header(reader).raw != self._header.raw:
            raise BundleTamperedError("the file changed while it was being opened")
        split = fmt.CONTENT_KEY_LENGTH
        key, base_nonce = self._secret[:split], self._secret[split:]
        aead, header_digest = AESGCM(key), self._header.digest
        inflater = (zlib.decompressobj(16 + zlib.MAX_WBITS)
                    if self._header.compression == fmt.COMPRESSION_GZIP else None)
        produced = 0
        for counter in range(self.chunk_count):
            final, length = reader.record(self._header.chunk_size, counter)
            if final != (counter == self.chunk_count - 1):
                raise BundleTamperedError("the file changed while it was being opened")
            ciphertext = reader.read(length, f"chunk {counter}")
            try:
                segment = aead.decrypt(fmt.chunk_nonce(base_nonce, counter), ciphertext,
                                       fmt.chunk_aad(header_digest, final))
            except InvalidTag:
                raise BundleTamperedError(
                    f"chunk {counter} failed authentication: it was altered, moved, or belongs "
                    "to another bundle"
                ) from None
            for piece in _inflate(inflater, segment):
                produced += len(piece)
                yield piece
        if reader.offset != self._trailer_offset:
            raise BundleTamperedError("the file changed while it was being opened")
        if inflater is not None and (not inflater.eof or inflater.unused_data):
            raise BundleFormatError("the compressed body is incomplete or has data after its end")
        if produced != self.body_length:
            raise BundleTamperedError(
                f"the body has {produced} bytes but the trailer says {self.body_length}"
            )


def _inflate(inflater: Any, data: bytes) -> Iterator[bytes]:
    """Decompress in bounded pieces, so a small chunk cannot balloon memory."""
    if inflater is None:
        if data:
            yield data
        return
    while True:
        try:
            out = inflater.decompress(data, _PIECE)
        except zlib.error:
            raise BundleFormatError("the compressed body is corrupt") from None
        data = inflater.unconsumed_tail
        if out:
            yield out
        if inflater.eof or (not data and len(out) < _PIECE):
            return


def _open(infile: BinaryIO, recipient_key: RecipientPrivateKey,
          trusted: Ed25519PublicKey | None) -> OpenedBundle:
    if not isinstance(recipient_key, RecipientPrivateKey):
        raise TypeError("recipient_key must be a RecipientPrivateKey")
    if not infile.seekable():
        raise ValueError("opening a bundle needs a seekable file; save a download to a file first")
    start = infile.tell()
    hasher = hashlib.sha512()
    reader = fmt.Reader(infile, hasher)
    header = fmt.read_header(reader)
    if trusted is not None and header.signer_key != trusted.public_bytes_raw():
        raise BundleSignatureError(
            f"the bundle was signed by key {fingerprint(header.signer_key)}, not by the "
            f"trusted key {fingerprint(trusted.public_bytes_raw())}"
        )
    counter, final = 0, False
    while not final:
        final, length = reader.record(header.chunk_size, counter)
        reader.read(length, f"chunk {counter}")
        counter += 1
    trailer_offset = reader.offset
    chunk_count, body_length, closing = reader.counts()
    digest = hasher.digest()
    signature = reader.read(fmt.SIGNATURE_LENGTH, "signature", hashed=False)
    if infile.read(1):
        raise BundleFormatError(
            f"there is data after the end of the bundle (offset {reader.offset})"
        )
    _verify(trusted, header.signer_key, signature, digest)
    if chunk_count != counter:
        raise BundleTamperedError(f"the trailer says {chunk_count} chunks, the file has {counter}")
    closing_metadata = fmt.decode_metadata(closing, "closing metadata")
    secret = _open_content_key(header, recipient_key)
    return OpenedBundle(infile, start, header, secret, trailer_offset, chunk_count, body_length,
                        digest, closing_metadata, origin_verified=trusted is not None)


def _verify(trusted: Ed25519PublicKey | None, embedded: bytes, signature: bytes,
            digest: bytes) -> None:
    try:
        key = trusted or Ed25519PublicKey.from_public_bytes(embedded)
        key.verify(signature, fmt.signed_message(digest))
    except (InvalidSignature, ValueError):
        raise BundleSignatureError(
            "the signature does not verify: the bundle was altered after it was signed"
        ) from None


def _open_content_key(header: fmt.Header, recipient_key: RecipientPrivateKey) -> bytes:
    own = recipient_key.public_key
    if header.recipient_id != own.key_id:
        raise WrongRecipientError(
            f"the bundle is for recipient key {header.recipient_id.hex()[:16]}, "
            f"not for this key ({own.fingerprint})"
        )
    try:
        secret = fmt.SUITE.decrypt(header.enc + header.sealed_key, recipient_key.hpke_key,
                                   info=header.hpke_info)
    except (InvalidTag, ValueError):
        raise WrongRecipientError(
            "the content key does not open with this key: the bundle was not sealed to it, "
            "or its header was altered"
        ) from None
    if len(secret) != fmt.CONTENT_KEY_LENGTH + fmt.BASE_NONCE_LENGTH:
        raise BundleFormatError("the sealed content key has the wrong length")
    return secret
