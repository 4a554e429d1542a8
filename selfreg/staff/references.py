"""The short reference staff use to talk about a registration: part of its random id.

One format on every staff page, printed slip and PDF ("3F9A 0C21"), so a guide and a counsellor
on the phone mean the same registration. It says nothing about the person.
"""
from __future__ import annotations

REFERENCE_LENGTH = 8


def short_reference(registration_id: str) -> str:
    head = registration_id[:REFERENCE_LENGTH].upper()
    return f"{head[:4]} {head[4:]}"
