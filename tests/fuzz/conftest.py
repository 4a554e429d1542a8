"""Fixtures for the fuzz tests. Checks and helpers are in support.py, strategies in hostile.py."""
from __future__ import annotations

import functools
import logging

import pytest
from werkzeug.security import generate_password_hash

from selfreg import accounts

# Shared rather than repeated: pytest finds fixtures imported into a conftest.
from tests.staff.conftest import login, make_user, registration_in, world  # noqa: F401

from .cases import exported, puller  # noqa: F401
from .support import SERVER_ERRORS, Resident, walk_every_branch


@pytest.fixture(autouse=True)
def quick_password_hashes(monkeypatch):
    """Scrypt at full cost takes a quarter of a second a hash, and these tests log in often;
    they test the forms, not the hash (tests/staff/test_login.py does)."""
    cheap = functools.partial(generate_password_hash, method="scrypt:1024:8:1")
    monkeypatch.setattr(accounts, "generate_password_hash", cheap)
    monkeypatch.setattr(accounts, "_DUMMY_HASH", cheap("not a real password"))


@pytest.fixture(autouse=True)
def server_errors():
    """Tracebacks of server errors, for the failure message (see support.assert_answered)."""
    logger = logging.getLogger("selfreg.errors")
    logger.addHandler(SERVER_ERRORS)
    SERVER_ERRORS.tracebacks.clear()
    yield SERVER_ERRORS
    logger.removeHandler(SERVER_ERRORS)


@pytest.fixture
def resident(app, create_registration) -> Resident:
    registration_id, code, _token = create_registration()
    return Resident(app, walk_every_branch(app, code, submit=False), registration_id)
