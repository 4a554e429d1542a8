"""Does a page get slower as the database fills? 1,000 registrations against 100,000.

Run: ``python -m bench.scale_bench [--sizes 1000,100000] [--reps 60] [--postgres-url URL]``

For each size a fresh installation (a temporary instance folder; SQLite, or a database of its
own on PostgreSQL with ``--postgres-url``) is filled cheaply (``bench.scale_populate``: 100
centres in 11 regions, 40 % submitted with every step answered, 30 % in progress, 30 % not
started; the first centre a large one, so that its lists show a full page at every size), plus
one resident in that centre who has answered everything, a guide of that centre and a
counsellor of its region, each signed in through the real login pages (password
and TOTP; CSRF on). Then, in this process with Flask's test client, interleaved, ``--reps``
times each, median:

  page        ``GET /q/<step>``, every step page of the walk in turn (gzip);
  save        ``POST /q/<step>/save`` as the page's script sends it (CSRF token, revision,
              idempotency key), every plain step in turn;
  guide       ``GET /staff/guide``: the guide's dashboard (counts, first page of 50);
  counsellor  ``GET /staff/counsellor``: the region's list of submitted profiles.

Printed: each median per size, and largest / smallest (target <= 1.2). Also the time of the
statistics (``stats.compute``, what ``flask stats`` runs: each submitted person's facts,
kept at submission, decrypted once; ``selfreg.exports.stats_facts``) at each size, and how long
filling took. No timing is asserted anywhere.
"""
from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from . import load_residents, scale_populate

TARGET_RATIO = 1.2
SECRET_KEY = "scale-bench-secret-key-0123456789abcdefghijkl"
PASSWORD = "scale bench password 0123456789"
MEASURES = ("page", "save", "guide", "counsellor")
LABELS = {"page": "resident page GET", "save": "resident save POST",
          "guide": "guide dashboard GET", "counsellor": "counsellor list GET"}
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_CLEARED = ("SELFREG_DATABASE_URL", "SELFREG_KEYRING", "SELFREG_KEYRING_JSON", "SELFREG_ENV",
            "SELFREG_SIGNING_KEY", "SELFREG_TRUSTED_PROXIES")


@dataclass
class SizeResult:
    n: int
    statuses: dict[str, int]
    populate_seconds: float
    medians_ms: dict[str, float] = field(default_factory=dict)
    cpu_medians_ms: dict[str, float] = field(default_factory=dict)  # this thread's CPU time
    stats_seconds: float = 0.0
    stats_people: int = 0


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _app(instance: Path, database_url: str | None):
    os.environ.update(SELFREG_INSTANCE=str(instance), SELFREG_SECRET_KEY=SECRET_KEY)
    for name in _CLEARED:
        os.environ.pop(name, None)
    if database_url:
        os.environ["SELFREG_DATABASE_URL"] = database_url
    from selfreg import create_app
    from selfreg.cli import init_database

    app = create_app({})
    logging.disable(logging.WARNING)
    init_database(app)
    return app


# --- signed-in clients -----------------------------------------------------------------------

def _staff_client(app, role: str, *, centre_id: int | None = None, region_id: int | None = None):
    """A test client logged in as a new staff user through the login pages (CSRF on)."""
    from selfreg import accounts, db, keys
    from selfreg.crypto import totp
    from selfreg.models import Centre, Region, User

    email = f"{role}-{uuid.uuid4().hex[:8]}@bench.example.no"
    with app.app_context():
        session = db.session()
        user = accounts.create_user(
            session, email, role, PASSWORD,
            centres=[session.get(Centre, centre_id)] if centre_id else [],
            region=session.get(Region, region_id) if region_id else None)
        session.commit()
        user_id = user.id
    client = app.test_client()
    client.set_cookie("selfreg_staff_lang", "nb", path="/staff")
    token = _CSRF.search(client.get("/staff/").get_data(as_text=True)).group(1)
    answer = client.post("/staff/", data={"email": email, "password": PASSWORD,
                                          "csrf_token": token})
    assert answer.status_code == 303, answer.status_code
    token = _CSRF.search(client.get("/staff/totp").get_data(as_text=True)).group(1)
    with app.app_context():
        secret = accounts.totp_secret(keys.keyring(), db.session().get(User, user_id))
    answer = client.post("/staff/totp", data={"code": totp.code_at(secret, time.time()),
                                              "csrf_token": token})
    assert answer.status_code == 303, answer.status_code
    return client


