"""Keys of sealed export bundles: recipient key pairs (X-Wing) and the system's signing key.

Recipient keys use X-Wing, the hybrid of ML-KEM-768 and X25519 that HPKE knows as
"MLKEM768-X25519" (KEM id 0x647A, draft-connolly-cfrg-xwing-kem, draft-ietf-hpke-pq). Why a
hybrid: a bundle captured today must stay closed when a quantum computer can break X25519, and
must stay closed if ML-KEM, still young, turns out weaker than believed.

Why the private key is the 32-byte X-Wing seed: that is X-Wing's own private key format, so a
case system using any X-Wing library can load it, and it expands deterministically
(SHAKE256(seed, 96 bytes): ML-KEM-768 seed d||z, then the X25519 private key). The public key
is X-Wing's encoding: ML-KEM-768 encapsulation key (1184 bytes) || X25519 public key (32).

The signing key is Ed25519: the private key is kept by the installation as PKCS#8 PEM (readable
by OpenSSL), the public key travels as armoured text to whoever must check where a bundle came
from. Fingerprints are the first 16 hex digits of SHA-256 of the raw public key bytes.

Key files are armoured text (see ``_key_files``); private key files are created 0o600 and no
key file is ever overwritten.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import mlkem, x25519
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.hpke import MLKEM768X25519PrivateKey, MLKEM768X25519PublicKey

from ._key_files import armour, dearmour, read_key_text, remove_quietly, write_new_file
from .sealed_errors import KeyFileError

__all__ = [
    "RECIPIENT_ALGORITHM",
    "RECIPIENT_PRIVATE_KIND",
    "RECIPIENT_PUBLIC_KIND",
    "RECIPIENT_PUBLIC_KEY_LENGTH",
    "RECIPIENT_SEED_LENGTH",
    "SIGNING_ALGORITHM",
    "SIGNING_PUBLIC_KIND",
    "RecipientPrivateKey",
    "RecipientPublicKey",
    "fingerprint",
    "generate_recipient_keypair",
    "generate_signing_key",
    "read_recipient_private_key",
    "read_recipient_public_key",
    "read_signing_key",
    "read_signing_public_key",
    "recipient_private_key_from_text",
    "recipient_private_key_to_text",
    "recipient_public_key_from_text",
    "recipient_public_key_to_text",
    "signing_key_fingerprint",
    "signing_private_key_from_pem",
    "signing_private_key_to_pem",
    "signing_public_key_from_text",
    "signing_public_key_to_text",
    "write_recipient_keypair",
    "write_signing_key",
    "write_signing_public_key",
]

RECIPIENT_ALGORITHM = "MLKEM768-X25519"
SIGNING_ALGORITHM = "Ed25519"
RECIPIENT_SEED_LENGTH = 32
_MLKEM_PUBLIC_LENGTH = 1184
RECIPIENT_PUBLIC_KEY_LENGTH = _MLKEM_PUBLIC_LENGTH + 32
_SIGNING_PUBLIC_LENGTH = 32
_K = TypeVar("_K")

RECIPIENT_PUBLIC_KIND = "selfreg-recipient-public-key"
RECIPIENT_PRIVATE_KIND = "selfreg-recipient-private-key"
SIGNING_PUBLIC_KIND = "selfreg-signing-public-key"


def fingerprint(raw_public_key: bytes) -> str:
    """First 16 hex digits of SHA-256 of a raw public key: short enough to read aloud."""
    return hashlib.sha256(raw_public_key).hexdigest()[:16]


@dataclass(frozen=True)
class RecipientPublicKey:
    """An X-Wing public key (1216 bytes); building one validates the ML-KEM part."""

    raw: bytes = field(repr=False)
    hpke_key: MLKEM768X25519PublicKey = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.raw) != RECIPIENT_PUBLIC_KEY_LENGTH:
            raise ValueError(f"a recipient public key is {RECIPIENT_PUBLIC_KEY_LENGTH} bytes")
        mlkem_part = mlkem.MLKEM768PublicKey.from_public_bytes(self.raw[:_MLKEM_PUBLIC_LENGTH])
        x25519_part = x25519.X25519PublicKey.from_public_bytes(self.raw[_MLKEM_PUBLIC_LENGTH:])
        object.__setattr__(self, "hpke_key", MLKEM768X25519PublicKey(mlkem_part, x25519_part))

    @property
    def key_id(self) -> bytes:
        """SHA-256 of the raw key: the recipient field of a bundle header."""
        return hashlib.sha256(self.raw).digest()

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.raw)

    def __repr__(self) -> str:
        return f"RecipientPublicKey(fingerprint={self.fingerprint!r})"


@dataclass(frozen=True)
class RecipientPrivateKey:
    """An X-Wing private key: the 32-byte seed, left out of repr so it never reaches logs."""

    seed: bytes = field(repr=False)
    hpke_key: MLKEM768X25519PrivateKey = field(init=False, repr=False, compare=False)
    public_key: RecipientPublicKey = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if len(self.seed) != RECIPIENT_SEED_LENGTH:
            raise ValueError(f"a recipient private key is a {RECIPIENT_SEED_LENGTH}-byte seed")
        expanded = hashlib.shake_256(self.seed).digest(96)
        mlkem_part = mlkem.MLKEM768PrivateKey.from_seed_bytes(expanded[:64])
        x25519_part = x25519.X25519PrivateKey.from_private_bytes(expanded[64:])
        public = RecipientPublicKey(
            mlkem_part.public_key().public_bytes_raw()
            + x25519_part.public_key().public_bytes_raw()
        )
        object.__setattr__(self, "hpke_key", MLKEM768X25519PrivateKey(mlkem_part, x25519_part))
        object.__setattr__(self, "public_key", public)


def generate_recipient_keypair() -> tuple[RecipientPrivateKey, RecipientPublicKey]:
    """A new recipient key pair from 32 random bytes."""
    private = RecipientPrivateKey(os.urandom(RECIPIENT_SEED_LENGTH))
    return private, private.public_key


def recipient_public_key_to_text(key: RecipientPublicKey) -> str:
    return armour(RECIPIENT_PUBLIC_KIND, RECIPIENT_ALGORITHM, key.fingerprint, key.raw)


def recipient_private_key_to_text(key: RecipientPrivateKey) -> str:
    """Armoured seed; its fingerprint line is that of the matching public key."""
    fp = key.public_key.fingerprint
    return armour(RECIPIENT_PRIVATE_KIND, RECIPIENT_ALGORITHM, fp, key.seed)


def recipient_public_key_from_text(text: str, source: str = "text") -> RecipientPublicKey:
    raw, fp = dearmour(text, kind=RECIPIENT_PUBLIC_KIND, algorithm=RECIPIENT_ALGORITHM,
                       length=RECIPIENT_PUBLIC_KEY_LENGTH, source=source)
    try:
        key = RecipientPublicKey(raw)
    except ValueError:
        raise KeyFileError(f"{source} holds an invalid {RECIPIENT_ALGORITHM} public key") from None
    return _checked(key, key.fingerprint, fp, source)


def recipient_private_key_from_text(text: str, source: str = "text") -> RecipientPrivateKey:
    seed, fp = dearmour(text, kind=RECIPIENT_PRIVATE_KIND, algorithm=RECIPIENT_ALGORITHM,
                        length=RECIPIENT_SEED_LENGTH, source=source)
    key = RecipientPrivateKey(seed)
    return _checked(key, key.public_key.fingerprint, fp, source)


def _checked(key: _K, actual: str, written: str, source: str) -> _K:
    if actual != written:
        raise KeyFileError(f"{source}: the key does not match its fingerprint line "
                           "(the file is damaged or was edited)")
    return key


def read_recipient_public_key(path: str | os.PathLike[str]) -> RecipientPublicKey:
    return recipient_public_key_from_text(read_key_text(Path(path)), str(path))


def read_recipient_private_key(path: str | os.PathLike[str]) -> RecipientPrivateKey:
    return recipient_private_key_from_text(read_key_text(Path(path)), str(path))


def write_recipient_keypair(
    prefix: str | os.PathLike[str], key: RecipientPrivateKey
) -> tuple[Path, Path]:
    """Write PREFIX.pub (0o644) and PREFIX.key (0o600); refuse if either exists.

    Returns ``(public_path, private_path)``. Nothing is left behind when either write fails.
    """
    public_path, private_path = Path(f"{prefix}.pub"), Path(f"{prefix}.key")
    for path in (public_path, private_path):
        if path.exists():
            raise KeyFileError(f"{path} already exists; refusing to overwrite a key")
    write_new_file(private_path, recipient_private_key_to_text(key).encode("ascii"), 0o600)
    try:
        text = recipient_public_key_to_text(key.public_key).encode("ascii")
        write_new_file(public_path, text, 0o644)
    except BaseException:
        remove_quietly(private_path)
        raise
    return public_path, private_path


# --- the system's signing key (Ed25519) --------------------------------------------------------


def generate_signing_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def signing_key_fingerprint(key: Ed25519PublicKey | Ed25519PrivateKey) -> str:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return fingerprint(public.public_bytes_raw())


def signing_private_key_to_pem(key: Ed25519PrivateKey) -> bytes:
    """Unencrypted PKCS#8 PEM: the file's 0o600 mode and the instance folder protect it."""
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def signing_private_key_from_pem(data: bytes, source: str = "text") -> Ed25519PrivateKey:
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError):
        raise KeyFileError(f"{source} is not an unencrypted PKCS#8 PEM private key") from None
    except Exception as exc:  # e.g. UnsupportedAlgorithm
        raise KeyFileError(f"{source} cannot be loaded: {type(exc).__name__}") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(f"{source} holds a {type(key).__name__}, expected an Ed25519 key")
    return key


