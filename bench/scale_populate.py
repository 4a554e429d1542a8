"""Many registrations, written cheaply, for ``bench.scale_bench``.

The demo generator (``selfreg.demo``) draws every person anew and creates each registration
with its own flush and code hash: about 300 s for 100,000. Here a pool of demo people's answers
is drawn once and reused, with a DUF number and a date of birth of each registration's own (so
the blind indexes do not make everyone a duplicate of someone). Per batch of 2,000: one INSERT
of the registration rows, their answers through ``PersonalStore.add_new_registrations`` (the
path imports and the demo take: encrypted under each registration's own data key, one INSERT),
and one UPDATE writing back the blind indexes it computed.

The spread: ``CENTRES`` centres in ``REGIONS`` regions, registrations spread evenly over them
except the first centre, a large one (``FIRST_CENTRE_WEIGHT`` times the others), where the
benchmark's guide works: so the guide's and the region's lists show a full page of 50 at
1,000 registrations already, and a larger database changes what is counted and searched, not
how many rows a page shows. Registrations are dated over the last four months; 40 % submitted
(every step answered, and the statistics facts a submission keeps; a quarter of those
exported, a tenth followed up), 30 % in progress (the first steps answered), 30 % not started.
"""
from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

CENTRES = 100
FIRST_CENTRE_WEIGHT = 8
REGIONS = 11
POOL = 400
BATCH = 2000
SPREAD_DAYS = 120
SUBMITTED_SHARE, IN_PROGRESS_SHARE = 0.40, 0.30


@dataclass(frozen=True)
class World:
    centre_ids: list[int]
    region_ids: list[int]
    guide_centre_id: int  # the centre the benchmark's guide works at
    counsellor_region_id: int  # the region the benchmark's counsellor follows


def make_world(session: Session) -> World:
    from selfreg.demo.texts import MUNICIPALITIES
    from selfreg.models import Centre, Region

    regions = [Region(name=f"Region {n + 1:02d}") for n in range(REGIONS)]
    session.add_all(regions)
    session.flush()
    centres = [Centre(name=f"Mottak {n + 1:03d}",
                      municipality=MUNICIPALITIES[n % len(MUNICIPALITIES)],
                      region_id=regions[n % REGIONS].id) for n in range(CENTRES)]
    session.add_all(centres)
    session.commit()
    return World([c.id for c in centres], [r.id for r in regions], centres[0].id, regions[0].id)


def _pool(today: date) -> list[dict[str, Any]]:
    from selfreg.demo.people import Person

    return [Person(7, number, today).answers() for number in range(POOL)]


def _own_answers(base: dict[str, Any], rng: random.Random, serial: int) -> dict[str, Any]:
    answers = dict(base)
    if "origin" in base:
        origin = {k: v for k, v in base["origin"].items() if k != "duf_number"}
        if rng.random() < 0.85:
            origin["duf_number"] = f"{rng.randint(2015, 2025)}{serial % 10**8:08d}"
        answers["origin"] = origin
    if "birth" in base:
        born = date(1960, 1, 1) + timedelta(days=rng.randrange(365 * 45))
        answers["birth"] = {"birth_date": born.isoformat()}
    return answers


def _first_steps(answers: dict[str, Any], count: int) -> dict[str, Any]:
    from selfreg.questionnaire.catalogue import CATALOGUE

    kept = {}
    for step in CATALOGUE.steps:
        if len(kept) >= count:
            break
        if step.key in answers:
            kept[step.key] = answers[step.key]
    return kept


