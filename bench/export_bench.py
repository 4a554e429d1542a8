"""What exporting costs: plain JSON Lines against sealed bundles, and opening them, at two sizes.

Run: ``python -m bench.export_bench [--sizes 10000,100000] [--keep DIR]``

For each size N a fresh installation is made in a temporary instance folder (SQLite, keyring,
signing key: ``create_app`` + ``init_database``, as the tests do) and filled with N demo people
(``selfreg.demo.add_demo_people``: realistic answers, spread evenly over every supported page
language, encrypted under each person's own key); how long that took is printed too. Then, on
that database:

(a) plain export: ``iter_case_file_lines`` of every submitted registration written to a gzip
    file at level 1 (the level the bundle compresses at): time, people/s, MB/s of JSON Lines;
(b) sealed export: ``bundles.write_bundle`` to a fresh recipient key pair (ML-KEM-768 + X25519)
    and a fresh signing key: time, throughput, bundle size; and the ratio of (b) to (a) time,
    target <= 1.3 (also as CPU time, which other work on a shared machine disturbs less);
(c) open: ``open_sealed`` (signature pass, then decryption) and ``json.loads`` of every line;
(d) peak memory of (a), (b) and (c), each in a new interpreter of its own (``--child``, run
    with ``subprocess``) that reads its own peak RSS (``resource.getrusage``, ``ru_maxrss``):
    the peak for that operation alone, imports and app included, on a database that already
    holds N people. Targets: peak at the largest N / peak at the smallest N <= 1.1 for the
    sealed export and for open. Linux carries ru_maxrss over fork and exec, so the children
    are started by a small launcher process made before anything big is loaded here (else
    every child would report at least this process's peak after generating N people); each
    child also reports VmHWM, which is not inherited, and the table says if the two differ.

Times are the better of two runs: one in this process, one in the child that measures memory
(the figures are read on a shared machine). ``--keep DIR`` keeps each size's instance folder,
plain export, bundle and keys in DIR/people-N (which must not exist yet) instead of deleting
them.
No timing is asserted anywhere; the figures are for people to read.
"""
from __future__ import annotations

import argparse
import gzip
import json
import logging
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

TARGET_SEALED_RATIO = 1.3
TARGET_MEMORY_RATIO = 1.1
GZIP_LEVEL = 1  # as the bundle (selfreg.crypto.sealed._COMPRESS_LEVEL)
SECRET_KEY = "export-bench-secret-key-0123456789abcdefghij"
CENTRE = "Benchmottak"
OPERATIONS = ("plain", "sealed", "open")
_ROOT = Path(__file__).resolve().parents[1]
_CLEARED = ("SELFREG_DATABASE_URL", "SELFREG_KEYRING", "SELFREG_KEYRING_JSON", "SELFREG_ENV",
            "SELFREG_SIGNING_KEY")


def _environment(instance: Path) -> None:
    """Point ``create_app`` at ``instance`` (read when the app is made; children inherit it)."""
    os.environ.update(SELFREG_INSTANCE=str(instance), SELFREG_SECRET_KEY=SECRET_KEY)
    for name in _CLEARED:
        os.environ.pop(name, None)


def _app(instance: Path):
    _environment(instance)
    from selfreg import create_app

    app = create_app({"TESTING": True})
    # create_app logs at INFO; migrations and "new keyring" warnings are noise in a scratch folder.
    for name in ("alembic", "selfreg.keys", "selfreg.signing"):
        logging.getLogger(name).setLevel(logging.ERROR)
    return app


