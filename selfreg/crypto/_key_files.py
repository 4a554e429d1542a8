"""The armoured text format of bundle key files, and writing them without overwriting.

Why text and not DER: these files are mailed to and from the case system's operators, pasted
into tickets and compared by eye. A first line that names the kind and version of the file lets
a person (and the loader) tell a public key from a private one; the algorithm line says what the
bytes are without any ASN.1 tooling; the fingerprint line lets two people compare keys over the
phone, and the loader checks it, so a damaged or hand-edited file fails loudly.

Layout (lines end in LF; CR before LF is tolerated)::

    <kind> v1
    algorithm: <name>
    fingerprint: <16 hex digits>
    <standard base64 of the key bytes, 64 characters a line>

Why never overwrite: a private key replaced by a new one makes every bundle already sealed to
the old public key unreadable, so writing refuses an existing path (O_EXCL).
"""
from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from .sealed_errors import KeyFileError

__all__ = ["armour", "dearmour", "read_key_text", "remove_quietly", "write_new_file"]

_VERSION = "v1"
_LINE = 64
_MAX_FILE = 16 * 1024  # the largest key file is about 1.7 KB


def armour(kind: str, algorithm: str, fingerprint: str, payload: bytes) -> str:
    """Key bytes as armoured text, ending in a newline."""
    body = base64.b64encode(payload).decode("ascii")
    lines = [f"{kind} {_VERSION}", f"algorithm: {algorithm}", f"fingerprint: {fingerprint}"]
    lines += [body[i : i + _LINE] for i in range(0, len(body), _LINE)]
    return "\n".join(lines) + "\n"


def dearmour(
    text: str, *, kind: str, algorithm: str, length: int, source: str
) -> tuple[bytes, str]:
    """Return ``(payload, fingerprint)`` from armoured text, or raise KeyFileError.

    ``source`` names the file (or "text") in messages. The caller checks the fingerprint against
    the key it builds from the payload.
    """
    lines = [line.rstrip("\r") for line in text.split("\n")]
    while lines and not lines[-1].strip():
        lines.pop()
    if len(lines) < 4:
        raise KeyFileError(f"{source} is not a {kind} file (too short)")
    first = lines[0].split(" ")
    if len(first) != 2 or not first[0].startswith("selfreg-"):
        raise KeyFileError(f"{source} is not a {kind} file")
    if first[0] != kind:
        raise KeyFileError(f"{source} is a {first[0]} file, not a {kind} file")
    if first[1] != _VERSION:
        raise KeyFileError(f"{source} has unsupported version {first[1][:8]!r} (expected v1)")
    found_algorithm = _field(lines[1], "algorithm", source)
    if found_algorithm != algorithm:
        raise KeyFileError(
            f"{source} holds a {found_algorithm[:40]!r} key, expected {algorithm!r}"
        )
    fingerprint = _field(lines[2], "fingerprint", source)
    try:
        payload = base64.b64decode("".join(line.strip() for line in lines[3:]), validate=True)
    except (binascii.Error, ValueError):
        raise KeyFileError(f"{source} has a garbled key (not base64)") from None
    if len(payload) != length:
        raise KeyFileError(f"{source} has a key of {len(payload)} bytes, expected {length}")
    return payload, fingerprint


def _field(line: str, name: str, source: str) -> str:
    prefix = f"{name}: "
    if not line.startswith(prefix) or not line[len(prefix) :].strip():
        raise KeyFileError(f"{source} lacks its '{name}:' line")
    return line[len(prefix) :].strip()


def read_key_text(path: Path) -> str:
    """Read a key file as UTF-8 text; KeyFileError if missing, unreadable or far too large."""
    try:
        with open(path, "rb") as handle:
            data = handle.read(_MAX_FILE + 1)
    except FileNotFoundError:
        raise KeyFileError(f"key file not found: {path}") from None
    except OSError as exc:
        raise KeyFileError(f"cannot read key file {path}: {type(exc).__name__}") from None
    if len(data) > _MAX_FILE:
        raise KeyFileError(f"{path} is too large to be a key file")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise KeyFileError(f"{path} is not a text key file") from None


def write_new_file(path: Path, data: bytes, mode: int) -> None:
    """Create ``path`` with ``mode`` and write ``data``; refuse if it exists.

    The mode is set at creation (and again with fchmod, whatever the umask), so a private key is
    never readable by others, not even for a moment.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    except FileExistsError:
        raise KeyFileError(f"{path} already exists; refusing to overwrite a key") from None
    except OSError as exc:
        raise KeyFileError(f"cannot create {path}: {type(exc).__name__}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), mode)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        remove_quietly(path)
        raise KeyFileError(f"cannot write {path}: {type(exc).__name__}") from None


def remove_quietly(path: Path) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
