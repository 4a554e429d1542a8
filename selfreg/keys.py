"""The app's keyring: where it comes from, and the check that it belongs to this database.

The keyring lives outside the database (a file, or whole in ``SELFREG_KEYRING_JSON``). The
database remembers the id of the keyring it was created with; the app refuses to start with a
missing or different keyring rather than ever making a new one over existing data.

A keyring file is re-read when it changes on disk (``rotate-keys``, ``retire-key``,
``reindex``, ``erase`` and ``purge`` rewrite it from another process). Why: a worker that kept
wrapping new data keys with a key another process has since destroyed would lose that data at
its next restart; one ``stat`` per request is cheap insurance.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import select
from sqlalchemy.exc import OperationalError, ProgrammingError

from .crypto import Keyring, KeyringError
from .db import database
from .models import SystemInfo

log = logging.getLogger(__name__)
EXTENSION_KEY = "selfreg.keyring"
FILE_STATE_KEY = "selfreg.keyring.file-state"
KEYRING_ID = "keyring_id"


class NotInitialised(RuntimeError):
    """The database or keyring has not been set up; run ``flask --app selfreg init-db``."""


def _load_configured(app: Flask) -> Keyring | None:
    text = app.config.get("SELFREG_KEYRING_JSON")
    if text:
        return Keyring.from_json(text)
    path = Path(app.config["SELFREG_KEYRING"])
    if path.exists():
        app.extensions[FILE_STATE_KEY] = _file_state(path)
        return Keyring.load(path)
    return None


def _file_state(path: Path) -> tuple[int, int, int] | None:
    """What changes when the keyring file is rewritten (atomic replace gives a new inode)."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_ino, found.st_mtime_ns, found.st_size


def _reload_if_changed(app: Flask, loaded: Keyring) -> Keyring:
    if app.config.get("SELFREG_KEYRING_JSON"):
        return loaded
    path = Path(app.config["SELFREG_KEYRING"])
    state = _file_state(path)
    if state is None or state == app.extensions.get(FILE_STATE_KEY):
        return loaded  # unchanged, or gone: keep serving with the keys in memory
    fresh = Keyring.load(path)
    # Another keyring put in place of ours would make new data unreadable with the old one.
    fresh.check_keyring_id(loaded.keyring_id)
    app.extensions[EXTENSION_KEY] = fresh
    app.extensions[FILE_STATE_KEY] = state
    log.info("keyring file changed on disk; reloaded it")
    return fresh


def stored_keyring_id(app: Flask) -> str | None:
    """The keyring id the database was initialised with, or None before ``init-db``."""
    try:
        with database(app).session() as db_session:
            row = db_session.scalar(select(SystemInfo).where(SystemInfo.key == KEYRING_ID))
            return row.value if row else None
    except (OperationalError, ProgrammingError):
        return None  # no schema yet


def init_app(app: Flask) -> None:
    keyring = _load_configured(app)
    expected = stored_keyring_id(app)
    if expected is not None:
        if keyring is None:
            raise KeyringError(
                f"This database was set up with keyring {expected}, but no keyring was found "
                f"at {app.config['SELFREG_KEYRING']} (SELFREG_KEYRING). Restore the keyring "
                "from its backup; a new keyring cannot read the existing data."
            )
        keyring.check_keyring_id(expected)
    app.extensions[EXTENSION_KEY] = keyring


def keyring(app: Flask | None = None) -> Keyring:
    """The app's keyring, re-read first if its file was rewritten by another process."""
    app = app or current_app
    found = app.extensions.get(EXTENSION_KEY)
    if found is None:
        raise NotInitialised("No keyring yet. Run `flask --app selfreg init-db` first.")
    return _reload_if_changed(app, found)


def ensure_keyring(app: Flask) -> tuple[Keyring, bool]:
    """For ``init-db``: use the configured keyring, or create one when none exists yet.

    Returns the keyring and whether it was created now.
    """
    existing = app.extensions.get(EXTENSION_KEY)
    if existing is not None:
        return existing, False
    if app.config.get("SELFREG_KEYRING_JSON"):
        raise KeyringError("SELFREG_KEYRING_JSON is set but could not be used.")
    path = Path(app.config["SELFREG_KEYRING"])
    created = Keyring.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    created.save(path)
    app.extensions[FILE_STATE_KEY] = _file_state(path)
    log.warning(
        "WARNING: created a new keyring at %s. Back it up now and keep it apart from database "
        "backups: without it nothing in the database can be read.",
        path,
    )
    app.extensions[EXTENSION_KEY] = created
    return created, True


def save(app: Flask, updated: Keyring) -> None:
    """Write a changed keyring (rotation, retirement) back where it came from."""
    if app.config.get("SELFREG_KEYRING_JSON"):
        raise KeyringError(
            "The keyring comes from SELFREG_KEYRING_JSON; update that secret with the new "
            "keyring printed by the command instead."
        )
    path = Path(app.config["SELFREG_KEYRING"])
    updated.save(path)
    app.extensions[EXTENSION_KEY] = updated
    app.extensions[FILE_STATE_KEY] = _file_state(path)
