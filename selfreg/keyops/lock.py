"""One key operation at a time: an exclusive lock on a file beside the keyring.

Why: two runs that each add a key and save the keyring would overwrite each other's file, and
data keys re-wrapped by the loser's key would become unreadable. ``flock`` is released by the
kernel when the process dies, so a crash never leaves a stale lock. It only works among
processes on one host sharing the file system: run key commands from one host (the scheduler).
"""
from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class KeyOperationRunning(RuntimeError):
    """Another key operation holds the lock."""


@contextmanager
def exclusive(keyring_path: str | os.PathLike[str]) -> Iterator[None]:
    """Hold ``<keyring file>.lock`` for the block; KeyOperationRunning if someone else does."""
    path = Path(keyring_path)
    lock_path = path.with_name(path.name + ".lock")
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise KeyOperationRunning(
                "another key operation (rotate-keys, retire-key, reindex, erase, purge) is "
                "running; wait for it to finish"
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock
