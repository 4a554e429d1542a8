"""Many residents at once: throughput and latency under gunicorn, SQLite and PostgreSQL.

Run: ``python -m bench.load [--clients 32] [--duration 10] [--quick] [--warmup S]
[--postgres-url URL] [--databases sqlite,postgresql] [--workers N] [--threads N] [--keepalive]``

Per database, in one run and on 127.0.0.1 only:
  hello  a bare Flask app (``bench.load_hello``) served the same way: the yardstick;
  start  selfreg's own start page ``GET /`` (no sign-in, no database read, one field): the
         least any selfreg page costs, shown beside the others to say how much of a page's
         cost is the framework and layout every page shares (no target of its own);
  page   ``GET /q/<step>``: every step page of a whole walk in turn, each resident signed in
         with every step answered (the most a page loads and decrypts), gzip as phones ask;
  save   ``POST /q/<step>/save``: what the page's script sends, a plain step's fields with the
         CSRF token, the owner tag, the revision the resident last got back and a new
         idempotency key (UUID) per save, every plain step in turn.
Each is served by gunicorn with the project's ``gunicorn.conf.py`` (its own sizing for this
machine unless ``--workers``/``--threads``; access log to a file) and driven by ``wrk`` (see
``bench.load_wrk`` for why): ``--clients`` residents at once, each request on a new
connection as the documented nginx sends them (``--keepalive``: one kept connection per
resident instead), for ``--duration`` seconds after a warm-up that lasts until the server's
CPU per request settles (the workers' cold start is not what is measured). Every answer must
be a 200 (a save: with a revision): anything else is an error and the exit status is 1.

Besides requests per second and latency, the table shows the server's CPU milliseconds per
request (gunicorn's processes, from /proc) and the ratios computed from them: on a machine
shared with other work they say what the ratios would be with the cores to itself.

Targets (2 cores, 32 clients): page >= 0.40 x hello and save >= 0.25 x hello in requests per
second; p95 <= 50 ms for page and save. PostgreSQL: ``--postgres-url`` or
``SELFREG_TEST_POSTGRES_URL`` (a maintenance database URL); a database of its own is created
and dropped again. Without one PostgreSQL is skipped with a message. Needs ``wrk``
(``apt-get install wrk``). No timing is asserted anywhere; the figures are for people to read.
"""
from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import load_residents, load_wrk
from .load_server import Gunicorn

TARGET_PAGE_RATIO = 0.40
TARGET_SAVE_RATIO = 0.25
TARGET_P95_MS = 50.0
SECRET_KEY = "load-bench-secret-key-0123456789abcdefghijkl"
POSTGRES_VARIABLE = "SELFREG_TEST_POSTGRES_URL"
DATABASES = ("sqlite", "postgresql")
_CLEARED = ("SELFREG_DATABASE_URL", "SELFREG_KEYRING", "SELFREG_KEYRING_JSON", "SELFREG_ENV",
            "SELFREG_SIGNING_KEY", "SELFREG_TRUSTED_PROXIES")


@dataclass(frozen=True)
class Settings:
    clients: int = 32
    duration: float = 10.0
    warmup: float = 30.0  # at most; see warm_up
    workers: int | None = None
    threads: int | None = None
    keepalive: bool = False


@dataclass(frozen=True)
class DatabaseRun:
    database: str
    hello: load_wrk.Result
    start: load_wrk.Result
    page: load_wrk.Result
    save: load_wrk.Result
    workers: int
    threads: int
    load_before: tuple[float, float, float]
    load_after: tuple[float, float, float]


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- databases -------------------------------------------------------------------------------

class PostgresDatabase:
    """A database of its own on the configured server, dropped again at the end."""

    def __init__(self, maintenance_url: str) -> None:
        from sqlalchemy import create_engine
        from sqlalchemy.engine import make_url

        self._url = make_url(maintenance_url)
        self._admin = create_engine(self._url, isolation_level="AUTOCOMMIT", pool_size=1)
        self.name = f"selfreg_load_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{self.name}"')
        self.url = self._url.set(database=self.name).render_as_string(hide_password=False)

    def _execute(self, statement: str) -> None:
        from sqlalchemy import text

        with self._admin.connect() as connection:
            connection.execute(text(statement))

    def drop(self) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin.dispose()


def _environment(instance: Path, folder: Path, database_url: str | None,
                 settings: Settings) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _CLEARED}
    env.update(SELFREG_INSTANCE=str(instance), SELFREG_SECRET_KEY=SECRET_KEY,
               SELFREG_ACCESSLOG=str(folder / "access.log"))
    if database_url:
        env["SELFREG_DATABASE_URL"] = database_url
    if settings.workers:
        env["WEB_CONCURRENCY"] = str(settings.workers)
    if settings.threads:
        env["SELFREG_THREADS"] = str(settings.threads)
    return env


