"""Derive the compact data files in selfreg/codes/data/ from the shared classification sources.

The shared folder holds the sources as collected, with provenance (its SOURCES.md). The app
ships only what it uses, so that the wheel stays small and every shipped value can be traced
back: this script is the whole derivation, and a test re-runs it and compares its output with
the shipped files, so they cannot drift apart silently.

    python -m selfreg.codes.build_data [SOURCE_DIR] [--out DIR]

SOURCE_DIR defaults to ../shared/data/classifications beside the repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

import babel
from babel.core import get_cldr_version

from selfreg.codes import languages
from selfreg.codes.text import normalized

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SOURCE_DIR = REPO_ROOT.parent / "shared" / "data" / "classifications"
DATA_DIR = Path(__file__).resolve().parent / "data"

GENERATED_FILES = (
    "isco08.csv",
    "esco_terms.json",
    "styrk_extra_terms.csv",
    "isced2011_levels.csv",
    "iscedf2013_fields.csv",
    "nus2000_levels.csv",
    "language_autonyms.json",
)

CLDR_FILES = ("language_autonyms.json",)
"""Generated from CLDR as installed with Babel, not from SOURCE_DIR; they record the Babel
version, and change when Babel's CLDR does."""

# STYRK-08 unit groups that ISCO-08 lacks, mapped onto the ISCO unit group whose content they
# are part of. Their Bokmål titles become extra search terms for that ISCO unit group, so that a
# Norwegian word finds the code we store. Nothing else uses this mapping.
STYRK_ONLY_TO_ISCO = {
    # SSB split ISCO 2221 "Nursing professionals" into 2221 Spesialsykepleiere and
    # 2223 Sykepleiere (SSB English: "Nurses"); ISCO 2221 covers both.
    "2223": "2221",
    # SSB's English label for 3439 is ISCO 3435's title word for word.
    "3439": "3435",
}
# Left out on purpose: 2224 Vernepleiere (no single ISCO unit group is evident from the
# sources) and 0000 Uoppgitt (not an occupation).

SHORT_TERM_WORDS = 2
"""ESCO terms of up to this many words are always kept (see _prune_terms)."""


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def _clean(text: str) -> str:
    """Trim and collapse runs of spaces (ESCO has "door fitting  specialist")."""
    return " ".join(text.split())


def _nb_source(code: str, styrk: dict[str, dict[str, str]]) -> str:
    """The STYRK-08 code whose Bokmål title an ISCO code gets.

    The same code when STYRK has it; otherwise the nearest ancestor STYRK has (3, 2, then 1
    digit). All ten major groups exist in STYRK, so there is always one.
    """
    for length in range(len(code), 0, -1):
        if code[:length] in styrk:
            return code[:length]
    raise ValueError(f"no STYRK-08 ancestor for ISCO code {code!r}")


def build_isco(source: Path) -> list[list[str]]:
    """ISCO-08 groups of all levels with en, fr (ESCO) and nb (STYRK-08) titles."""
    styrk = {row["code"]: row for row in _read_csv(source / "styrk08_nb.csv")}
    rows = []
    for row in _read_csv(source / "isco08_groups.csv"):
        code = row["code"]
        nb_from = _nb_source(code, styrk)
        rows.append(
            [
                code,
                _clean(row["title_en"]),
                _clean(row["title_fr"]),
                _clean(styrk[nb_from]["title_nb"]),
                nb_from,
            ]
        )
    return sorted(rows)


def build_styrk_extra_terms(source: Path, isco_codes: set[str]) -> list[list[str]]:
    """Bokmål titles of STYRK-only unit groups, keyed to the ISCO unit group they belong to."""
    styrk = {row["code"]: row for row in _read_csv(source / "styrk08_nb.csv")}
    rows = []
    for styrk_code, isco_code in sorted(STYRK_ONLY_TO_ISCO.items()):
        if styrk_code not in styrk or styrk_code in isco_codes or isco_code not in isco_codes:
            raise ValueError(f"STYRK_ONLY_TO_ISCO entry {styrk_code}->{isco_code} is stale")
        rows.append([styrk_code, isco_code, _clean(styrk[styrk_code]["title_nb"])])
    return rows


