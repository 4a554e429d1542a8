"""``python -m bench``: every benchmark in bench/ at small sizes, one table at the end.

Each module's ``rows()`` returns its figures as dicts (measure, value, unit, target, and an
optional note); nothing is read back from printed output. Sizes are chosen so that the whole
run takes a few minutes on two cores; each module's own ``python -m bench.<name>`` runs the
full sizes. A benchmark that cannot run (Lighthouse not installed, no wrk) or fails is one row
saying so, and the others still run. The exit status is 1 when a benchmark failed; missed
targets are shown, not failed on (figures from a shared machine are for people to read).

``--only NAME,...`` runs some of them; ``--list`` names them.
"""
from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

# (name, module, how rows() is called). export_bench first: its memory children are started
# from a launcher process, which must be made before anything big is loaded here.
BENCHMARKS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("export", "bench.export_bench", {"sizes": (300, 3000)}),
    ("crypto", "bench.crypto_bench", {"n": 10_000, "rounds": 20, "lookups": 1000}),
    ("sealed", "bench.sealed_bench", {"megabytes": 10}),
    ("page_weight", "bench.page_weight", {"locale": "nb"}),
    ("scale", "bench.scale_bench", {"sizes": (1000, 20_000), "reps": 30}),
    ("load", "bench.load", {"quick": True}),
    ("lighthouse", "bench.lighthouse", {"locales": ("nb",)}),
)


def _run_one(module_name: str, arguments: dict[str, Any]) -> tuple[list[dict], float]:
    module = importlib.import_module(module_name)
    rows: Callable[..., list[dict]] = module.rows
    started = time.perf_counter()
    saved = dict(os.environ)
    try:
        return rows(**arguments), time.perf_counter() - started
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def table(results: list[tuple[str, list[dict], float]]) -> str:
    lines = []
    width = max([len(r["measure"]) for _n, rows, _s in results for r in rows] + [20])
    width = min(width, 64)
    lines.append(f"{'benchmark':<12} {'measure':<{width}} {'value':>12} {'unit':<9} target")
    lines.append("-" * (12 + width + 34))
    for name, rows, seconds in results:
        for row in rows:
            target = row.get("target") or ""
            line = (f"{name:<12} {row['measure'][:width]:<{width}} {_cell(row['value']):>12} "
                    f"{row.get('unit') or '':<9} {target}")
            if row.get("note"):
                line += f"  ({row['note']})"
            lines.append(line.rstrip())
        lines.append(f"{name:<12} {'(time for this benchmark)':<{width}} {seconds:>12.0f} s")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated benchmark names")
    parser.add_argument("--list", action="store_true", help="name the benchmarks and stop")
    args = parser.parse_args(argv)
    names = [name for name, _m, _a in BENCHMARKS]
    if args.list:
        print("\n".join(names))
        return 0
    chosen = [n.strip() for n in args.only.split(",") if n.strip()] or names
    unknown = set(chosen) - set(names)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}; see --list")
    started = time.perf_counter()
    load_before = os.getloadavg()
    results: list[tuple[str, list[dict], float]] = []
    failed = False
    for name, module_name, arguments in BENCHMARKS:
        if name not in chosen:
            continue
        print(f"== {name}", file=sys.stderr, flush=True)
        begun = time.perf_counter()
        try:
            rows, seconds = _run_one(module_name, arguments)
        except SystemExit as stop:  # e.g. "wrk is missing"
            rows, seconds = [{"measure": "skipped", "value": "-", "unit": "", "target": "",
                                  "note": str(stop.code)}], time.perf_counter() - begun
        except Exception as error:  # noqa: BLE001  (one failure must not hide the others)
            traceback.print_exc(file=sys.stderr)
            failed = True
            rows, seconds = [{"measure": "FAILED", "value": "-", "unit": "", "target": "",
                                  "note": f"{type(error).__name__}: {error}"[:200]}], \
                time.perf_counter() - begun
        results.append((name, rows, seconds))
    print(table(results))
    load_after = os.getloadavg()
    print(f"(whole run {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores; load "
          f"average before {load_before[0]:.2f}, after {load_after[0]:.2f})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