def signing_public_key_to_text(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes_raw()
    return armour(SIGNING_PUBLIC_KIND, SIGNING_ALGORITHM, fingerprint(raw), raw)


def signing_public_key_from_text(text: str, source: str = "text") -> Ed25519PublicKey:
    raw, fp = dearmour(text, kind=SIGNING_PUBLIC_KIND, algorithm=SIGNING_ALGORITHM,
                       length=_SIGNING_PUBLIC_LENGTH, source=source)
    try:
        key = Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise KeyFileError(f"{source} holds an invalid Ed25519 public key") from None
    return _checked(key, fingerprint(raw), fp, source)


def write_signing_key(path: str | os.PathLike[str], key: Ed25519PrivateKey) -> Path:
    """Create the PEM file with mode 0o600; refuse to overwrite an existing key."""
    target = Path(path)
    write_new_file(target, signing_private_key_to_pem(key), 0o600)
    return target


def read_signing_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    text = read_key_text(Path(path))
    return signing_private_key_from_pem(text.encode("ascii", "replace"), str(path))


def write_signing_public_key(path: str | os.PathLike[str], key: Ed25519PublicKey) -> Path:
    target = Path(path)
    write_new_file(target, signing_public_key_to_text(key).encode("ascii"), 0o644)
    return target


def read_signing_public_key(path: str | os.PathLike[str]) -> Ed25519PublicKey:
    return signing_public_key_from_text(read_key_text(Path(path)), str(path))
