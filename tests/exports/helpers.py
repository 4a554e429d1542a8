"""Small helpers shared by the case-file tests."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from selfreg.exports import json_line
from selfreg.models import Role, User

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "docs" / "case-file.schema.json"
STAFF_CONTACT = {"phone": "+47 400 00 000", "municipality": "Bergen"}


def add_staff_user(session, email: str = "counsellor@example.org") -> int:
    user = User(email=email, role=Role.COUNSELLOR, password_hash="!")
    session.add(user)
    session.flush()
    return user.id


def lines_of(documents: list[dict[str, Any]]) -> list[bytes]:
    return [json_line(document) for document in documents]
