"""Saving every step of registrations that have no answers yet: imports and demo data.

``PersonalStore.save_step`` looks for the step's row first, and that query flushes everything
pending; for a registration without rows the flush finds nothing to wait for and is most of
the time a save takes (about 25 of them per person). Only one save reads another step back:
the name + birth index reads the saved name. So names go first, then one flush, then the rest
without flushing. The caller commits.
"""
from __future__ import annotations

from typing import Any, Mapping, Sequence

from sqlalchemy.orm import Session

from ..models import Registration
from ..storage import PersonalStore

FIRST = "name"

# (registration, {step: values}, {step: staff user id} for steps staff saved last)
NewAnswers = tuple[Registration, Mapping[str, Any], Mapping[str, int]]


def save_new_answers(session: Session, store: PersonalStore, batch: Sequence[NewAnswers]) -> None:
    """Store every step of each new registration in ``batch``, with two flushes in all."""
    with session.no_autoflush:
        for registration, answers, changed_by in batch:
            if FIRST in answers:
                store.save_step(registration, FIRST, answers[FIRST],
                                changed_by_user_id=changed_by.get(FIRST))
    session.flush()
    with session.no_autoflush:
        for registration, answers, changed_by in batch:
            for step, values in answers.items():
                if step != FIRST:
                    store.save_step(registration, step, values,
                                    changed_by_user_id=changed_by.get(step))
    session.flush()