def _prune_terms(terms: Iterable[str]) -> list[str]:
    """Drop duplicate terms and long terms that add no new word.

    Terms equal after folding (case, accents, punctuation) are kept once. A term of more than
    SHORT_TERM_WORDS words is then dropped when every one of its words already occurs in a
    shorter kept term of the same unit group: it can only help a search for that exact
    phrase, and the search finds the unit group anyway by the words spread over its terms.
    This halves the ESCO labels (mostly long French ones) without losing a searchable word.
    """
    unique: dict[str, str] = {}
    for term in terms:
        key = normalized(term)
        if key and key not in unique:
            unique[key] = term
    seen: set[str] = set()
    kept = []
    for key in sorted(unique, key=lambda k: (len(k.split()), len(k), k)):
        term_words = set(key.split())
        if len(term_words) > SHORT_TERM_WORDS and term_words <= seen:
            continue
        kept.append(unique[key])
        seen |= term_words
    return sorted(kept, key=lambda term: (normalized(term), term))


def build_esco_terms(source: Path) -> dict[str, list[str]]:
    """ESCO occupation labels (preferred and alternative, en and fr) per ISCO unit group."""
    grouped: dict[str, list[str]] = {}
    for row in _read_csv(source / "esco_occupations.csv"):
        terms = grouped.setdefault(row["isco_group"], [])
        for lang in ("en", "fr"):
            terms.append(_clean(row[f"label_{lang}"]))
            terms.extend(_clean(alt) for alt in row[f"alt_labels_{lang}"].split(" | "))
    return {group: _prune_terms(terms) for group, terms in sorted(grouped.items())}


def build_isced_levels(source: Path) -> list[list[str]]:
    """ISCED 2011 levels 0-8; the source's 9 "Not elsewhere classified" is not a level."""
    return [
        [row["code"], row["title_en"], row["short_title_en"]]
        for row in _read_csv(source / "isced2011_levels.csv")
        if row["code"] in set("012345678")
    ]


FIELD_LANGUAGES = ("en", "nb", "fr", "es", "uk")


def build_fields(source: Path) -> list[list[str]]:
    """ISCED-F 2013 fields at all three levels; level and parents follow from the code."""
    rows = [
        [row["code"], *(_clean(row[f"title_{lang}"]) for lang in FIELD_LANGUAGES)]
        for row in _read_csv(source / "iscedf2013_fields.csv")
    ]
    return sorted(rows)


def build_nus_levels(source: Path) -> list[list[str]]:
    """NUS2000 level digits 0-9 with Bokmål titles, as they are."""
    return [[row["code"], row["title_nb"]] for row in _read_csv(source / "nus2000_levels.csv")]


def build_autonyms() -> dict[str, str]:
    """Each language's name in itself, from CLDR, so the app need not load every locale."""
    autonyms = {code: languages.live_autonym(code) for code in languages.all_codes()}
    return {code: name for code, name in autonyms.items() if name}


def _write_json(path: Path, head: dict[str, str], name: str, items: dict[str, object]) -> None:
    """JSON with one entry of `items` per line, so that a change reads well in a diff."""
    lines = [
        json.dumps(key) + ":" + json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        for key, value in items.items()
    ]
    opening = "".join(f"{json.dumps(k)}:{json.dumps(v)},\n" for k, v in head.items())
    body = ",\n".join(lines)
    path.write_text(f"{{{opening}{json.dumps(name)}:{{\n{body}\n}}}}\n", encoding="utf-8")


def build(source: Path, out: Path) -> list[Path]:
    """Write every file in GENERATED_FILES from the sources in `source` into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    isco = build_isco(source)
    _write_csv(out / "isco08.csv", ["code", "title_en", "title_fr", "title_nb", "nb_from"], isco)
    _write_csv(
        out / "styrk_extra_terms.csv",
        ["styrk_code", "isco_code", "title_nb"],
        build_styrk_extra_terms(source, {row[0] for row in isco}),
    )
    _write_json(out / "esco_terms.json", {}, "terms", build_esco_terms(source))
    _write_csv(
        out / "isced2011_levels.csv",
        ["code", "title_en", "short_title_en"],
        build_isced_levels(source),
    )
    _write_csv(
        out / "iscedf2013_fields.csv",
        ["code", *(f"title_{lang}" for lang in FIELD_LANGUAGES)],
        build_fields(source),
    )
    _write_csv(out / "nus2000_levels.csv", ["code", "title_nb"], build_nus_levels(source))
    cldr = {"babel_version": babel.__version__, "cldr_version": get_cldr_version()}
    _write_json(out / "language_autonyms.json", cldr, "autonyms", build_autonyms())
    return [out / name for name in GENERATED_FILES]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE_DIR)
    parser.add_argument("--out", type=Path, default=DATA_DIR)
    args = parser.parse_args(argv)
    if not args.source.is_dir():
        parser.error(f"source folder not found: {args.source}")
    for path in build(args.source, args.out):
        print(f"{path} {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
