"""The installation's Ed25519 signing key: every sealed export is signed with it.

Kept as a PKCS#8 PEM file (mode 0600) at ``SELFREG_SIGNING_KEY`` (default: ``signing_key.pem`` in
the instance folder), made by ``init-db`` when missing, like the keyring. Its public half is
written beside it (``.pub``) to hand to the case system, which checks every bundle against it.
"""
from __future__ import annotations

import logging
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import Flask, current_app

from .crypto.sealed_keys import (
    generate_signing_key,
    read_signing_key,
    write_signing_key,
    write_signing_public_key,
)

log = logging.getLogger(__name__)
EXTENSION_KEY = "selfreg.signing_key"


def key_path(app: Flask) -> Path:
    return Path(app.config["SELFREG_SIGNING_KEY"])


def public_key_path(app: Flask) -> Path:
    return key_path(app).with_suffix(".pub")


def ensure_signing_key(app: Flask) -> bool:
    """For ``init-db``: make the key (and its public file) if missing; True when made now."""
    path = key_path(app)
    if path.exists():
        if not public_key_path(app).exists():
            write_signing_public_key(public_key_path(app), read_signing_key(path).public_key())
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    key = generate_signing_key()
    write_signing_key(path, key)
    write_signing_public_key(public_key_path(app), key.public_key())
    log.warning("WARNING: created a new export signing key at %s; give %s to the case system.",
                path, public_key_path(app))
    return True


def signing_key(app: Flask | None = None) -> Ed25519PrivateKey:
    app = app or current_app
    loaded = app.extensions.get(EXTENSION_KEY)
    if loaded is None:
        path = key_path(app)
        if not path.exists():
            raise FileNotFoundError(
                f"No export signing key at {path} (SELFREG_SIGNING_KEY). Run "
                "`flask --app selfreg init-db` to make one, or mount it there."
            )
        loaded = read_signing_key(path)
        app.extensions[EXTENSION_KEY] = loaded
    return loaded


def verifying_key(app: Flask | None = None) -> Ed25519PublicKey:
    return signing_key(app).public_key()