def populate(session: Session, keyring, world: World, count: int, *, seed: int = 3,
             progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Add ``count`` registrations; returns how many of each status."""
    from sqlalchemy import bindparam, insert, update

    from selfreg.crypto import new_dek, wrap_dek, wrapped_key_id
    from selfreg.i18n import SUPPORTED_LOCALES
    from selfreg.models import Registration, RegistrationStatus, new_id, utcnow
    from selfreg.questionnaire.catalogue import VERSION
    from selfreg.storage import PersonalStore

    table = Registration.__table__
    rng = random.Random(seed)  # nosec B311: made-up people for a benchmark
    now = utcnow()
    pool = _pool(now.date())
    statuses = {RegistrationStatus.SUBMITTED: 0, RegistrationStatus.IN_PROGRESS: 0,
                RegistrationStatus.NEW: 0}
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        rows, answered = [], []
        for offset in range(size):
            serial = done + offset
            row = _registration_row(rng, world, serial, now, keyring, new_id, new_dek,
                                    wrap_dek, wrapped_key_id, SUPPORTED_LOCALES)
            draw = rng.random()
            answers: dict[str, Any] = {}
            if draw < SUBMITTED_SHARE + IN_PROGRESS_SHARE:
                answers = _own_answers(pool[serial % POOL], rng, serial)
                row["consented_at"] = row["created_at"] + timedelta(minutes=rng.uniform(1, 30))
                row["catalogue_version"] = VERSION
                row["updated_at"] = row["consented_at"] + timedelta(minutes=rng.uniform(5, 90))
            if draw < SUBMITTED_SHARE:
                row["status"] = RegistrationStatus.SUBMITTED
                row["submitted_at"] = row["updated_at"]
                if rng.random() < 0.25:
                    row["exported_at"] = row["submitted_at"] + timedelta(days=1)
                if rng.random() < 0.10:
                    row["followed_up_at"] = row["submitted_at"] + timedelta(days=2)
            elif answers:
                row["status"] = RegistrationStatus.IN_PROGRESS
                answers = _first_steps(answers, rng.randint(1, len(answers) - 1))
            row["steps_done"] = len(answers)
            statuses[row["status"]] += 1
            rows.append(row)
            if answers:
                # A stand-in the store reads the id and data key from and writes indexes to.
                answered.append((Registration(id=row["id"], wrapped_dek=row["wrapped_dek"]),
                                 answers, row))
        session.execute(insert(table), rows)
        store = PersonalStore(session, keyring)
        store.add_new_registrations([(stand_in, answers, {}) for stand_in, answers, _row in answered])
        if answered:
            # Indexes as the store computed them, and the statistics facts a submission keeps
            # (stats_facts.keep); updated_at given, else the UPDATE stamps now.
            session.execute(
                update(table).where(table.c.id == bindparam("rid")).values(
                    duf_index=bindparam("duf"), name_dob_index=bindparam("name_dob"),
                    stats_facts=bindparam("facts"), updated_at=bindparam("changed")),
                [{"rid": row["id"], "duf": stand_in.duf_index,
                  "name_dob": stand_in.name_dob_index, "changed": row["updated_at"],
                  "facts": _facts(store, stand_in, answers, row)}
                 for stand_in, answers, row in answered])
        session.commit()
        session.expunge_all()
        done += size
        if progress is not None and (done % 20_000 == 0 or done == count):
            progress(f"{done} of {count} registrations")
    return statuses


def _facts(store, stand_in, answers: dict[str, Any], row: dict[str, Any]) -> bytes | None:
    from selfreg.exports import stats_facts
    from selfreg.models import RegistrationStatus

    if row["status"] != RegistrationStatus.SUBMITTED:
        return None
    stats_facts.keep(store, stand_in, answers)
    return stand_in.stats_facts


def _centre_of(world: World, serial: int) -> int:
    """Round robin over the centres, the first one ``FIRST_CENTRE_WEIGHT`` times per round."""
    turn = serial % (len(world.centre_ids) + FIRST_CENTRE_WEIGHT - 1)
    return world.centre_ids[max(0, turn - FIRST_CENTRE_WEIGHT + 1)]


def _registration_row(rng, world, serial, now, keyring, new_id, new_dek, wrap_dek,
                      wrapped_key_id, locales) -> dict[str, Any]:
    from selfreg.models import RegistrationStatus

    registration_id = new_id()
    wrapped = wrap_dek(keyring, new_dek(), registration_id)
    created = now - timedelta(days=rng.uniform(0, SPREAD_DAYS), hours=2)
    return {
        "id": registration_id, "centre_id": _centre_of(world, serial),
        "code_lookup": os.urandom(16), "link_lookup": None,
        "status": RegistrationStatus.NEW, "locale": rng.choice(locales),
        "catalogue_version": None, "steps_done": 0,
        "wrapped_dek": wrapped, "kek_id": wrapped_key_id(wrapped),
        "duf_index": None, "name_dob_index": None,
        "created_at": created, "updated_at": created, "consented_at": None,
        "submitted_at": None, "erased_at": None, "followed_up_at": None, "exported_at": None,
    }