def _peak_rss() -> int:
    """This process's peak resident set size in bytes (Linux reports KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


# --- the three operations: each returns facts about what it did ------------------------------

def _window(folder: Path):
    """The window every export of one size uses: all submitted, up to a time fixed once."""
    from selfreg.exports import bundles

    until = datetime.fromisoformat((folder / "window_until.txt").read_text().strip())
    return bundles.Window(None, until)


def export_plain(app, out: Path, folder: Path) -> dict[str, Any]:
    """Every submitted registration as JSON Lines into a gzip file (level 1)."""
    from selfreg import db, keys
    from selfreg.exports import bundles, iter_case_file_lines

    records = body = 0
    with app.app_context(), gzip.open(out, "wb", compresslevel=GZIP_LEVEL) as handle:
        query = bundles.selection(_window(folder))
        for line in iter_case_file_lines(db.session(), keys.keyring(), query):
            handle.write(line)
            records += 1
            body += len(line)
    return {"records": records, "body_bytes": body, "file_bytes": out.stat().st_size}


def export_sealed(app, out: Path, folder: Path) -> dict[str, Any]:
    """Every submitted registration into a sealed bundle for the key pair in ``folder``."""
    from selfreg import db, keys
    from selfreg.crypto.sealed_keys import read_recipient_public_key, read_signing_key
    from selfreg.exports import bundles

    recipient = read_recipient_public_key(folder / "recipient.pub")
    signer = read_signing_key(folder / "bench_signing.pem")
    with app.app_context(), open(out, "wb") as handle:
        win = _window(folder)
        summary, records = bundles.write_bundle(
            db.session(), keys.keyring(), bundles.selection(win), win, recipient, signer, handle)
    return {"records": records, "body_bytes": summary.body_bytes,
            "file_bytes": summary.bundle_bytes}


def open_bundle(bundle: Path, folder: Path) -> dict[str, Any]:
    """Verify and decrypt a bundle, parsing every case file in it."""
    from selfreg.crypto.sealed import open_sealed
    from selfreg.crypto.sealed_keys import read_recipient_private_key, read_signing_public_key

    private = read_recipient_private_key(folder / "recipient.key")
    signer = read_signing_public_key(folder / "bench_signing.pub")
    records = body = 0
    with open(bundle, "rb") as handle:
        opened = open_sealed(handle, private, signer)
        for line in opened.iter_lines():
            json.loads(line)
            records += 1
            body += len(line) + 1
    return {"records": records, "body_bytes": body, "file_bytes": bundle.stat().st_size}


def _operation(name: str, app, folder: Path, child: bool) -> Callable[[], dict[str, Any]]:
    suffix = ".child" if child else ""
    if name == "plain":
        return lambda: export_plain(app, folder / f"plain{suffix}.jsonl.gz", folder)
    if name == "sealed":
        return lambda: export_sealed(app, folder / f"bundle{suffix}.sealed", folder)
    # Both opens read the bundle made in this process, which is the same content.
    return lambda: open_bundle(folder / "bundle.sealed", folder)


def timed(action: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    """Wall-clock seconds, and CPU seconds of this process (less disturbed by other work)."""
    started, cpu = time.perf_counter(), time.process_time()
    facts = action()
    return {**facts, "seconds": time.perf_counter() - started,
            "cpu_seconds": time.process_time() - cpu}


# --- the child: one operation, its own peak memory ------------------------------------------
#
# Linux keeps a process's peak RSS (ru_maxrss) across fork and exec: a child started from this
# process would report at least this process's peak, which after generating N people is more
# than an export needs. So children are started by a launcher: a small process (this module's
# ``--launcher``) started before anything big is loaded, whose own peak stays ~15 MiB.

def _own_peak() -> int | None:
    """Peak RSS of this process's memory since its exec (VmHWM; not inherited), in bytes."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return None


def child_main(operation: str, instance: Path, folder: Path) -> None:
    """Run one operation and print one JSON line: its facts, time and this process's peaks."""
    inherited = _peak_rss()  # the floor this process started with (the launcher's peak)
    if operation == "open":
        app = None
        import selfreg.crypto.sealed  # noqa: F401  (imports are not the operation)
    else:
        app = _app(instance)
        import selfreg.exports.bundles  # noqa: F401
    baseline = _peak_rss()  # interpreter, imports and the app, before any case file
    facts = timed(_operation(operation, app, folder, child=True))
    print(json.dumps({**facts, "inherited_rss": inherited, "baseline_rss": baseline,
                      "peak_rss": _peak_rss(), "own_peak_rss": _own_peak()}))