class Resident:
    """One signed-in resident in the guide's centre, with every step answered."""

    def __init__(self, app, centre_name: str) -> None:
        self.walk = load_residents.walk()
        code = load_residents.create(app, 1, centre_name)[0]
        self.person = load_residents.sign_in(app, code)
        load_residents.read_revisions(app, [self.person], [code])
        self.client = app.test_client()
        self.client.set_cookie(load_residents.COOKIE, self.person.cookie.split("=", 1)[1])
        self.turn = 0

    def page(self) -> None:
        self.turn += 1
        url = self.walk.pages[self.turn % len(self.walk.pages)]
        answer = self.client.get(url, headers={"Accept-Encoding": "gzip"})
        assert answer.status_code == 200, (url, answer.status_code)

    def save(self) -> None:
        self.turn += 1
        steps = list(self.walk.saves)
        step = steps[self.turn % len(steps)]
        body = load_residents.save_body(self.walk, self.person, step, str(uuid.uuid4()))
        answer = self.client.post(f"/q/{step}/save", data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Accept-Encoding": "gzip"})
        assert answer.status_code == 200, (step, answer.status_code)
        self.person.revisions[step] = answer.get_json()["revision"]


def _getter(client, url: str):
    def get() -> None:
        answer = client.get(url)
        assert answer.status_code == 200, (url, answer.status_code)
    return get


# --- one size --------------------------------------------------------------------------------

def measure_size(n: int, reps: int, database_url: str | None) -> SizeResult:
    from selfreg import db, keys
    from selfreg.exports import stats
    from selfreg.models import Centre

    with tempfile.TemporaryDirectory(prefix=f"selfreg-scale-{n}-") as folder:
        app = _app(Path(folder) / "instance", database_url)
        with app.app_context():
            session = db.session()
            world = scale_populate.make_world(session)
            _log(f"n={n}: writing registrations")
            started = time.perf_counter()
            statuses = scale_populate.populate(session, keys.keyring(), world, n, progress=_log)
            populated = time.perf_counter() - started
            centre_name = session.get(Centre, world.guide_centre_id).name
        result = SizeResult(n, statuses, populated)
        resident = Resident(app, centre_name)
        guide = _staff_client(app, "guide", centre_id=world.guide_centre_id)
        counsellor = _staff_client(app, "counsellor", region_id=world.counsellor_region_id)
        actions = {"page": resident.page, "save": resident.save,
                   "guide": _getter(guide, "/staff/guide"),
                   "counsellor": _getter(counsellor, "/staff/counsellor")}
        for action in actions.values():  # warm-up: imports, templates, statement caches
            for _ in range(5):
                action()
        timings: dict[str, list[float]] = {name: [] for name in actions}
        cpu: dict[str, list[float]] = {name: [] for name in actions}
        _log(f"n={n}: timing {reps} x {', '.join(actions)}")
        for _ in range(reps):
            for name, action in actions.items():
                begun, begun_cpu = time.perf_counter(), time.thread_time()
                action()
                cpu[name].append(time.thread_time() - begun_cpu)
                timings[name].append(time.perf_counter() - begun)
        result.medians_ms = {name: statistics.median(times) * 1000
                             for name, times in timings.items()}
        result.cpu_medians_ms = {name: statistics.median(times) * 1000
                                 for name, times in cpu.items()}
        _log(f"n={n}: statistics over every submitted registration")
        with app.app_context():
            begun = time.perf_counter()
            computed = stats.compute(db.session(), keys.keyring())
            result.stats_seconds = time.perf_counter() - begun
            result.stats_people = computed.people or 0
        from selfreg.db import database

        database(app).engine.dispose()
    return result


def run(sizes: list[int], reps: int, postgres_url: str | None = None) -> list[SizeResult]:
    saved = dict(os.environ)
    results = []
    try:
        for n in sizes:
            if postgres_url:
                from .load import PostgresDatabase

                postgres = PostgresDatabase(postgres_url)
                try:
                    results.append(measure_size(n, reps, postgres.url))
                finally:
                    postgres.drop()
            else:
                results.append(measure_size(n, reps, None))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return results


# --- the report ------------------------------------------------------------------------------

def ratios(results: list[SizeResult], cpu: bool = False) -> dict[str, float]:
    small = min(results, key=lambda r: r.n)
    large = max(results, key=lambda r: r.n)
    if cpu:
        return {name: large.cpu_medians_ms[name] / small.cpu_medians_ms[name]
                for name in MEASURES}
    return {name: large.medians_ms[name] / small.medians_ms[name] for name in MEASURES}


def rows(sizes: tuple[int, ...] = (1000, 20000), reps: int = 30) -> list[dict]:
    """The figures as rows (measure, value, unit, target) for ``python -m bench``."""
    results = run(list(sizes), reps)
    out = []
    for r in results:
        for name in MEASURES:
            out.append({"measure": f"{LABELS[name]}, n={r.n}",
                        "value": round(r.medians_ms[name], 2), "unit": "ms", "target": ""})
            out.append({"measure": f"{LABELS[name]} CPU, n={r.n}",
                        "value": round(r.cpu_medians_ms[name], 2), "unit": "ms", "target": ""})
        out.append({"measure": f"statistics over {r.stats_people} submitted, n={r.n}",
                    "value": round(r.stats_seconds, 1), "unit": "s", "target": ""})
    if len(results) > 1:
        large, small = max(sizes), min(sizes)
        for cpu in (False, True):
            for name, ratio in ratios(results, cpu).items():
                out.append({"measure": f"{LABELS[name]}{' CPU' if cpu else ''} "
                                       f"n={large}/n={small}",
                            "value": round(ratio, 3), "unit": "", "target": f"<= {TARGET_RATIO}"})
    return out


def table(results: list[SizeResult], reps: int, database: str) -> str:
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [f"selfreg scale bench ({database}; medians of {reps} requests each, interleaved; "
             f"load average {load})"]
    header = f"{'measure':<32}" + "".join(f"{f'n={r.n:,}':>14}" for r in results)
    if len(results) > 1:
        header += f"{'ratio':>9}  target"
    lines.append(header)
    for cpu in (False, True):
        ratio = ratios(results, cpu) if len(results) > 1 else {}
        for name in MEASURES:
            figures = [r.cpu_medians_ms[name] if cpu else r.medians_ms[name] for r in results]
            label = f"{LABELS[name]} ({'CPU ' if cpu else ''}ms)"
            line = f"{label:<32}" + "".join(f"{figure:>14.2f}" for figure in figures)
            if ratio:
                verdict = "ok" if ratio[name] <= TARGET_RATIO else "MISSED"
                line += f"{ratio[name]:>9.3f}  <= {TARGET_RATIO} {verdict}"
            lines.append(line)
    lines.append(f"{'statistics (s)':<32}" + "".join(f"{r.stats_seconds:>14.1f}" for r in results))
    lines.append(f"{'  people counted':<32}" + "".join(f"{r.stats_people:>14,}" for r in results))
    lines.append(f"{'  per person (ms)':<32}" + "".join(
        f"{1000 * r.stats_seconds / max(1, r.stats_people):>14.2f}" for r in results))
    lines.append(f"{'filling the database (s)':<32}" + "".join(
        f"{r.populate_seconds:>14.1f}" for r in results))
    for r in results:
        lines.append(f"n={r.n:,}: " + ", ".join(f"{k} {v:,}" for k, v in r.statuses.items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,100000",
                        help="comma-separated numbers of registrations (default 1000,100000)")
    parser.add_argument("--reps", type=int, default=60, help="requests per measure and size")
    parser.add_argument("--postgres-url", default=None,
                        help="PostgreSQL maintenance database URL (default: SQLite)")
    args = parser.parse_args(argv)
    sizes = sorted(int(part) for part in args.sizes.split(",") if part.strip())
    if not sizes or sizes[0] < 1:
        parser.error("--sizes needs positive numbers")
    started = time.perf_counter()
    results = run(sizes, args.reps, args.postgres_url)
    print(table(results, args.reps, "PostgreSQL" if args.postgres_url else "SQLite"))
    print(f"(whole run {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
