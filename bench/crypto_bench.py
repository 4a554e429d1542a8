"""What encryption at rest costs: save-and-read, DUF lookup, key rotation.

Run: ``python -m bench.crypto_bench [--n 100000] [--rounds 60] [--lookups 3000]``

(a) A full registration (every step, realistic values) saved and read back through
    ``PersonalStore`` with the real ``FieldCipher`` and with ``NullFieldCipher`` (no
    encryption), on the same code path and database: the ratio is the price of encryption.
    Target <= 1.10.
(b) A DUF-number lookup among N registrations through the blind index, against a plaintext
    indexed lookup on a scratch table with the same numbers. Target ratio <= 2.
(c) Re-wrapping N data keys (``keyops.rotate``), which is also the cost of one erasure or one
    ``purge`` run. Target <= 60 s for 100,000.

The database is a temporary SQLite file with the app's own settings (WAL, secure_delete).
No timing is asserted anywhere; the figures are for people to read.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select
from sqlalchemy.orm import Session, sessionmaker

from selfreg import keyops
from selfreg.crypto import FieldCipher, Keyring, NullFieldCipher, new_dek, wrap_dek
from selfreg.crypto.blind_index import blind_index, normalise_duf
from selfreg.db import make_engine
from selfreg.models import Base, Centre, Registration, new_id
from selfreg.storage import DUF_PURPOSE, CipherFactory, PersonalStore

from . import table_rows

TARGET_SAVE_READ = 1.10
TARGET_LOOKUP = 2.0
TARGET_ROTATION_100K = 60.0


def _entry(n: int, **values: Any) -> dict[str, Any]:
    return {"id": f"{n:012x}", **values}


# One registration as the resident pages store it: every step answered, free text included.
FULL_REGISTRATION: dict[str, Any] = {
    "name": {"given_names": "Amina Tesfay", "family_name": "Haile Gebremedhin"},
    "birth": {"birth_date": "1990-05-17"},
    "origin": {"country_of_origin": "ER", "duf_number": "202312345678"},
    "contact": {"phone": "+47 912 34 567", "municipality": "Bergen"},
    "mother_tongue": {"entries": [_entry(1, language="ti", language_text="Tigrinya")]},
    "literacy": {"reads": "yes", "writes": "little"},
    "norwegian": {"understand": "A1", "speak": "A1", "read": "A1", "write": "none"},
    "english": {"understand": "B1", "speak": "A2", "read": "B1", "write": "A2"},
    "other_languages_any": {"any": "yes"},
    "other_languages": {"entries": [
        _entry(2, language="ar", language_text="Arabic", understand="B2", speak="B1",
               read="A2", write="A1"),
        _entry(3, language="am", language_text="Amharic", understand="B1", speak="B1",
               read="A1", write="none"),
    ]},
    "school": {"attended": "yes"},
    "school_details": {"years": 12, "country": "ER", "completed": "yes"},
    "upper": {"kind": "general"},
    "upper_details": {
        "field": "053", "programme": "Natural sciences", "institution": "Asmara Secondary",
        "country": "ER", "years": 3, "status": "completed", "end_year": 2008,
        "documents": "with_me",
    },
    "higher_any": {"any": "yes"},
    "higher": {"entries": [_entry(
        4, level="6", field="091", programme="Bachelor of Nursing",
        institution="Asmara College of Health Sciences", country="ER", years=4,
        status="interrupted", end_year=2014, how_far="3 of 4 years, all clinical placements",
        reason="war", documents="lost",
    )]},
    "training_any": {"any": "yes"},
    "training": {"entries": [
        _entry(5, kind="course", name="First aid and emergency care", country="ER",
               year=2012, months=2, documents="with_me"),
        _entry(6, kind="licence", name="Licence as assistant nurse", country="ER", year=2013,
               months=None, documents="lost"),
    ]},
    "driving": {"classes": ["B"], "country": "ER"},
    "work_any": {"any": "yes"},
    "work": {"entries": [
        _entry(7, occupation="2221", occupation_text="nurse", arrangement="employed",
               tasks="Cared for patients on a surgical ward, gave medicines, dressed wounds, "
                     "trained new assistants and kept patient records.",
               years=3, country="ER", licence="yes"),
        _entry(8, occupation="5120", occupation_text="cook", arrangement="family",
               tasks="Cooked for the family restaurant, bought food at the market.",
               years=5, country="ER", licence="no"),
    ]},
    "digital": {"digital": ["messages", "internet", "email"], "numeracy": "everyday"},
    "other_skills": {"skills": "Cooking for many people, sewing, looking after children.",
                     "volunteering": "Helped in a health clinic in the refugee camp for a year."},
    "wishes_work": {"work": "2221", "work_text": "nurse",
                    "work_more": "I want to work as a nurse again, first as an assistant."},
    "wishes_education": {"education": "Norwegian course, then nursing authorisation",
                         "need": "yes", "needs": ["norwegian", "recognition", "authorisation"]},
}


class Bench:
    """A temporary database with the app's schema and SQLite settings, and a keyring."""

    def __init__(self, folder: Path) -> None:
        self.engine = make_engine(f"sqlite:///{folder / 'bench.sqlite'}")
        Base.metadata.create_all(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.keyring = Keyring.generate()
        with self.sessions() as session:
            centre = Centre(name="Bench mottak")
            session.add(centre)
            session.commit()
            self.centre_id = centre.id

    def new_registration(self, session: Session, store: PersonalStore) -> Registration:
        registration = Registration(
            id=new_id(), centre_id=self.centre_id, code_lookup=os.urandom(16)
        )
        session.add(registration)
        store.provision(registration)
        return registration


def save_and_read(bench: Bench, factory: CipherFactory) -> float:
    """Seconds to save every step of one new registration, commit, and read it all back."""
    started = time.perf_counter()
    with bench.sessions() as session:
        store = PersonalStore(session, bench.keyring, cipher_factory=factory)
        registration = bench.new_registration(session, store)
        for step, values in FULL_REGISTRATION.items():
            store.save_step(registration, step, values)
        session.commit()
    with bench.sessions() as session:
        loaded = session.get(Registration, registration.id)
        assert loaded is not None
        values = PersonalStore(session, bench.keyring, cipher_factory=factory).load_all(loaded)
    assert len(values) == len(FULL_REGISTRATION)
    return time.perf_counter() - started


def bench_save_read(bench: Bench, rounds: int) -> tuple[float, float]:
    """Median seconds per registration (real cipher, no cipher), runs interleaved."""
    for _ in range(5):  # warm-up: imports, statement caches, file growth
        save_and_read(bench, FieldCipher)
        save_and_read(bench, NullFieldCipher)
    real: list[float] = []
    null: list[float] = []
    for _ in range(rounds):
        real.append(save_and_read(bench, FieldCipher))
        null.append(save_and_read(bench, NullFieldCipher))
    return statistics.median(real), statistics.median(null)


def populate(bench: Bench, n: int) -> tuple[Table, list[str]]:
    """N registrations with real wrapped DEKs and DUF indexes, and a plaintext scratch table."""
    plain = Table(
        "bench_plain_duf", MetaData(),
        Column("id", Integer, primary_key=True),
        Column("duf", String(12), index=True),
    )
    plain.create(bench.engine)
    dufs = [f"{random.randrange(10**11, 10**12)}" for _ in range(n)]
    table = Registration.__table__
    chunk = 5000
    with bench.engine.begin() as connection:
        for start in range(0, n, chunk):
            rows = []
            for duf in dufs[start : start + chunk]:
                registration_id = new_id()
                wrapped = wrap_dek(bench.keyring, new_dek(), registration_id)
                rows.append({
                    "id": registration_id, "centre_id": bench.centre_id,
                    "code_lookup": os.urandom(16), "status": "submitted",
                    "wrapped_dek": wrapped, "kek_id": bench.keyring.active_kek.id,
                    "duf_index": blind_index(bench.keyring, DUF_PURPOSE, duf),
                    "steps_done": 0,
                })
            connection.execute(insert(table), rows)
            connection.execute(
                insert(plain), [{"duf": duf} for duf in dufs[start : start + chunk]]
            )
    return plain, dufs


def bench_lookup(bench: Bench, plain: Table, dufs: list[str], lookups: int) -> tuple[float, float]:
    """Mean seconds per lookup of a typed DUF number: blind index, plaintext."""
    typed = [f"{d[:4]} {d[4:8]} {d[8:]}" for d in random.sample(dufs, lookups)]
    table = Registration.__table__
    with bench.sessions() as session:
        store = PersonalStore(session, bench.keyring)

        def blind(text: str) -> list[Any]:
            index = store.duf_lookup(text)
            return session.execute(select(table.c.id).where(table.c.duf_index == index)).all()

        def clear(text: str) -> list[Any]:
            return session.execute(
                select(plain.c.id).where(plain.c.duf == normalise_duf(text))
            ).all()

        def timed(lookup: Callable[[str], list[Any]]) -> float:
            for text in typed[:50]:
                lookup(text)
            started = time.perf_counter()
            for text in typed:
                assert len(lookup(text)) >= 1
            return (time.perf_counter() - started) / len(typed)

        # Interleave two passes each so that cache warmth favours neither.
        blind_1, clear_1, clear_2, blind_2 = timed(blind), timed(clear), timed(clear), timed(blind)
    return (blind_1 + blind_2) / 2, (clear_1 + clear_2) / 2


def bench_rotation(bench: Bench) -> tuple[float, keyops.RotationStats]:
    with bench.sessions() as session:
        started = time.perf_counter()
        stats = keyops.rotate(session, bench.keyring, save_keyring=lambda _k: None)
        return time.perf_counter() - started, stats


def _row(what: str, figure: str, target: str, ok: bool) -> str:
    return f"{what:<46} {figure:>16}  {target:<12} {'ok' if ok else 'MISSED'}"


def measure(n: int, rounds: int, lookups: int) -> tuple[str, list[tuple[str, str, str, bool]]]:
    """The heading and the rows (measure, figure, target, ok) of one run."""
    with tempfile.TemporaryDirectory(prefix="selfreg-bench-") as folder:
        bench = Bench(Path(folder))
        real, null = bench_save_read(bench, rounds)
        started = time.perf_counter()
        plain, dufs = populate(bench, n)
        populated = time.perf_counter() - started
        blind, clear = bench_lookup(bench, plain, dufs, min(lookups, n))
        seconds, stats = bench_rotation(bench)
        bench.engine.dispose()

    save_ratio, lookup_ratio = real / null, blind / clear
    rotation_target = TARGET_ROTATION_100K * n / 100_000
    heading = (f"selfreg crypto bench: n={n}, rounds={rounds}, lookups={lookups} "
               f"(populating took {populated:.1f} s)")
    # (a) left a few hundred registrations too; they are re-wrapped along with the N.
    return heading, [
        ("(a) save+read one registration, FieldCipher", f"{real * 1000:.2f} ms", "", True),
        ("(a) same with NullFieldCipher", f"{null * 1000:.2f} ms", "", True),
        ("(a) ratio", f"{save_ratio:.3f}", f"<= {TARGET_SAVE_READ}",
         save_ratio <= TARGET_SAVE_READ),
        (f"(b) DUF lookup via blind index, n={n}", f"{blind * 1e6:.1f} us", "", True),
        ("(b) plaintext indexed lookup", f"{clear * 1e6:.1f} us", "", True),
        ("(b) ratio", f"{lookup_ratio:.2f}", f"<= {TARGET_LOOKUP}",
         lookup_ratio <= TARGET_LOOKUP),
        (f"(c) rotation: re-wrap {stats.rewrapped} data keys", f"{seconds:.1f} s",
         f"<= {rotation_target:.0f} s", seconds <= rotation_target),
    ]


def rows(n: int = 10_000, rounds: int = 20, lookups: int = 1000) -> list[dict]:
    """The figures for ``python -m bench`` (small sizes by default)."""
    _heading, measured = measure(n, rounds, lookups)
    return table_rows(measured)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="registrations for (b) and (c)")
    parser.add_argument("--rounds", type=int, default=60, help="registrations saved in (a)")
    parser.add_argument("--lookups", type=int, default=3000, help="DUF lookups in (b)")
    args = parser.parse_args(argv)
    heading, measured = measure(args.n, args.rounds, args.lookups)
    print(heading)
    print(f"{'measure':<46} {'figure':>16}  {'target':<12} result")
    for what, figure, target, ok in measured:
        print(_row(what, figure, target, ok))


if __name__ == "__main__":
    main()
