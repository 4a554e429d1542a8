"""Statistics: counts of registered people, with small cells suppressed. No person-level rows.

What is counted
    Every submitted registration that is not erased or restricted, once, in one pass (pages
    of 500 by primary key, a fresh store per page, so memory stays flat): its categories
    (``stats_count``) come from the facts kept for it (``stats_facts``: one decryption), or,
    when it has none yet, from its answers, decrypted through ``PersonalStore.load_all`` and
    dropped before the next page; the facts made from them are kept for the next run. The
    categories are added to counters. A registration that cannot be decrypted (its key
    retired or missing) is skipped and only counted as ``unreadable``.

Tables (dimension: categories) — all in ``stats_labels.TITLES`` order
    centre, municipality (the centre's), age_band (16–17 … 67+, on the day the statistics
    are made), education_nus (highest completed level as NUS2000, the same derivation as the
    case file, ``exports.derived``), education_field (ISCED-F broad field of upper secondary
    and higher education, finished or not), mother_tongue and other_languages (CLDR codes),
    norwegian_level and english_level (the self-assessed *speaking* level in the CEFR's three
    bands: one skill keeps the table single-valued, and speaking is the one that does not
    depend on reading and writing), occupation_group (ISCO-08 major group of every work
    entry), wish_work_group (ISCO-08 major group of the wished work), wish_education
    (whether the person wrote what they want to learn), training_need and training_needs (own
    view of the need for more education, and what they think they need).
    Only NUS is published for the education level: ISCED levels next to it would be two
    classifications of the same people, and the difference between linked cells could
    reveal a suppressed one.

    In tables marked ``multiple`` a person can be in several categories (two first languages,
    work in two groups), so their cells add up to more than the number of people. Every table
    has a category for everyone else ("unknown", "none" or "uncoded"), so each single-valued
    table adds up to the number of people.

Small-cell suppression (``min_cell``, default 5: ``SELFREG_STATS_MIN_CELL``, ``--min-cell``)
    1. Primary: every count from 1 to min_cell − 1 is suppressed (CSV: empty count and
       ``suppressed`` true; JSON: ``"count": null, "suppressed": true``; the page: "under 5").
       So is the number of people when it is that small. Zero is shown: it singles no one out.
    2. Secondary: the number of people is every table's total. When exactly one cell of a
       table is suppressed, that total minus the shown cells would give it away, so the next
       smallest cell above zero is suppressed too (ties: the first in table order). Multiple
       tables get the same rule, to be safe, although their cells do not add up exactly.
    3. Centres and municipalities are linked: a municipality's count is the sum of its
       centres. Rule 2 is applied to the centres of each shown municipality as well, and when
       a municipality is suppressed, at least one of its centres is too (otherwise their sum
       would give it away); when one suppressed centre is alone in its municipality, the
       municipality is suppressed as well.
    The rules are repeated until nothing changes (``stats_suppress``). Suppressed counts never
    leave this module: ``Cell.count`` is None, and categories with suppressed counts are listed
    after the shown ones in label order, so not even their order says which is larger.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any, Iterator, Mapping

from sqlalchemy import Row, bindparam, select, update
from sqlalchemy.orm import Session

from ..codes import education, occupations
from ..crypto import CryptoError, Keyring
from ..models import Centre, Registration, RegistrationStatus
from ..questionnaire.catalogue import VERSION as CATALOGUE_VERSION
from ..storage import ErasedError, PersonalStore
from . import stats_facts
from . import stats_labels as words
from .stats_count import AGE_BANDS, CEFR_BANDS, NONE, UNCODED, UNKNOWN
from .stats_suppress import Family, suppress

FORMAT = "selfreg-statistics"
FORMAT_VERSION = 1
BATCH_SIZE = 500
DEFAULT_MIN_CELL = 5
MIN_CELL_FLOOR = 2  # 1 would publish every count, single people included
CONFIG_KEY = "SELFREG_STATS_MIN_CELL"
PEOPLE = ("people",)
CSV_HEADER = ("dimension", "category", "label_nb", "count", "suppressed")
TOTAL_CATEGORY = "_total"

DIMENSIONS = tuple(words.TITLES)
MULTIPLE = frozenset({"education_field", "mother_tongue", "other_languages",
                      "occupation_group", "training_needs"})
# Tables listed by count (largest first) rather than in a fixed order.
BY_COUNT = frozenset({"mother_tongue", "other_languages"})
SPECIAL = (UNKNOWN, UNCODED, NONE)  # always last, and only when someone is in them


@dataclass(frozen=True)
class Counts:
    """The raw counts of one pass: never published as they are (see ``build``)."""

    people: int
    unreadable: int
    by_dimension: Mapping[str, Counter]
    centres: Mapping[str, tuple[str, str | None]]  # centre id (as text) -> name, municipality


@dataclass(frozen=True)
class Cell:
    category: str
    label_nb: str
    label_en: str
    count: int | None  # None when suppressed
    suppressed: bool

    def label(self, locale: str) -> str:
        return self.label_nb if locale == words.NB else self.label_en


@dataclass(frozen=True)
class Table:
    dimension: str
    multiple: bool
    cells: tuple[Cell, ...]

    @property
    def title_nb(self) -> str:
        return words.title(self.dimension, words.NB)

    @property
    def largest(self) -> int:
        return max((cell.count or 0 for cell in self.cells), default=0)


@dataclass(frozen=True)
class Statistics:
    generated_at: datetime
    min_cell: int
    people: int | None  # None when suppressed
    unreadable: int
    tables: tuple[Table, ...]

    @property
    def people_suppressed(self) -> bool:
        return self.people is None


# --- one pass over the registrations ---------------------------------------------------------


_ROW = (Registration.id, Registration.centre_id, Registration.wrapped_dek,
        Registration.stats_facts, Registration.updated_at)


def _pages(db_session: Session, size: int) -> Iterator[list[Row]]:
    """Submitted registrations by primary key (keyset paging: page 100 costs what page 1 does),
    except restricted ones (GDPR art. 18). Plain rows, not ORM objects: a tenth of the time."""
    query = (select(*_ROW)
             .where(Registration.status == RegistrationStatus.SUBMITTED,
                    Registration.restricted_at.is_(None),
                    Registration.wrapped_dek.is_not(None))
             .order_by(Registration.id).limit(size))
    last = None
    while True:
        page = list(db_session.execute(
            query if last is None else query.where(Registration.id > last)))
        if not page:
            return
        yield page
        last = page[-1].id


def _facts_from_answers(db_session: Session, store: PersonalStore,
                        rows: list[Row]) -> dict[str, dict[str, Any] | None]:
    """{registration id: facts} worked out from the answers (None: unreadable), and kept.

    Kept only if the registration has not changed since it was read: a save in between
    empties the facts and moves ``updated_at``, and facts from the older answers must not
    overwrite that. Keeping them is not a change to the case, so ``updated_at`` stays.
    """
    made: dict[str, dict[str, Any] | None] = {}
    if not rows:
        return made
    store.prefetch(rows)
    kept = []
    for row in rows:
        try:
            facts = stats_facts.of_answers(store.load_all(row))
        except (CryptoError, ErasedError):
            made[row.id] = None
            continue
        made[row.id] = facts
        kept.append({"rid": row.id, "seen": row.updated_at,
                     "facts": store.encrypt_stats_facts(row, facts)})
    if kept:
        table = Registration.__table__
        db_session.execute(
            update(table)
            .where(table.c.id == bindparam("rid"), table.c.updated_at == bindparam("seen"))
            .values(stats_facts=bindparam("facts"), updated_at=table.c.updated_at), kept)
    return made


def count(db_session: Session, keyring: Keyring, *, today: date,
          batch_size: int = BATCH_SIZE) -> Counts:
    """Each submitted person's categories, added to the counters: from their kept facts (one
    decryption), or from their answers when there are none yet (``stats_facts``)."""
    centres = {str(c.id): (c.name, c.municipality) for c in db_session.scalars(select(Centre))}
    counters: dict[str, Counter] = {dimension: Counter() for dimension in DIMENSIONS}
    people = unreadable = 0
    for page in _pages(db_session, batch_size):
        store = PersonalStore(db_session, keyring)  # it keeps one cipher per registration
        found: dict[str, dict[str, set[str]] | None] = {}
        missing = []
        for row in page:
            try:
                found[row.id] = stats_facts.categories_on(store.load_stats_facts(row), today)
            except CryptoError:  # its key is gone, or the facts are damaged: try the answers
                found[row.id] = None
            if found[row.id] is None:
                missing.append(row)
        for registration_id, facts in _facts_from_answers(db_session, store, missing).items():
            found[registration_id] = stats_facts.categories_on(facts, today)
        for row in page:
            categories = found[row.id]
            if categories is None:  # its key retired or missing
                unreadable += 1
                continue
            people += 1
            centre = str(row.centre_id)
            counters["centre"][centre] += 1
            counters["municipality"][centres[centre][1] or NONE] += 1
            for dimension, values in categories.items():
                counters[dimension].update(values)
    return Counts(people, unreadable, counters, centres)


# --- suppression and labels ------------------------------------------------------------------


def _fixed_categories(dimension: str, counts: Counts) -> list[str]:
    """Categories listed even when nobody is in them (so charts compare across time)."""
    if dimension == "centre":
        return sorted(counts.centres, key=lambda key: counts.centres[key][0].casefold())
    if dimension == "municipality":
        return sorted({m for _, m in counts.centres.values() if m}, key=str.casefold)
    if dimension == "age_band":
        return [band for _, band in AGE_BANDS]
    if dimension == "education_nus":
        return [code for code, _ in education.nus_levels()]
    if dimension == "education_field":
        return [f.code for f in education.fields("broad") if not f.is_unknown]
    if dimension in ("norwegian_level", "english_level"):
        return list(dict.fromkeys(CEFR_BANDS.values()))
    if dimension in ("occupation_group", "wish_work_group"):
        return [str(digit) for digit in range(10) if occupations.get(str(digit))]
    if dimension == "wish_education":
        return ["yes"]
    if dimension in words.OPTION_QUESTIONS:
        return words.option_codes(dimension)
    return []  # languages: only those someone has


def _categories(dimension: str, counts: Counts) -> list[str]:
    counter = counts.by_dimension[dimension]
    listed = _fixed_categories(dimension, counts)
    extra = [c for c in counter if c not in listed and c not in SPECIAL and counter[c]]
    specials = [c for c in SPECIAL if counter[c] and c not in listed]
    return listed + sorted(extra) + specials


def _families(tables: Mapping[str, list[str]], counts: Counts) -> list[Family]:
    families = [Family(PEOPLE, tuple((d, c) for c in categories), exact=d not in MULTIPLE)
                for d, categories in tables.items()]
    by_municipality: dict[str, list[tuple[str, str]]] = {}
    for centre, (_name, municipality) in counts.centres.items():
        by_municipality.setdefault(municipality or NONE, []).append(("centre", centre))
    families += [Family(("municipality", m), tuple(members))
                 for m, members in by_municipality.items()]
    return families


def _ordered(dimension: str, cells: list[Cell]) -> tuple[Cell, ...]:
    if dimension not in BY_COUNT:
        return tuple(cells)
    special = [cell for cell in cells if cell.category in SPECIAL]
    shown = [cell for cell in cells if cell.category not in SPECIAL and not cell.suppressed]
    hidden = [cell for cell in cells if cell.category not in SPECIAL and cell.suppressed]
    shown.sort(key=lambda cell: (-cell.count, cell.label_nb.casefold()))
    hidden.sort(key=lambda cell: cell.label_nb.casefold())
    return tuple(shown + hidden + special)


def build(counts: Counts, *, min_cell: int = DEFAULT_MIN_CELL,
          generated_at: datetime | None = None) -> Statistics:
    """The publishable statistics: labelled tables with the suppression rules applied."""
    if min_cell < MIN_CELL_FLOOR:
        raise ValueError(f"min_cell must be at least {MIN_CELL_FLOOR}")
    tables = {d: _categories(d, counts) for d in DIMENSIONS}
    values: dict[Any, int] = {PEOPLE: counts.people}
    for dimension, categories in tables.items():
        for category in categories:
            values[(dimension, category)] = counts.by_dimension[dimension][category]
    hidden = suppress(values, _families(tables, counts), min_cell, fixed=frozenset({PEOPLE}))
    names = {key: name for key, (name, _) in counts.centres.items()}
    built = []
    for dimension, categories in tables.items():
        cells = []
        for category in categories:
            key = (dimension, category)
            centre_names = names if dimension == "centre" else None
            cells.append(Cell(
                category=category,
                label_nb=words.label(dimension, category, words.NB, centre_names),
                label_en=words.label(dimension, category, words.EN, centre_names),
                count=None if key in hidden else values[key],
                suppressed=key in hidden,
            ))
        built.append(Table(dimension, dimension in MULTIPLE, _ordered(dimension, cells)))
    return Statistics(
        generated_at=generated_at or datetime.now(timezone.utc),
        min_cell=min_cell,
        people=None if PEOPLE in hidden else counts.people,
        unreadable=counts.unreadable,
        tables=tuple(built),
    )


def compute(db_session: Session, keyring: Keyring, *, min_cell: int = DEFAULT_MIN_CELL,
            now: datetime | None = None, batch_size: int = BATCH_SIZE) -> Statistics:
    """Count (one pass) and build: what the command and the admin page show."""
    now = now or datetime.now(timezone.utc)
    raw = count(db_session, keyring, today=now.date(), batch_size=batch_size)
    return build(raw, min_cell=min_cell, generated_at=now)


def configured_min_cell(config: Mapping[str, Any]) -> int:
    """``SELFREG_STATS_MIN_CELL`` from the app's config (default 5), never below the floor."""
    value = int(config.get(CONFIG_KEY, DEFAULT_MIN_CELL) or DEFAULT_MIN_CELL)
    if value < MIN_CELL_FLOOR:
        raise ValueError(f"{CONFIG_KEY} must be at least {MIN_CELL_FLOOR}, not {value}")
    return value


