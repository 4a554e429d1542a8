"""What sealing costs: throughput of seal and open, and peak memory at two sizes.

Run: ``python bench/sealed_bench.py [--mb 50]``

The body is generated case-file-like JSON Lines (a pool of varied records, fed in ~64 KiB
pieces and never held whole), so compression behaves as it will on real exports.

(a) Throughput in MB/s of plaintext, best of three runs: ``seal`` into a sink that discards,
    ``open_sealed`` of the same bundle from a temporary file (signature pass + decryption
    pass), and gzip alone at the same level: a yardstick for how much of sealing is compression.
(b) Peak traced memory (tracemalloc) of seal and of open for MB/10 and MB: if sealing streams,
    the two peaks are about equal (target: ratio <= 1.1), whatever the size.

No timing is asserted anywhere; the figures are for people to read.
"""
from __future__ import annotations

import argparse
import functools
import json
import random
import tempfile
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from selfreg.crypto.sealed import open_sealed, seal
from selfreg.crypto.sealed_keys import generate_recipient_keypair, generate_signing_key

from . import table_rows

TARGET_MEMORY_RATIO = 1.1
_PIECE = 64 * 1024
_WORDS = ("nurse cook driver teacher welder carpenter electrician farmer tailor mechanic "
          "cleaner accountant hairdresser builder painter translator").split()


def _record(rng: random.Random, n: int) -> bytes:
    def text(k: int) -> str:
        return " ".join(rng.choices(_WORDS, k=k))

    record = {
        "id": f"{rng.getrandbits(128):032x}", "catalogue_version": "2025.1", "centre": "Bergen",
        "locale": rng.choice(["ar", "ti", "uk", "so", "fa", "ps", "ku"]),
        "name": {"given_names": f"Amina {n}", "family_name": "Haile Gebremedhin"},
        "languages": [{"code": rng.choice(["ar", "ti", "en", "am"]), "cefr": rng.choice(
            ["A1", "A2", "B1", "B2"])} for _ in range(3)],
        "work": [{"isco": str(rng.randint(1000, 9999)), "styrk": str(rng.randint(1000, 9999)),
                  "label_nb": rng.choice(_WORDS), "tasks": text(25), "years": rng.randint(1, 20),
                  "verification": "self-reported"} for _ in range(2)],
        "education": {"isced": rng.choice(["2", "3", "4", "6"]), "field": "0913",
                      "programme": text(5), "status": "completed"},
        "wishes": text(30),
    }
    return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


@functools.cache
def _pool() -> tuple[bytes, ...]:
    rng = random.Random(1)
    return tuple(_record(rng, n) for n in range(2000))


def body(total: int) -> Iterator[bytes]:
    """About ``total`` bytes of JSON Lines in ~64 KiB pieces, from a pool of 2,000 records.

    The pool is made once, before any memory is measured, so peaks show what sealing holds.
    """
    pool = _pool()
    sent, piece, i = 0, bytearray(), 0
    while sent < total:
        piece += pool[i % len(pool)]
        i += 1
        if len(piece) >= _PIECE:
            sent += len(piece)
            yield bytes(piece)
            piece.clear()
    if piece:
        yield bytes(piece)


class Sink:
    """A write-only file that keeps nothing (measures the sealing, not the disk)."""

    def __init__(self) -> None:
        self.written = 0

    def write(self, data: bytes) -> int:
        self.written += len(data)
        return len(data)


def timed(action: Callable[[], int], rounds: int = 3) -> tuple[float, int]:
    """Best of ``rounds`` runs: the least disturbed by other work on the machine."""
    best, amount = float("inf"), 0
    for _ in range(rounds):
        started = time.perf_counter()
        amount = action()
        best = min(best, time.perf_counter() - started)
    return best, amount


def peak_memory(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def measure(megabytes: int) -> tuple[str, list[tuple[str, str, str, bool]]]:
    """The heading and the rows (measure, figure, target, ok) of one run."""
    total = megabytes * 10**6
    _pool()
    private, public = generate_recipient_keypair()
    signer = generate_signing_key()

    def seal_to(out: object, size: int) -> int:
        summary = seal(body(size), out, public, signer,  # type: ignore[arg-type]
                       metadata={"content": "bench"})
        return summary.body_bytes

    def open_from(path: Path) -> int:
        with open(path, "rb") as handle:
            return sum(len(p) for p in open_sealed(handle, private, signer.public_key()))

    def gzip_only() -> int:
        compressor, size = zlib.compressobj(1, zlib.DEFLATED, 31), 0
        for piece in body(total):
            size += len(piece)
            compressor.compress(piece)
        compressor.flush()
        return size

    with tempfile.TemporaryDirectory(prefix="selfreg-sealed-bench-") as folder:
        bundles = {size: Path(folder) / f"{size}.bundle" for size in (total // 10, total)}
        for size, path in bundles.items():
            with open(path, "wb") as handle:
                seal_to(handle, size)
        generate = timed(lambda: sum(len(p) for p in body(total)))
        seal_time, sealed = timed(lambda: seal_to(Sink(), total))
        open_time, opened = timed(lambda: open_from(bundles[total]))
        gzip_time, _ = timed(gzip_only)
        bundle_size = bundles[total].stat().st_size
        peaks = {
            size: (peak_memory(lambda s=size: seal_to(Sink(), s)),  # type: ignore[misc]
                   peak_memory(lambda p=path: open_from(p)))  # type: ignore[misc]
            for size, path in bundles.items()
        }
    assert sealed == opened

    small, large = total // 10, total
    mb = sealed / 10**6
    heading = (f"selfreg sealed-bundle bench: {mb:.1f} MB of JSON Lines -> "
               f"{bundle_size / 10**6:.1f} MB bundle ({sealed / bundle_size:.1f}x); generating "
               f"the body alone took {generate[0]:.2f} s (included in (a))")
    rows = [
        ("(a) seal", f"{mb / seal_time:.0f} MB/s", "", True),
        ("(a) open (verify pass + decrypt pass)", f"{mb / open_time:.0f} MB/s", "", True),
        ("(a) gzip alone, same level", f"{mb / gzip_time:.0f} MB/s", "", True),
        ("(a) seal time / gzip-alone time", f"{seal_time / gzip_time:.2f}", "", True),
    ]
    for index, what in ((0, "seal"), (1, "open")):
        ratio = peaks[large][index] / peaks[small][index]
        rows += [(f"(b) {what} peak, {size / 10**6:g} MB",
                  f"{peaks[size][index] / 1024:.0f} KiB", "", True) for size in (small, large)]
        rows.append((f"(b) {what} peak ratio", f"{ratio:.2f}", f"<= {TARGET_MEMORY_RATIO}",
                     ratio <= TARGET_MEMORY_RATIO))
    return heading, rows


def rows(megabytes: int = 10) -> list[dict]:
    """The figures for ``python -m bench`` (a small size by default)."""
    _heading, measured = measure(megabytes)
    return table_rows(measured)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mb", type=int, default=50, help="plaintext size in MB (10**6 bytes)")
    args = parser.parse_args(argv)
    heading, measured = measure(args.mb)
    print(heading)
    print(f"{'measure':<44} {'figure':>14}  {'target':<10} result")
    for what, figure, target, ok in measured:
        print(f"{what:<44} {figure:>14}  {target:<10} {'ok' if ok else 'MISSED'}")


if __name__ == "__main__":
    main()
