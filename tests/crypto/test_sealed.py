"""Sealed export bundles: round trips, the documented layout, every kind of tampering, key files.

Several tests rebuild or re-sign a bundle with the test's own signing key: a valid signature
over altered content is what an attacker holding a signing key (or an integrity-only reader
facing a stranger's key) would produce, and it proves that the inner layers (HPKE info, chunk
counters, final flag, header digest) catch what the signature alone would have caught.
"""
from __future__ import annotations

import gzip
import hashlib
import hmac
import io
import os
import stat
import struct
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, mlkem, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from selfreg.crypto.errors import CryptoError
from selfreg.crypto.sealed import SealingStream, open_sealed, open_sealed_integrity_only, seal
from selfreg.crypto.sealed_errors import (
    BundleFormatError,
    BundleSignatureError,
    BundleTamperedError,
    BundleTruncatedError,
    KeyFileError,
    SealedBundleError,
    WrongRecipientError,
)
from selfreg.crypto.sealed_keys import (
    RecipientPrivateKey,
    generate_recipient_keypair,
    generate_signing_key,
    read_recipient_private_key,
    read_recipient_public_key,
    read_signing_key,
    read_signing_public_key,
    recipient_private_key_from_text,
    recipient_private_key_to_text,
    recipient_public_key_from_text,
    recipient_public_key_to_text,
    signing_key_fingerprint,
    signing_private_key_from_pem,
    signing_public_key_from_text,
    signing_public_key_to_text,
    write_recipient_keypair,
    write_signing_key,
    write_signing_public_key,
)

RECIPIENT, RECIPIENT_PUB = generate_recipient_keypair()
OTHER_RECIPIENT, OTHER_RECIPIENT_PUB = generate_recipient_keypair()
SIGNER = generate_signing_key()
OTHER_SIGNER = generate_signing_key()
SMALL_CHUNK = 1024  # the smallest chunk size, so a few KB make several chunks


def _seal(body: bytes, *, pieces: int = 4096, signer: Ed25519PrivateKey = SIGNER,
          **options: Any) -> bytes:
    out = io.BytesIO()
    options.setdefault("metadata", {"content": "test"})
    chunks = (body[i : i + pieces] for i in range(0, len(body), pieces))
    seal(chunks, out, RECIPIENT_PUB, signer, **options)
    return out.getvalue()


def _open(data: bytes, key: RecipientPrivateKey = RECIPIENT,
          signer: Ed25519PublicKey | None = None) -> bytes:
    return b"".join(open_sealed(io.BytesIO(data), key, signer or SIGNER.public_key()))


# --- an independent reading of docs/EXPORT-FORMAT.md ---------------------------------------


@dataclass
class Layout:
    header_end: int
    records: list[tuple[int, int, int]]  # (offset, final flag, ciphertext length)
    trailer: int
    signature: int


def _layout(data: bytes) -> Layout:
    m = int.from_bytes(data[92:96], "big")
    pos = 96 + m
    pos += 2 + int.from_bytes(data[pos : pos + 2], "big")
    pos += 2 + int.from_bytes(data[pos : pos + 2], "big")
    header_end, records = pos, []
    while True:
        final, length = struct.unpack(">BI", data[pos : pos + 5])
        records.append((pos, final, length))
        pos += 5 + length
        if final:
            break
    return Layout(header_end, records, pos, len(data) - 64)


def _resign(unsigned: bytes, signer: Ed25519PrivateKey = SIGNER) -> bytes:
    digest = hashlib.sha512(unsigned).digest()
    return unsigned + signer.sign(b"selfreg-bundle-v1-signature" + digest)


def _rebuild(data: bytes, order: list[int], *, last_final: bool = True) -> bytes:
    """The bundle with its chunk records in ``order``, trailer count fixed, re-signed."""
    layout = _layout(data)
    records = [data[o : o + 5 + n] for o, _, n in layout.records]
    chosen = [records[i] for i in order]
    if last_final:
        chosen[-1] = b"\x01" + chosen[-1][1:]
    trailer = data[layout.trailer : layout.signature]
    trailer = struct.pack(">Q", len(chosen)) + trailer[8:]
    return _resign(data[: layout.header_end] + b"".join(chosen) + trailer)