def _make_app(env: dict[str, str]):
    os.environ.clear()
    os.environ.update(env)
    from selfreg import create_app
    from selfreg.cli import init_database

    app = create_app({})
    logging.disable(logging.WARNING)  # migrations and new-keyring notices in a scratch folder
    init_database(app)
    return app


def _settle(app, residents, codes, limit: float = 30.0) -> None:
    """Read the residents' revisions once the server has finished the saves wrk gave up on
    when its time ran out (two reads 0.5 s apart agree)."""
    from selfreg.db import database

    deadline = time.monotonic() + limit
    load_residents.read_revisions(app, residents, codes)
    while True:
        before = [dict(r.revisions) for r in residents]
        time.sleep(0.5)
        load_residents.read_revisions(app, residents, codes)
        if before == [r.revisions for r in residents] or time.monotonic() > deadline:
            break
    database(app).engine.dispose()


# --- one database ----------------------------------------------------------------------------

WARMUP_SLICE = 3.0  # seconds of one warm-up run
WARM_WHEN_WITHIN = 0.15  # warm once server CPU per request moves less than this between slices


def warm_up(server: Gunicorn, scenario: str, path: Path, settings: Settings) -> float:
    """Load in slices until server CPU per request settles (or ``settings.warmup`` is spent).

    Each worker pays once for compiling templates, loading catalogues and code lists (about
    0.6 s of CPU for its first page): measured too early, that cold start is most of the
    figure. Returns the seconds spent."""
    spent, previous = 0.0, None
    while spent < settings.warmup:
        cpu = server.cpu_seconds()
        slice_ = load_wrk.run(server.url, scenario, path, settings.clients, WARMUP_SLICE)
        spent += WARMUP_SLICE
        per_request = (server.cpu_seconds() - cpu) / max(1, slice_.requests)
        if previous is not None and abs(per_request - previous) <= WARM_WHEN_WITHIN * previous:
            break
        previous = per_request
    return spent


def _measure(server: Gunicorn, scenario: str, folder: Path, script: str,
             settings: Settings) -> load_wrk.Result:
    path = folder / f"{scenario}.lua"
    path.write_text(script)
    warm_up(server, scenario, path, settings)
    cpu = server.cpu_seconds()
    result = load_wrk.run(server.url, scenario, path, settings.clients, settings.duration)
    return dataclasses.replace(result, server_cpu_seconds=server.cpu_seconds() - cpu)


def run_database(database: str, database_url: str | None, settings: Settings) -> DatabaseRun:
    saved_env = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix=f"selfreg-load-{database}-") as name:
        folder = Path(name)
        env = _environment(folder / "instance", folder, database_url, settings)
        try:
            app = _make_app(env)
            _log(f"{database}: preparing {settings.clients} residents")
            residents, walk, codes = load_residents.prepare(app, settings.clients)
            from selfreg.db import database as app_database

            app_database(app).engine.dispose()
            load_before = os.getloadavg()
            _log(f"{database}: hello")
            with Gunicorn("bench.load_hello:app", env, folder / "hello.log") as server:
                hello = _measure(server, load_wrk.HELLO, folder,
                                 load_wrk.script(load_wrk.HELLO, [], None,
                                                 keepalive=settings.keepalive), settings)
            with Gunicorn("selfreg:create_app()", env, folder / "selfreg.log",
                          ready_path="/healthz") as server:
                _log(f"{database}: start page GET")
                # The hello script asks for "/": here that is selfreg's start page.
                start = _measure(server, load_wrk.START, folder,
                                 load_wrk.script(load_wrk.HELLO, [], None,
                                                 keepalive=settings.keepalive), settings)
                _log(f"{database}: page GET")
                page = _measure(server, load_wrk.PAGE, folder,
                                load_wrk.script(load_wrk.PAGE, residents, walk,
                                                keepalive=settings.keepalive), settings)
                if settings.warmup > 0:  # warming up with saves moves the revisions on
                    path = folder / "save.lua"
                    path.write_text(load_wrk.script(load_wrk.SAVE, residents, walk,
                                                    keepalive=settings.keepalive))
                    warm_up(server, load_wrk.SAVE, path, settings)
                    _settle(app, residents, codes)
                _log(f"{database}: save POST")
                save = _measure(server, load_wrk.SAVE, folder,
                                load_wrk.script(load_wrk.SAVE, residents, walk,
                                                keepalive=settings.keepalive),
                                Settings(settings.clients, settings.duration, 0.0))
                workers, threads = server.workers, server.threads
            load_after = os.getloadavg()
        finally:
            os.environ.clear()
            os.environ.update(saved_env)
    return DatabaseRun(database, hello, start, page, save, workers, threads, load_before,
                       load_after)


