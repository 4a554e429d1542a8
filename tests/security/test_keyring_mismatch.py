"""The app refuses to run with a keyring that does not belong to its database."""
from __future__ import annotations

from pathlib import Path

import pytest

from selfreg import create_app
from selfreg.crypto import Keyring, KeyringError


def test_another_keyring_is_refused_at_start(app, tmp_path, monkeypatch):
    stranger = tmp_path / "other-keyring.json"
    Keyring.generate().save(stranger)
    monkeypatch.setenv("SELFREG_KEYRING", str(stranger))
    with pytest.raises(KeyringError, match="mismatch"):
        create_app({"TESTING": True})


def test_another_keyring_in_the_environment_is_refused(app, monkeypatch):
    monkeypatch.setenv("SELFREG_KEYRING_JSON", Keyring.generate().to_json())
    with pytest.raises(KeyringError, match="mismatch"):
        create_app({"TESTING": True})


def test_deleted_keyring_is_refused_not_replaced(app):
    path = Path(app.config["SELFREG_KEYRING"])
    path.unlink()
    with pytest.raises(KeyringError) as refused:
        create_app({"TESTING": True})
    message = str(refused.value)
    assert "no keyring was found" in message and "Restore the keyring" in message
    assert not path.exists()  # no new keyring was made over the existing data


def test_the_same_keyring_starts(app):
    assert create_app({"TESTING": True}).extensions["selfreg.keyring"].keyring_id == (
        app.extensions["selfreg.keyring"].keyring_id
    )