def _hkdf_extract(salt: bytes, ikm: bytes) -> bytes:
    return hmac.new(salt or bytes(32), ikm, hashlib.sha256).digest()


def _hkdf_expand(prk: bytes, info: bytes, length: int) -> bytes:
    out, block, counter = b"", b"", 1
    while len(out) < length:
        block = hmac.new(prk, block + info + bytes([counter]), hashlib.sha256).digest()
        out, counter = out + block, counter + 1
    return out[:length]


def _open_by_the_document(data: bytes, seed: bytes, signer: bytes) -> bytes:
    """Open a bundle from primitives only, step by step as docs/EXPORT-FORMAT.md says."""
    assert data[:9] == b"\x89SRB\r\n\x1a\n\x01"
    assert struct.unpack(">HHHB", data[9:16]) == (0x647A, 0x0001, 0x0002, 0x01)
    chunk_size = int.from_bytes(data[16:20], "big")
    assert data[60:92] == signer
    layout = _layout(data)
    signed = b"selfreg-bundle-v1-signature" + hashlib.sha512(data[: layout.signature]).digest()
    Ed25519PublicKey.from_public_bytes(signer).verify(data[layout.signature :], signed)
    m = int.from_bytes(data[92:96], "big")
    enc, sealed = data[98 + m : 1218 + m], data[1220 + m : 1280 + m]
    # X-Wing decapsulation
    expanded = hashlib.shake_256(seed).digest(96)
    ml_kem = mlkem.MLKEM768PrivateKey.from_seed_bytes(expanded[:64])
    x_key = x25519.X25519PrivateKey.from_private_bytes(expanded[64:])
    assert data[28:60] == hashlib.sha256(
        ml_kem.public_key().public_bytes_raw() + x_key.public_key().public_bytes_raw()
    ).digest()
    ss_x = x_key.exchange(x25519.X25519PublicKey.from_public_bytes(enc[1088:]))
    shared = hashlib.sha3_256(ml_kem.decapsulate(enc[:1088]) + ss_x + enc[1088:]
                              + x_key.public_key().public_bytes_raw() + b"\\.//^\\").digest()
    # RFC 9180 key schedule, base mode
    suite = b"HPKE" + struct.pack(">HHH", 0x647A, 1, 2)

    def extract(salt: bytes, label: bytes, ikm: bytes) -> bytes:
        return _hkdf_extract(salt, b"HPKE-v1" + suite + label + ikm)

    def expand(prk: bytes, label: bytes, info: bytes, n: int) -> bytes:
        return _hkdf_expand(prk, struct.pack(">H", n) + b"HPKE-v1" + suite + label + info, n)

    info = b"selfreg-bundle-v1" + hashlib.sha256(data[: 96 + m]).digest()
    context = b"\x00" + extract(b"", b"psk_id_hash", b"") + extract(b"", b"info_hash", info)
    secret = extract(shared, b"secret", b"")
    content = AESGCM(expand(secret, b"key", context, 32)).decrypt(
        expand(secret, b"base_nonce", context, 12), sealed, b""
    )
    key, base_nonce = AESGCM(content[:32]), int.from_bytes(content[32:], "big")
    header_digest = hashlib.sha256(data[: layout.header_end]).digest()
    body = b""
    for i, (offset, final, length) in enumerate(layout.records):
        assert length == chunk_size + 16 or final
        nonce = (base_nonce ^ i).to_bytes(12, "big")
        body += key.decrypt(nonce, data[offset + 5 : offset + 5 + length],
                            header_digest + bytes([final]))
    count, body_length, _ = struct.unpack(">QQI", data[layout.trailer : layout.trailer + 20])
    assert count == len(layout.records)
    plain = gzip.decompress(body)
    assert len(plain) == body_length
    return plain


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("body", [
    b"",
    b'{"id":1,"name":"\xd8\xa3\xd9\x85\xd9\x8a\xd9\x86\xd8\xa9"}\n',
    os.urandom(1_000_000),
    b'{"occupation":"2221","text":"nurse"}\n' * 30_000,
], ids=["empty", "one-line", "1MB-random", "1MB-jsonl"])
def test_round_trip(body: bytes) -> None:
    data = _seal(body)
    assert _open(data) == body


