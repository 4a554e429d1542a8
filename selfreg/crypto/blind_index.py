"""Keyed blind indexes: find a record by DUF number, name + birth, or login code without
decrypting every row.

Why keyed (HMAC) and not a plain hash: a DUF number has 12 digits and a birth year has a few
dozen plausible values, so an unkeyed hash in a stolen database would be reversed by brute force
in seconds. With HMAC under an index key that lives only in the keyring, the stored index is
useless without that key.

Construction::

    subkey = HKDF-SHA256(ikm=index_key, salt=None, info=b"selfreg blind index " + purpose, L=32)
    index  = HMAC-SHA256(subkey, UTF-8(normalised value))[:16]

A separate subkey per purpose means an index value for "duf" can never be matched against one
for "name-dob" or "resident-code", even for equal inputs.

Truncation to 16 bytes (128 bits) keeps columns and database indexes small; accidental
collisions stay negligible (about n**2 / 2**129 for n rows) and lookups still confirm the match
by decrypting the candidate row.

What a blind index leaks, even without the key:
  * equality - two rows with the same value have the same index (that is its purpose);
  * frequency - how often each (unknown) value occurs, e.g. a common surname;
and if the index key leaks together with the database: every low-entropy value can be
recovered by brute force. A 12-digit DUF number is only 10**12 candidates, a name + birth year
fewer still in practice. Keep the index key out of the database and out of backups of it.

Changing the index key means recomputing every index, which needs the plaintexts (decrypt each
row); ``selfreg.keyops.reindex`` does it. Values never stored (resident codes, link tokens)
cannot be re-hashed, so their lookups also try the previous index key while the keyring keeps
one (:func:`blind_index_candidates`).
"""
from __future__ import annotations

import unicodedata

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from ._encoding import require_id
from .keyring import Keyring

__all__ = [
    "INDEX_LENGTH",
    "PURPOSE_RESIDENT_CODE",
    "blind_index",
    "blind_index_candidates",
    "code_lookup_candidates",
    "code_lookup_hash",
    "normalise_duf",
    "normalise_name_dob",
]

INDEX_LENGTH = 16
PURPOSE_RESIDENT_CODE = "resident-code"
_INFO_PREFIX = b"selfreg blind index "
# Cannot occur in a normalised name (control characters are removed), so the pair
# (name, birth) maps to a single string injectively.
_NAME_BIRTH_SEPARATOR = "\x1f"


def _subkey(index_key: bytes, purpose: str) -> bytes:
    hkdf = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=_INFO_PREFIX + purpose.encode("ascii"),
    )
    return hkdf.derive(index_key)


def blind_index(keyring: Keyring, purpose: str, normalised_value: str) -> bytes:
    """16-byte keyed index of ``normalised_value`` for one ``purpose`` (e.g. "duf").

    The caller normalises first (:func:`normalise_duf`, :func:`normalise_name_dob`, ...);
    this function hashes exactly the string it is given.
    """
    return _index_with(keyring.index_key, purpose, normalised_value)


def blind_index_candidates(
    keyring: Keyring, purpose: str, normalised_value: str
) -> tuple[bytes, ...]:
    """The index under the current key, then under the previous index key if one is kept.

    Only for lookups of values the system cannot re-hash after an index-key rotation because
    it never stores them (resident codes, one-time link tokens). The first item is what a
    matching row should be updated to.
    """
    current = _index_with(keyring.index_key, purpose, normalised_value)
    previous = keyring.previous_index_key
    if previous is None:
        return (current,)
    return current, _index_with(previous.key, purpose, normalised_value)


def _index_with(index_key: bytes, purpose: str, normalised_value: str) -> bytes:
    require_id(purpose, "purpose")
    if not isinstance(normalised_value, str):
        raise TypeError(f"normalised_value must be str, got {type(normalised_value).__name__}")
    mac = hmac.HMAC(_subkey(index_key, purpose), hashes.SHA256())
    mac.update(normalised_value.encode("utf-8"))
    return mac.finalize()[:INDEX_LENGTH]


def code_lookup_hash(keyring: Keyring, code: str) -> bytes:
    """Blind index of a resident login code, so codes are never stored in clear.

    The code is hashed as given; the codes module owns its alphabet and normalisation (case,
    separators) and must apply it before calling. Note a short code is brute-forceable if the
    index key leaks, so rate limiting and code length remain necessary.
    """
    if not isinstance(code, str) or not code:
        raise ValueError("code must be a non-empty str")
    return blind_index(keyring, PURPOSE_RESIDENT_CODE, code)


def code_lookup_candidates(keyring: Keyring, code: str) -> tuple[bytes, ...]:
    """:func:`code_lookup_hash` under the current, then the previous index key (if kept)."""
    if not isinstance(code, str) or not code:
        raise ValueError("code must be a non-empty str")
    return blind_index_candidates(keyring, PURPOSE_RESIDENT_CODE, code)


def _ascii_digits(text: str) -> str:
    """Map every Unicode decimal digit (Arabic-Indic, Persian, full-width...) to ASCII 0-9."""
    out = []
    for ch in text:
        digit = unicodedata.decimal(ch, None)
        out.append(str(digit) if digit is not None else ch)
    return "".join(out)


def normalise_duf(text: str) -> str:
    """Keep only the digits of a DUF number, as ASCII: "2019 1234-5678" -> "201912345678".

    Residents type on phones set to many scripts; "١٢٣" and "123" must give the same index.
    Only decimal digits count (superscripts and the like are dropped). Length is not checked.
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, got {type(text).__name__}")
    digits = (unicodedata.decimal(ch, None) for ch in text)
    return "".join(str(digit) for digit in digits if digit is not None)


def _drop_from_name(ch: str) -> bool:
    # Z*: spaces and line/paragraph separators; P*: punctuation (hyphens, apostrophes, dots);
    # Cc/Cf: control and invisible format characters (tabs, zero-width joiners, direction
    # marks), which copy-paste between apps adds unpredictably.
    category = unicodedata.category(ch)
    return category[0] in "ZP" or category in ("Cc", "Cf")


def normalise_name_dob(name: str, birth: str) -> str:
    """Normalise a (name, birth) pair for a duplicate-registration lookup.

    Name: Unicode NFKC (full-width letters, ligatures and compatibility forms to their plain
    form), case-folded, with all whitespace, punctuation and invisible characters removed, so
    "  Ali  Hassan " and "ali-hassan" match. Birth: as given (e.g. "1990" or "1990-05-01"),
    only NFKC-normalised, trimmed and with digits of any script mapped to ASCII; choosing the
    precision is the caller's job. Diacritics are kept: they can distinguish names.
    """
    if not isinstance(name, str) or not isinstance(birth, str):
        raise TypeError("name and birth must be str")
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())
    clean_name = "".join(ch for ch in folded if not _drop_from_name(ch))
    clean_birth = _ascii_digits(unicodedata.normalize("NFKC", birth).strip())
    return clean_name + _NAME_BIRTH_SEPARATOR + clean_birth
