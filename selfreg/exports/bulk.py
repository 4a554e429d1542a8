"""Saving every step of registrations that have no answers yet: imports and demo data.

One flush for the new registrations, then all their answers in one INSERT
(``PersonalStore.add_new_registrations``) instead of a read and a write per step. The caller
commits.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from sqlalchemy.orm import Session

from ..models import Registration
from ..storage import PersonalStore

# (registration, {step: values}, {step: staff user id} for steps staff saved last)
NewAnswers = tuple[Registration, Mapping[str, Any], Mapping[str, int]]


def save_new_answers(session: Session, store: PersonalStore, batch: Sequence[NewAnswers]) -> None:
    """Store every step of each new registration in ``batch``."""
    session.flush()
    store.add_new_registrations([(r, dict(a), dict(c)) for r, a, c in batch])