# --- output ----------------------------------------------------------------------------------


def _timestamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def as_json(statistics: Statistics) -> dict[str, Any]:
    """The JSON document (structure in docs: module ``selfreg.cli_stats``)."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": _timestamp(statistics.generated_at),
        "catalogue_version": CATALOGUE_VERSION,
        "min_cell": statistics.min_cell,
        "people": {"count": statistics.people, "suppressed": statistics.people_suppressed},
        "unreadable_registrations": statistics.unreadable,
        "tables": [
            {
                "dimension": table.dimension,
                "title_nb": table.title_nb,
                "multiple": table.multiple,
                "cells": [
                    {"category": cell.category, "label_nb": cell.label_nb, "count": cell.count,
                     "suppressed": cell.suppressed}
                    for cell in table.cells
                ],
            }
            for table in statistics.tables
        ],
    }


def csv_rows(statistics: Statistics) -> Iterator[tuple[str, ...]]:
    """Header, the number of people (dimension "people"), then one row per cell."""
    yield CSV_HEADER

    def row(dimension: str, category: str, label: str, value: int | None) -> tuple[str, ...]:
        return (dimension, category, label, "" if value is None else str(value),
                "true" if value is None else "false")

    yield row("people", TOTAL_CATEGORY, "Personer som har sendt inn", statistics.people)
    for table in statistics.tables:
        for cell in table.cells:
            yield row(table.dimension, cell.category, cell.label_nb, cell.count)