def launcher_main() -> None:
    """Serve requests on stdin, one JSON list of arguments a line: run this module with them
    in a new interpreter and answer with one JSON line (return code, stdout, stderr)."""
    for request in sys.stdin:
        command = [sys.executable, "-m", "bench.export_bench", *json.loads(request)]
        done = subprocess.run(command, cwd=_ROOT, capture_output=True, text=True, check=False)
        answer = {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


class Launcher:
    """The launcher process; start it before anything big is loaded in this process."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bench.export_bench", "--launcher"], cwd=_ROOT,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def child(self, operation: str, instance: Path, folder: Path) -> dict[str, Any]:
        """``child_main`` in a new interpreter (nothing inherited but the environment)."""
        assert self.process.stdin is not None and self.process.stdout is not None
        arguments = ["--child", operation, "--instance", str(instance), "--folder", str(folder)]
        self.process.stdin.write(json.dumps(arguments) + "\n")
        self.process.stdin.flush()
        answer = json.loads(self.process.stdout.readline())
        if answer["returncode"] != 0:
            raise RuntimeError(
                f"child {operation!r} failed ({answer['returncode']}):\n{answer['stderr']}")
        return json.loads(answer["stdout"].strip().splitlines()[-1])

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


# --- one size --------------------------------------------------------------------------------

def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def populate(app, n: int) -> float:
    """N demo people in a new centre; returns the seconds it took."""
    from selfreg import db, keys, registrations
    from selfreg.demo import add_demo_people

    started = time.perf_counter()

    def progress(line: str) -> None:
        elapsed = time.perf_counter() - started
        _log(f"  {line} ({elapsed:.0f} s)")

    with app.app_context():
        session = db.session()
        centre = registrations.create_centre(session, CENTRE)
        session.commit()
        added = add_demo_people(session, keys.keyring(), centre, n, progress=progress)
    assert added == n, (added, n)
    return time.perf_counter() - started


def _fix_window(app, folder: Path) -> int:
    """Fix the window's end now, for every export of this size; return how many people it
    holds. Fewer than were added when the demo dated someone's submission minutes into the
    future (``selfreg.demo._date``: up to 90 minutes after a start drawn up to now); an
    export whose window ends now leaves them for the next one."""
    from selfreg import db
    from selfreg.exports import bundles

    win = bundles.window(None)
    (folder / "window_until.txt").write_text(win.until.isoformat())
    with app.app_context():
        return bundles.count(db.session(), bundles.selection(win))


def _write_keys(folder: Path) -> None:
    from selfreg.crypto.sealed_keys import (
        generate_recipient_keypair,
        generate_signing_key,
        write_recipient_keypair,
        write_signing_key,
        write_signing_public_key,
    )

    private, _public = generate_recipient_keypair()
    write_recipient_keypair(folder / "recipient", private)
    signer = generate_signing_key()
    write_signing_key(folder / "bench_signing.pem", signer)
    write_signing_public_key(folder / "bench_signing.pub", signer.public_key())


def measure(n: int, folder: Path, launcher: Launcher) -> dict[str, Any]:
    """Everything for one size, in ``folder`` (instance folder inside it)."""
    instance = folder / "instance"
    instance.mkdir(parents=True)
    app = _app(instance)
    from selfreg.cli import init_database
    from selfreg.db import database
    from selfreg.i18n import SUPPORTED_LOCALES

    init_database(app)
    _write_keys(folder)
    _log(f"n={n}: generating demo people in {len(SUPPORTED_LOCALES)} languages")
    generation = populate(app, n)
    exported = _fix_window(app, folder)
    database(app).engine.dispose()  # nothing held open while the children read

    result: dict[str, Any] = {
        "n": n, "languages": len(SUPPORTED_LOCALES), "generation_seconds": generation,
        "records": exported,
        "database_bytes": sum(p.stat().st_size for p in instance.glob("selfreg.sqlite*")),
    }
    for operation in OPERATIONS:
        _log(f"n={n}: {operation} in this process")
        here = timed(_operation(operation, app, folder, child=False))
        _log(f"n={n}: {operation} in a child process ({here['seconds']:.1f} s here)")
        database(app).engine.dispose()
        there = launcher.child(operation, instance, folder)
        for facts in (here, there):
            assert facts["records"] == exported, (operation, facts["records"], exported)
        result[operation] = {
            **here,
            "seconds": min(here["seconds"], there["seconds"]),
            "cpu_seconds": min(here["cpu_seconds"], there["cpu_seconds"]),
            "seconds_here": here["seconds"], "seconds_child": there["seconds"],
            "baseline_rss": there["baseline_rss"], "peak_rss": there["peak_rss"],
            "inherited_rss": there["inherited_rss"], "own_peak_rss": there["own_peak_rss"],
        }
    result["sealed_ratio"] = result["sealed"]["seconds"] / result["plain"]["seconds"]
    result["sealed_cpu_ratio"] = result["sealed"]["cpu_seconds"] / result["plain"]["cpu_seconds"]
    database(app).engine.dispose()
    return result


def run(sizes: list[int], keep: Path | None = None) -> list[dict[str, Any]]:
    """One dict per size: generation, (a) plain, (b) sealed, (c) open, each with records,
    body_bytes, file_bytes, seconds, cpu_seconds (each the better of the two runs),
    seconds_here, seconds_child and the child's peaks (inherited_rss, baseline_rss, peak_rss,
    own_peak_rss); and sealed_ratio, sealed_cpu_ratio. Scratch folders are removed unless
    ``keep`` is given.

    Call it early: the children's peaks cannot be lower than this process's peak now.
    """
    launcher = Launcher()
    results = []
    try:
        for n in sizes:
            if keep is not None:
                folder = keep / f"people-{n}"
                if folder.exists():
                    raise SystemExit(f"{folder} already exists: --keep needs a fresh folder")
                results.append(measure(n, folder, launcher))
                continue
            folder = Path(tempfile.mkdtemp(prefix=f"selfreg-export-bench-{n}-"))
            try:
                results.append(measure(n, folder, launcher))
            finally:
                shutil.rmtree(folder, ignore_errors=True)
    finally:
        launcher.close()
    return results


def memory_ratios(results: list[dict[str, Any]]) -> dict[str, float]:
    """Peak RSS at the largest size / at the smallest, per operation."""
    small = min(results, key=lambda r: r["n"])
    large = max(results, key=lambda r: r["n"])
    return {op: large[op]["peak_rss"] / small[op]["peak_rss"] for op in OPERATIONS}


# --- the table -------------------------------------------------------------------------------

def _mb(size: float) -> str:
    return f"{size / 10**6:.1f} MB"


def _mib(size: float) -> str:
    return f"{size / 2**20:.0f} MiB"


def _row(what: str, figure: str, target: str = "", ok: bool | None = None) -> str:
    result = "" if ok is None else ("ok" if ok else "MISSED")
    return f"{what:<52} {figure:>22}  {target:<8} {result}"


def table(results: list[dict[str, Any]]) -> str:
    names = {"plain": "(a) plain JSON Lines, gzip 1", "sealed": "(b) sealed bundle",
             "open": "(c) open + json.loads"}
    floor = max(r[op]["inherited_rss"] for r in results for op in OPERATIONS)
    lines = [f"selfreg export bench: sizes {', '.join(str(r['n']) for r in results)} "
             f"(demo people in {results[0]['languages']} languages; times best of two runs; "
             f"memory children started at <= {_mib(floor)})",
             _row("measure", "figure", "target", None) + "result"]
    for r in results:
        n = r["n"]
        lines.append(f"-- n = {n:,} " + "-" * 70)
        lines.append(_row("generate demo people",
                          f"{r['generation_seconds']:.1f} s  {n / r['generation_seconds']:.0f}/s"))
        lines.append(_row("database (SQLite file + WAL)", _mb(r["database_bytes"])))
        if r["records"] != n:
            lines.append(f"   NOTE: {n - r['records']} of the {n:,} people have a submission time "
                         f"in the future (demo data), so each export holds {r['records']:,}")
        for op in OPERATIONS:
            facts = r[op]
            seconds = facts["seconds"]
            lines.append(_row(f"{names[op]}: time (here / child)",
                              f"{seconds:.2f} s ({facts['seconds_here']:.1f}/"
                              f"{facts['seconds_child']:.1f})"))
            lines.append(_row(f"{names[op]}: CPU time", f"{facts['cpu_seconds']:.2f} s"))
            rate = facts["body_bytes"] / 10**6 / seconds
            people = facts["records"] / seconds
            lines.append(_row(f"{names[op]}: throughput", f"{people:.0f}/s  {rate:.2f} MB/s"))
            if op != "open":
                lines.append(_row(f"{names[op]}: body -> file",
                                  f"{_mb(facts['body_bytes'])} -> {_mb(facts['file_bytes'])}"))
            lines.append(_row(f"{names[op]}: peak RSS (before op)",
                              f"{_mib(facts['peak_rss'])} ({_mib(facts['baseline_rss'])})"))
        for op in OPERATIONS:
            own = r[op]["own_peak_rss"]
            if own is not None and abs(own - r[op]["peak_rss"]) > 0.02 * own:
                lines.append(f"   NOTE {op}: ru_maxrss {_mib(r[op]['peak_rss'])} but VmHWM "
                             f"{_mib(own)}: the inherited floor "
                             f"({_mib(r[op]['inherited_rss'])}) distorts ru_maxrss")
        ratio = r["sealed_ratio"]
        lines.append(_row("sealed / plain time", f"{ratio:.2f}", f"<= {TARGET_SEALED_RATIO}",
                          ratio <= TARGET_SEALED_RATIO))
        cpu_ratio = r["sealed_cpu_ratio"]
        lines.append(_row("sealed / plain CPU time", f"{cpu_ratio:.2f}",
                          f"<= {TARGET_SEALED_RATIO}", cpu_ratio <= TARGET_SEALED_RATIO))
    if len(results) > 1:
        small = min(r["n"] for r in results)
        large = max(r["n"] for r in results)
        lines.append("-" * 84)
        for op, ratio in memory_ratios(results).items():
            target = op in ("sealed", "open")
            lines.append(_row(f"{names[op]}: peak RSS n={large:,} / n={small:,}", f"{ratio:.3f}",
                              f"<= {TARGET_MEMORY_RATIO}" if target else "",
                              (ratio <= TARGET_MEMORY_RATIO) if target else None))
    return "\n".join(lines)


def rows(sizes: tuple[int, ...] = (300, 3000)) -> list[dict]:
    """The figures for ``python -m bench`` (small sizes by default). Call it first: see ``run``."""
    results = run(list(sizes))
    names = {"plain": "plain JSON Lines", "sealed": "sealed bundle", "open": "open bundle"}

    def row(measure: str, value, unit: str = "", target: str = "") -> dict:
        return {"measure": measure, "value": value, "unit": unit, "target": target}

    out = []
    for r in results:
        n = r["n"]
        out.append(row(f"generate demo people, n={n}", round(n / r["generation_seconds"]),
                       "people/s"))
        for op in OPERATIONS:
            out.append(row(f"{names[op]}, n={n}", round(r[op]["records"] / r[op]["seconds"]),
                           "people/s"))
        out.append(row(f"sealed / plain time, n={n}", round(r["sealed_ratio"], 2), "",
                       f"<= {TARGET_SEALED_RATIO}"))
    if len(results) > 1:
        large, small = max(sizes), min(sizes)
        for op, ratio in memory_ratios(results).items():
            if op in ("sealed", "open"):
                out.append(row(f"{names[op]} peak RSS n={large}/n={small}", round(ratio, 3), "",
                               f"<= {TARGET_MEMORY_RATIO}"))
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000",
                        help="comma-separated numbers of people (default 10000,100000)")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep instance folders, exports and bundles under this folder")
    parser.add_argument("--child", choices=OPERATIONS, help=argparse.SUPPRESS)
    parser.add_argument("--instance", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--launcher", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.launcher:
        launcher_main()
        return
    if args.child:
        child_main(args.child, args.instance, args.folder)
        return
    sizes = [int(part) for part in args.sizes.split(",") if part.strip()]
    if not sizes or min(sizes) < 1:
        parser.error("--sizes needs positive numbers")
    started = time.perf_counter()
    results = run(sizes, args.keep)
    print(table(results))
    print(f"(whole run {time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