def run(settings: Settings, databases: tuple[str, ...] = DATABASES,
        postgres_url: str | None = None) -> tuple[list[DatabaseRun], list[str]]:
    """One DatabaseRun per database measured, and notes (databases skipped and why)."""
    if not load_wrk.available():
        raise SystemExit("wrk is missing: apt-get install -y wrk")
    runs, notes = [], []
    for database in databases:
        if database == "sqlite":
            runs.append(run_database("sqlite", None, settings))
            continue
        url = postgres_url or os.environ.get(POSTGRES_VARIABLE)
        if not url:
            notes.append(f"PostgreSQL skipped: no --postgres-url and {POSTGRES_VARIABLE} is "
                         "not set")
            continue
        postgres = PostgresDatabase(url)
        try:
            runs.append(run_database("postgresql", postgres.url, settings))
        finally:
            postgres.drop()
    return runs, notes


# --- the report ------------------------------------------------------------------------------

def ratios(result: DatabaseRun) -> tuple[float, float]:
    """page/hello and save/hello in requests per second."""
    hello = result.hello.throughput
    return result.page.throughput / hello, result.save.throughput / hello


def cpu_ratios(result: DatabaseRun) -> tuple[float, float]:
    """The same from server CPU per request (hello's / the scenario's): what the throughput
    ratio would be if the server had the cores to itself; less disturbed by other work."""
    hello = result.hello.cpu_ms
    return hello / result.page.cpu_ms, hello / result.save.cpu_ms


def _row(measure: str, value, unit: str = "", target: str = "") -> dict:
    return {"measure": measure, "value": value, "unit": unit, "target": target}


def rows(quick: bool = True, clients: int = 32, postgres_url: str | None = None) -> list[dict]:
    """The figures as rows (measure, value, unit, target) for ``python -m bench``."""
    settings = Settings(clients, 3.0 if quick else 10.0, 15.0 if quick else 30.0)
    runs, notes = run(settings, DATABASES, postgres_url)
    out: list[dict] = []
    p95_target, page_target = f"<= {TARGET_P95_MS:.0f}", f">= {TARGET_PAGE_RATIO}"
    save_target = f">= {TARGET_SAVE_RATIO}"
    for result in runs:
        db = result.database
        page_ratio, save_ratio = ratios(result)
        page_cpu, save_cpu = cpu_ratios(result)
        for name, res in (("hello", result.hello), ("start page GET", result.start),
                          ("page GET", result.page), ("save POST", result.save)):
            out.append(_row(f"{db} {name} throughput", round(res.throughput), "req/s"))
            out.append(_row(f"{db} {name} server CPU", round(res.cpu_ms, 2), "ms/req"))
            if name not in ("hello", "start page GET"):
                out.append(_row(f"{db} {name} p95", round(res.p95_ms, 1), "ms", p95_target))
            out.append(_row(f"{db} {name} errors", res.errors, "", "0"))
        out.append(_row(f"{db} start page/hello (req/s)",
                        round(result.start.throughput / result.hello.throughput, 3)))
        out.append(_row(f"{db} page/hello (req/s)", round(page_ratio, 3), "", page_target))
        out.append(_row(f"{db} save/hello (req/s)", round(save_ratio, 3), "", save_target))
        out.append(_row(f"{db} page/hello (by server CPU)", round(page_cpu, 3), "", page_target))
        out.append(_row(f"{db} save/hello (by server CPU)", round(save_cpu, 3), "", save_target))
    out.extend(_row(note, "skipped") for note in notes)
    return out


def _verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def _cells(database: str, res: load_wrk.Result) -> str:
    return (f"{database:<11}{res.scenario:<9}{res.requests:>9}{res.throughput:>9.1f}"
            f"{res.p50_ms:>8.1f}{res.p95_ms:>8.1f}{res.p99_ms:>8.1f}{res.errors:>7}"
            f"{res.cpu_ms:>11.2f}")


def _start_line(result: DatabaseRun) -> str:
    """The start page: compared with hello like the others, with no target of its own."""
    start, hello = result.start, result.hello
    line = (f"{_cells(result.database, start)}{start.throughput / hello.throughput:>9.3f}"
            f"{hello.cpu_ms / start.cpu_ms:>8.3f}  (the least a selfreg page costs)")
    return line + (f"\n    errors seen: {start.error_detail}" if start.error_detail else "")


