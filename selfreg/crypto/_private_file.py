"""Reading and atomically writing a secret file (the keyring) with owner-only permissions.

Why atomic: a crash half-way through writing must never leave a truncated keyring, because
losing the keyring means losing every encrypted record. The data goes to a temporary file in
the same directory (created 0o600), is fsynced, then renamed over the target; the directory is
fsynced too so the rename itself survives a power cut.
"""
from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import KeyringError

__all__ = ["read_text", "write_atomically", "permissions_too_open"]


def read_text(path: Path) -> str:
    """Read a UTF-8 keyring file; KeyringError if missing or unreadable."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KeyringError(f"keyring file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise KeyringError(f"cannot read keyring file {path}: {type(exc).__name__}") from None


def write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically; the result has mode 0o600."""
    directory = path.parent
    try:
        fd, tmp_name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise KeyringError(
            f"cannot write keyring in {directory}: {type(exc).__name__}"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # mkstemp already uses 0o600; be explicit
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException as exc:
        try:
            os.unlink(tmp_name)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise KeyringError(f"cannot write keyring file {path}: {type(exc).__name__}") from None
        raise
    _fsync_directory(directory)


def permissions_too_open(path: str | os.PathLike[str]) -> bool:
    """True if the keyring file is accessible to group or others (any of mode bits 0o077).

    Reported rather than enforced so the application can choose to warn (trial setups,
    mounted secrets with odd modes) or to refuse (production).
    """
    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise KeyringError(f"cannot stat keyring file {path}: {type(exc).__name__}") from None
    return bool(stat.S_IMODE(mode) & 0o077)


def _fsync_directory(directory: Path) -> None:
    """Persist the rename itself; best effort on platforms without directory fds."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