@pytest.mark.parametrize("size", [0, 1, 1023, 1024, 1025, 2048, 2049, 3 * 1024, 5000])
def test_chunk_boundaries(size: int) -> None:
    body = os.urandom(size)
    out = io.BytesIO()
    summary = seal([body], out, RECIPIENT_PUB, SIGNER, metadata={}, compress=False,
                   chunk_size=SMALL_CHUNK)
    data = out.getvalue()
    layout = _layout(data)
    expected_chunks = max(1, -(-size // SMALL_CHUNK))
    assert summary.chunks == len(layout.records) == expected_chunks
    assert [final for _, final, _ in layout.records] == [0] * (expected_chunks - 1) + [1]
    assert all(n == SMALL_CHUNK + 16 for _, _, n in layout.records[:-1])
    assert layout.records[-1][2] == size - SMALL_CHUNK * (expected_chunks - 1) + 16
    assert _open(data) == body


@pytest.mark.parametrize("size", [65535, 65536, 65537, 2 * 65536])
def test_default_chunk_size_boundaries(size: int) -> None:
    body = os.urandom(size)
    data = _seal(body, compress=False, pieces=7000)
    assert len(_layout(data).records) == max(1, -(-size // 65536))
    assert _open(data) == body


def test_the_document_describes_the_bytes() -> None:
    body = b'{"id":"a"}\n' * 5000 + os.urandom(3000)
    data = _seal(body, chunk_size=SMALL_CHUNK)
    assert len(_layout(data).records) > 3
    signer = SIGNER.public_key().public_bytes_raw()
    assert _open_by_the_document(data, RECIPIENT.seed, signer) == body


def test_x_wing_key_derivation_matches_the_draft_test_vector() -> None:
    # draft-connolly-cfrg-xwing-kem-08, appendix C, first vector: the seed and SHA-256 of pk.
    seed = bytes.fromhex("7f9c2ba4e88f827d616045507605853ed73b8093f6efbc88eb1a6eacfa66ef26")
    public = RecipientPrivateKey(seed).public_key
    assert len(public.raw) == 1216
    assert hashlib.sha256(public.raw).hexdigest() == (
        "2e816deebcd76c5c80d0cd2d174478871658e8e2ff42bc9d4a6e486372e856bb"
    )


def test_header_fields_and_summary() -> None:
    created = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)
    out = io.BytesIO()
    body = b'{"n":1}\n{"n":2}\n'
    summary = seal([body], out, RECIPIENT_PUB, SIGNER, metadata={"since": "2025-01-01"},
                   closing_metadata=lambda: {"records": 2}, created=created)
    data = out.getvalue()
    assert int.from_bytes(data[16:20], "big") == 65536
    assert int.from_bytes(data[20:28], "big") == int(created.timestamp())
    assert data[28:60] == hashlib.sha256(RECIPIENT_PUB.raw).digest()
    assert data[60:92] == SIGNER.public_key().public_bytes_raw()
    assert data[96 : 96 + int.from_bytes(data[92:96], "big")] == b'{"since":"2025-01-01"}'
    assert summary.bundle_bytes == len(data)
    assert (summary.body_bytes, summary.chunks) == (len(body), 1)
    assert summary.recipient_fingerprint == RECIPIENT_PUB.fingerprint
    assert summary.signer_fingerprint == signing_key_fingerprint(SIGNER.public_key())

    bundle = open_sealed(io.BytesIO(data), RECIPIENT, SIGNER.public_key())
    assert bundle.metadata == {"since": "2025-01-01"}
    assert bundle.closing_metadata == {"records": 2} == summary.closing_metadata
    assert bundle.created == created
    assert bundle.digest == summary.digest
    assert bundle.origin_verified
    assert bundle.recipient_fingerprint == RECIPIENT_PUB.fingerprint
    assert list(bundle.iter_lines()) == [b'{"n":1}', b'{"n":2}']
    with pytest.raises(RuntimeError):
        list(bundle)


def test_streaming_form_and_bounded_pieces() -> None:
    body = b"a" * 3_000_000  # compresses to a few KB: one chunk must not come out in one piece
    stream = SealingStream([body], RECIPIENT_PUB, SIGNER, metadata={})
    assert stream.summary is None
    data = b"".join(stream)
    assert stream.summary is not None and stream.summary.bundle_bytes == len(data)
    pieces = list(open_sealed(io.BytesIO(data), RECIPIENT, SIGNER.public_key()))
    assert b"".join(pieces) == body
    assert max(map(len, pieces)) <= 256 * 1024


def test_ciphertext_does_not_contain_the_plaintext() -> None:
    body = b'{"name":"Amina Tesfay Haile","duf":"202312345678"}\n' * 50
    for compress in (True, False):
        data = _seal(body, compress=compress)
        assert b"Amina" not in data and b"202312345678" not in data


def test_a_bundle_starts_at_the_file_position() -> None:
    data = _seal(b"x\n")
    handle = io.BytesIO(b"prefix" + data)
    handle.seek(6)
    assert b"".join(open_sealed(handle, RECIPIENT, SIGNER.public_key())) == b"x\n"


def test_bad_arguments() -> None:
    with pytest.raises(TypeError):
        _seal(b"", metadata={1: "not a str key"})
    with pytest.raises(TypeError):
        not_bytes: Any = ["text, not bytes"]
        seal(not_bytes, io.BytesIO(), RECIPIENT_PUB, SIGNER, metadata={})
    with pytest.raises(ValueError):
        _seal(b"", chunk_size=100)
    with pytest.raises(ValueError):
        _seal(b"", metadata={"big": "x" * 70_000})

    class Pipe(io.BytesIO):
        def seekable(self) -> bool:
            return False

    with pytest.raises(ValueError):
        open_sealed(Pipe(_seal(b"")), RECIPIENT, SIGNER.public_key())
    with pytest.raises(TypeError):
        open_sealed(io.BytesIO(_seal(b"")), RECIPIENT, None)  # type: ignore[arg-type]


# --- tampering -------------------------------------------------------------------------------


def _small_bundle() -> bytes:
    return _seal(b'{"id":1}\n' * 40 + os.urandom(2500), chunk_size=SMALL_CHUNK)


def test_every_flipped_byte_is_refused_before_any_plaintext() -> None:
    data = _small_bundle()
    assert len(_layout(data).records) >= 3
    openers = (
        lambda f: open_sealed(f, RECIPIENT, SIGNER.public_key()),
        lambda f: open_sealed_integrity_only(f, RECIPIENT),
    )
    for position in range(len(data)):
        flipped = bytearray(data)
        flipped[position] ^= 0x04
        with pytest.raises(SealedBundleError):  # raised by open, before any iteration
            openers[position % 2](io.BytesIO(bytes(flipped)))


def test_flips_report_what_is_wrong() -> None:
    data = _small_bundle()
    layout = _layout(data)

    def flip(position: int) -> bytes:
        changed = bytearray(data)
        changed[position] ^= 0x01
        return bytes(changed)

    cases = {
        0: BundleFormatError,  # magic
        8: BundleFormatError,  # version
        10: BundleFormatError,  # KEM id
        20: BundleSignatureError,  # created
        40: BundleSignatureError,  # recipient key id
        70: BundleSignatureError,  # signer key: not the trusted one
        120: BundleSignatureError,  # encapsulated key
        layout.header_end - 5: BundleSignatureError,  # sealed content key
        layout.records[1][0] + 100: BundleSignatureError,  # a chunk
        layout.trailer + 3: BundleSignatureError,  # trailer
        len(data) - 1: BundleSignatureError,  # signature
    }
    for position, error in cases.items():
        with pytest.raises(error):
            _open(flip(position))
    with pytest.raises(BundleSignatureError, match="signed by key"):
        _open(flip(70))


@pytest.mark.parametrize("where", ["header", "mid-chunk", "chunk-boundary", "trailer-removed",
                                   "part-of-signature", "empty"])
def test_truncated_file(where: str) -> None:
    data = _small_bundle()
    layout = _layout(data)
    cut = {
        "header": 500,
        "mid-chunk": layout.records[1][0] + 300,
        "chunk-boundary": layout.records[2][0],
        "trailer-removed": layout.trailer,
        "part-of-signature": len(data) - 10,
        "empty": 0,
    }[where]
    with pytest.raises(BundleTruncatedError):
        _open(data[:cut])


def test_garbage_appended() -> None:
    data = _small_bundle()
    for extra in (b"\x00", b"garbage", data):
        with pytest.raises(BundleFormatError, match="after the end"):
            _open(data + extra)


def test_swapped_and_dropped_chunks_fail_without_re_signing() -> None:
    data = _small_bundle()
    layout = _layout(data)
    (a, _, n), (b, _, _) = layout.records[0], layout.records[1]
    swapped = data[:a] + data[b : b + 5 + n] + data[a:b] + data[b + 5 + n :]
    dropped = data[:a] + data[b:]
    for changed in (swapped, dropped):
        with pytest.raises(SealedBundleError):
            _open(changed)


def test_re_signed_reordering_dropping_and_cutting_fail_in_the_chunk_layer() -> None:
    data = _small_bundle()
    count = len(_layout(data).records)
    assert _open(_rebuild(data, list(range(count)))) == _open(data)  # the helper is faithful
    altered = {
        "swapped": [1, 0] + list(range(2, count)),
        "dropped": [0] + list(range(2, count)),
        "duplicated": [0, 0] + list(range(1, count)),
        "cut, last marked final": list(range(count - 1)),
    }
    for order in altered.values():
        bundle = open_sealed(io.BytesIO(_rebuild(data, order)), RECIPIENT, SIGNER.public_key())
        with pytest.raises(BundleTamperedError):
            b"".join(bundle)


def test_re_signed_records_with_wrong_lengths_are_refused_at_open() -> None:
    data = _small_bundle()
    layout = _layout(data)
    records = [bytearray(data[o : o + 5 + n]) for o, _, n in layout.records]
    short_first = [bytearray(r) for r in [records[-1]] + records[:-1]]
    short_first[0][0], short_first[-1][0] = 0, 1  # a short chunk that claims more follow
    oversized = b"\x01" + struct.pack(">I", SMALL_CHUNK + 17) + bytes(SMALL_CHUNK + 17)
    too_long = records[:-1] + [oversized]
    trailer = data[layout.trailer : layout.signature]
    for changed in (short_first, too_long):
        bundle = _resign(data[: layout.header_end] + b"".join(changed) + trailer)
        with pytest.raises(BundleFormatError, match="invalid length"):
            _open(bundle)


def test_re_signed_altered_chunk_byte_fails() -> None:
    data = bytearray(_small_bundle())
    offset = _layout(bytes(data)).records[1][0]
    data[offset + 40] ^= 0x80
    bundle = open_sealed(io.BytesIO(_resign(bytes(data[:-64]))), RECIPIENT, SIGNER.public_key())
    with pytest.raises(BundleTamperedError, match="chunk 1"):
        b"".join(bundle)


def test_re_signed_header_edits_fail() -> None:
    data = _small_bundle()
    created_changed = bytearray(data[:-64])
    created_changed[27] ^= 0x01
    with pytest.raises(WrongRecipientError):
        _open(_resign(bytes(created_changed)))
    # A stranger re-signing someone else's bundle as their own (integrity-only reading):
    # the original signer key is bound into the HPKE info, so the content key does not open.
    stolen = bytearray(data[:-64])
    stolen[60:92] = OTHER_SIGNER.public_key().public_bytes_raw()
    with pytest.raises(WrongRecipientError):
        open_sealed_integrity_only(io.BytesIO(_resign(bytes(stolen), OTHER_SIGNER)), RECIPIENT)


def test_re_signed_wrong_counts_fail() -> None:
    data = _small_bundle()
    layout = _layout(data)
    count, length = struct.unpack(">QQ", data[layout.trailer : layout.trailer + 16])
    rest = data[layout.trailer + 16 : layout.signature]
    wrong_count = struct.pack(">QQ", count + 1, length) + rest
    with pytest.raises(BundleTamperedError, match="chunks"):
        _open(_resign(data[: layout.trailer] + wrong_count))
    wrong_length = struct.pack(">QQ", count, length - 1) + rest
    bundle = open_sealed(io.BytesIO(_resign(data[: layout.trailer] + wrong_length)), RECIPIENT,
                         SIGNER.public_key())
    with pytest.raises(BundleTamperedError, match="trailer says"):
        b"".join(bundle)


def test_file_changed_between_verification_and_decryption() -> None:
    data = _small_bundle()
    offset = _layout(data).records[1][0]
    for position, message in ((50, "changed while"), (offset + 60, "chunk 1")):
        handle = io.BytesIO(data)
        bundle = open_sealed(handle, RECIPIENT, SIGNER.public_key())
        handle.getbuffer()[position] ^= 0x01
        with pytest.raises(BundleTamperedError, match=message):
            b"".join(bundle)


def test_bundle_for_another_recipient() -> None:
    data = _small_bundle()
    with pytest.raises(WrongRecipientError, match=RECIPIENT_PUB.fingerprint):
        _open(data, key=OTHER_RECIPIENT)
    with pytest.raises(WrongRecipientError):
        open_sealed_integrity_only(io.BytesIO(data), OTHER_RECIPIENT)


def test_signature_by_another_signer() -> None:
    data = _seal(b"x\n", signer=OTHER_SIGNER)
    with pytest.raises(BundleSignatureError, match=signing_key_fingerprint(OTHER_SIGNER)):
        _open(data, signer=SIGNER.public_key())
    bundle = open_sealed_integrity_only(io.BytesIO(data), RECIPIENT)
    assert not bundle.origin_verified
    assert bundle.signer_fingerprint == signing_key_fingerprint(OTHER_SIGNER)
    assert b"".join(bundle) == b"x\n"


def test_errors_are_crypto_errors() -> None:
    for error in (BundleFormatError, BundleTruncatedError, BundleSignatureError,
                  WrongRecipientError, BundleTamperedError):
        assert issubclass(error, SealedBundleError) and issubclass(error, CryptoError)
    assert issubclass(KeyFileError, CryptoError)


# --- key files -------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_recipient_key_files_round_trip(tmp_path: Path) -> None:
    private, public = generate_recipient_keypair()
    public_path, private_path = write_recipient_keypair(tmp_path / "case", private)
    assert (public_path.name, private_path.name) == ("case.pub", "case.key")
    assert _mode(private_path) == 0o600
    assert _mode(public_path) == 0o644 & ~_umask()
    assert read_recipient_public_key(public_path) == public
    assert read_recipient_private_key(private_path).seed == private.seed
    text = public_path.read_text()
    assert text.startswith("selfreg-recipient-public-key v1\nalgorithm: MLKEM768-X25519\n")
    assert f"fingerprint: {public.fingerprint}\n" in text
    assert private.seed.hex() not in repr(private)


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def test_key_pair_is_never_overwritten(tmp_path: Path) -> None:
    private, _ = generate_recipient_keypair()
    write_recipient_keypair(tmp_path / "k", private)
    before = (tmp_path / "k.key").read_bytes()
    with pytest.raises(KeyFileError, match="already exists"):
        write_recipient_keypair(tmp_path / "k", generate_recipient_keypair()[0])
    assert (tmp_path / "k.key").read_bytes() == before
    (tmp_path / "only.pub").write_text("someone else's file")
    with pytest.raises(KeyFileError, match="already exists"):
        write_recipient_keypair(tmp_path / "only", private)
    assert not (tmp_path / "only.key").exists()


def test_garbled_recipient_key_files() -> None:
    public_text = recipient_public_key_to_text(RECIPIENT_PUB)
    private_text = recipient_private_key_to_text(RECIPIENT)
    assert recipient_public_key_from_text(public_text.replace("\n", "\r\n")) == RECIPIENT_PUB
    lines = public_text.splitlines()
    garbled = {
        "empty": "",
        "private given as public": private_text,
        "other kind": "selfreg-signing-public-key v1\n" + "\n".join(lines[1:]),
        "not ours": "-----BEGIN PUBLIC KEY-----\nAAAA\nAAAA\n-----END PUBLIC KEY-----\n",
        "version": public_text.replace(" v1\n", " v2\n", 1),
        "algorithm": public_text.replace("MLKEM768-X25519", "X25519", 1),
        "fingerprint": public_text.replace(RECIPIENT_PUB.fingerprint, "0" * 16),
        "no fingerprint line": "\n".join(lines[:2] + lines[3:]),
        "not base64": "\n".join(lines[:3] + ["!!!!" + lines[3][4:]] + lines[4:]),
        "a line missing": "\n".join(lines[:4] + lines[5:]),
        "flipped character": "\n".join(lines[:5] + [_change_char(lines[5])] + lines[6:]),
    }
    for name, text in garbled.items():
        with pytest.raises(KeyFileError):
            recipient_public_key_from_text(text)
            pytest.fail(name)
    with pytest.raises(KeyFileError, match="not a selfreg-recipient-private-key"):
        recipient_private_key_from_text(public_text)
    with pytest.raises(KeyFileError, match="fingerprint"):
        recipient_private_key_from_text(_change_char_in_body(private_text))


def _change_char(line: str) -> str:
    return ("B" if line[0] != "B" else "C") + line[1:]


def _change_char_in_body(text: str) -> str:
    lines = text.splitlines()
    return "\n".join(lines[:3] + [_change_char(lines[3])]) + "\n"


def test_unreadable_key_files(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="not found"):
        read_recipient_public_key(tmp_path / "missing.pub")
    (tmp_path / "binary.pub").write_bytes(b"\xff\xfe\x00" * 10)
    with pytest.raises(KeyFileError):
        read_recipient_public_key(tmp_path / "binary.pub")
    (tmp_path / "huge.pub").write_bytes(b"A" * 100_000)
    with pytest.raises(KeyFileError, match="too large"):
        read_recipient_public_key(tmp_path / "huge.pub")


def test_signing_key_files(tmp_path: Path) -> None:
    key = generate_signing_key()
    path = write_signing_key(tmp_path / "signing.pem", key)
    assert _mode(path) == 0o600
    assert path.read_bytes().startswith(b"-----BEGIN PRIVATE KEY-----")
    loaded = read_signing_key(path)
    assert loaded.public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    with pytest.raises(KeyFileError, match="already exists"):
        write_signing_key(path, generate_signing_key())

    public_path = write_signing_public_key(tmp_path / "signing.pub", key.public_key())
    assert read_signing_public_key(public_path) == key.public_key()
    text = signing_public_key_to_text(key.public_key())
    assert text.startswith("selfreg-signing-public-key v1\nalgorithm: Ed25519\n")
    assert signing_public_key_from_text(text) == key.public_key()
    with pytest.raises(KeyFileError):
        signing_public_key_from_text(text.replace(signing_key_fingerprint(key), "f" * 16))
    with pytest.raises(KeyFileError):
        signing_public_key_from_text(recipient_public_key_to_text(RECIPIENT_PUB))

    other = ec.generate_private_key(ec.SECP256R1()).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    for data in (other, b"garbage", b""):
        with pytest.raises(KeyFileError):
            signing_private_key_from_pem(data)