def table(runs: list[DatabaseRun], notes: list[str], settings: Settings) -> str:
    lines = []
    first = runs[0] if runs else None
    sizing = (f"{first.workers} workers x {first.threads} threads (gthread)" if first else "-")
    connection = "one kept connection" if settings.keepalive else "a new connection per request"
    lines.append(f"selfreg load bench: {settings.clients} clients (wrk; one resident and "
                 f"{connection} each), {settings.duration:.0f} s per scenario after a "
                 f"warm-up of at most {settings.warmup:.0f} s; gunicorn.conf.py: {sizing}; "
                 f"{os.cpu_count()} cores")
    header = (f"{'database':<11}{'scenario':<9}{'requests':>9}{'req/s':>9}{'p50 ms':>8}"
              f"{'p95 ms':>8}{'p99 ms':>8}{'errors':>7}{'CPU ms/req':>11}{'x hello':>9}"
              f"{'by CPU':>8}  target")
    for result in runs:
        lines.append("")
        lines.append(f"{result.database}: load average before "
                     f"{' '.join(f'{x:.2f}' for x in result.load_before)}, after "
                     f"{' '.join(f'{x:.2f}' for x in result.load_after)}")
        lines.append(header)
        page_ratio, save_ratio = ratios(result)
        page_cpu, save_cpu = cpu_ratios(result)
        for res, ratio, by_cpu, target in (
            (result.hello, None, None, 0.0),
            (result.page, page_ratio, page_cpu, TARGET_PAGE_RATIO),
            (result.save, save_ratio, save_cpu, TARGET_SAVE_RATIO),
        ):
            cells = _cells(result.database, res)
            if ratio is None:
                lines.extend([cells, _start_line(result)])
                continue
            verdicts = (f"x{target:.2f} {_verdict(ratio >= target)}, p95 <= "
                        f"{TARGET_P95_MS:.0f} ms {_verdict(res.p95_ms <= TARGET_P95_MS)}, "
                        f"errors {_verdict(res.errors == 0)}")
            lines.append(f"{cells}{ratio:>9.3f}{by_cpu:>8.3f}  {verdicts}")
            if res.error_detail:
                lines.append(f"    errors seen: {res.error_detail}")
        lines.append(f"ratios: page/hello {page_ratio:.3f} (by CPU {page_cpu:.3f}; target >= "
                     f"{TARGET_PAGE_RATIO}), save/hello {save_ratio:.3f} (by CPU {save_cpu:.3f}; "
                     f"target >= {TARGET_SAVE_RATIO})")
    lines.extend(["", *notes] if notes else [])
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per scenario")
    parser.add_argument("--quick", action="store_true",
                        help="3 s per scenario, at most 15 s warm-up")
    parser.add_argument("--postgres-url", default=None,
                        help=f"PostgreSQL maintenance database URL (default ${POSTGRES_VARIABLE})")
    parser.add_argument("--databases", default=",".join(DATABASES))
    parser.add_argument("--warmup", type=float, default=None,
                        help="most seconds of warm-up load before each scenario, in 3 s slices "
                             "until server CPU per request settles (default 30, quick 15)")
    parser.add_argument("--keepalive", action="store_true",
                        help="one kept connection per client (default: a new connection per "
                             "request, as the documented nginx talks to gunicorn)")
    parser.add_argument("--workers", type=int, default=None, help="WEB_CONCURRENCY")
    parser.add_argument("--threads", type=int, default=None, help="SELFREG_THREADS")
    args = parser.parse_args(argv)
    if args.clients < 1 or args.clients > 256:
        parser.error("--clients must be 1 to 256")
    if not 1 <= args.duration <= 120:
        parser.error("--duration must be 1 to 120 seconds")
    databases = tuple(d.strip() for d in args.databases.split(",") if d.strip())
    if not databases or set(databases) - set(DATABASES):
        parser.error(f"--databases: some of {', '.join(DATABASES)}")
    warmup = args.warmup if args.warmup is not None else 15.0 if args.quick else 30.0
    settings = Settings(args.clients, 3.0 if args.quick else args.duration, warmup,
                        args.workers, args.threads, args.keepalive)
    started = time.perf_counter()
    runs, notes = run(settings, databases, args.postgres_url)
    print(table(runs, notes, settings))
    print(f"(whole run {time.perf_counter() - started:.0f} s)")
    failed = any(r.hello.errors or r.start.errors or r.page.errors or r.save.errors
                 for r in runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
