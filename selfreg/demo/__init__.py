"""Fake, submitted registrations for demos and benchmarks (``flask --app selfreg demo-data``).

People are spread evenly over every supported page language, with names and free text in that
language's script (``texts``) and answers that follow the questionnaire (``people``). Everything
goes through the same store as real answers, encrypted under each person's own key. The same
seed gives the same people. Commits come every ``batch_size`` people, with a fresh store each
time, so 100,000 people need no more memory than 1,000.
"""
from __future__ import annotations

from datetime import timedelta
from typing import Callable

from sqlalchemy.orm import Session

from ..crypto import Keyring
from ..exports import stats_facts
from ..exports.bulk import save_new_answers
from ..models import Centre, Registration, utcnow
from ..questionnaire import flow
from ..questionnaire.catalogue import CATALOGUE, VERSION
from ..registrations import create_registrations, record_consent, submit
from ..storage import PersonalStore
from .people import Person

BATCH_SIZE = 1000
SPREAD_DAYS = 120  # registrations are dated over the last four months


def _date(person: Person, registration: Registration, now) -> None:
    """Consented, answered and submitted on one day within the spread, as a person would."""
    # At least two hours ago, so that the submission (up to 90 minutes later) is in the past.
    started = now - timedelta(days=person.rng.uniform(0, SPREAD_DAYS), hours=2)
    registration.created_at = started - timedelta(days=person.rng.uniform(0, 3))
    registration.consented_at = started
    registration.submitted_at = started + timedelta(minutes=person.rng.uniform(15, 90))
    registration.updated_at = registration.submitted_at


def add_demo_people(
    session: Session,
    keyring: Keyring,
    centre: Centre,
    count: int,
    progress: Callable[[str], None] | None = None,
    *,
    seed: int = 1,
    batch_size: int = BATCH_SIZE,
    first: int = 0,
) -> int:
    """Add ``count`` submitted registrations to ``centre``; returns how many were added.

    ``first`` numbers the people (person n always has the same answers for a seed), so a second
    run can add different people. ``progress`` gets a line after each committed batch.
    """
    now = utcnow()
    today = now.date()
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        batch = []
        for offset, created in enumerate(create_registrations(session, keyring, centre, size)):
            person = Person(seed, first + done + offset, today)
            answers = person.answers()
            registration = created.registration
            record_consent(registration, person.locale, VERSION)
            registration.steps_done = len(flow.applicable_steps(CATALOGUE, answers))
            submit(registration)
            batch.append((registration, answers, person))
        store = PersonalStore(session, keyring)
        save_new_answers(session, store, [(r, a, {}) for r, a, _p in batch])
        for registration, answers, person in batch:
            stats_facts.keep(store, registration, answers)
            _date(person, registration, now)  # after the saves, which set updated_at to now
        session.commit()
        done += size
        if progress is not None:
            progress(f"{done} of {count} demo people added")
    return done
