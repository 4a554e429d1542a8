"""Reading case files (JSON Lines) back in: to move registrations between installations, and in
tests.

Every line is checked in full before anything is written: JSON, the schemas, then what only the
database can say (is this registration or this DUF number here already?). A line that fails is
refused with its line number and the path of each field at fault, and the others go on. An
accepted line becomes a registration with the same id, centre, status and times, its answers
stored through ``PersonalStore`` (encrypted under a new data key) and its verification record.

Choices made here (docs/CASE-FILE.md, "Import"):

- The same registration id, or a DUF number already registered, refuses the line: the person
  is here already, and two records of one person would drift apart.
- Text with control or direction-changing characters is refused, not cleaned (see
  ``validators.CleanText``).
- Steps that staff saved last are recorded as saved by ``staff_user_id``: this installation's
  staff member who answers for them. Without one such lines are refused, so that staff changes
  never turn silently into the person's own words.
- The resident code is new and never shown: nobody can sign in as the person until staff
  gives them a new code.

Lines are read one at a time and committed in batches, with a fresh store per batch, so memory
stays flat however long the file is.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timezone
from typing import IO, Any, Callable, Iterable, Iterator

from marshmallow import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import access_codes
from ..crypto import Keyring
from ..crypto.blind_index import code_lookup_hash
from ..models import Centre, Registration
from ..questionnaire import flow
from ..questionnaire.catalogue import CATALOGUE
from ..storage import VERIFICATION, PersonalStore
from . import derived
from .bulk import save_new_answers
from .casefile import StoredCaseFile, stored_answers
from .schemas import case_file_schema

BATCH_SIZE = 500
MAX_LINE_BYTES = 4 * 1024 * 1024  # a full registration is well under 200 KB


@dataclass(frozen=True)
class Refusal:
    """Why one line was not imported: (field path, message) pairs; the path may be empty."""

    line: int
    problems: tuple[tuple[str, str], ...]

    def messages(self) -> list[str]:
        return [
            f"line {self.line}: {path}: {message}" if path else f"line {self.line}: {message}"
            for path, message in self.problems
        ]

    def __str__(self) -> str:
        return "\n".join(self.messages())


@dataclass
class ImportCounts:
    read: int = 0  # non-blank lines
    imported: int = 0
    refused: int = 0


class _LineError(Exception):
    def __init__(self, *problems: tuple[str, str]) -> None:
        super().__init__(problems)
        self.problems = problems


def read_lines(stream: IO[bytes], limit: int = MAX_LINE_BYTES) -> Iterator[bytes | None]:
    """Lines of a binary stream; None for a line longer than ``limit`` (skipped, not held)."""
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := stream.readline(limit)) and not rest.endswith(b"\n"):
                pass
            yield None
        else:
            yield line


def flatten(messages: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """marshmallow's nested error dict as (dotted path, message) pairs."""
    if isinstance(messages, dict):
        for key, inner in messages.items():
            step = "" if key == "_schema" else str(key)
            yield from flatten(inner, f"{path}.{step}".strip(".") if step else path)
    elif isinstance(messages, list):
        for message in messages:
            yield from flatten(message, path)
    else:
        yield path, str(messages).rstrip(".")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [key for key, _ in pairs]
    repeated = next((key for key in keys if keys.count(key) > 1), None)
    if repeated is not None:
        raise _LineError(("", f"the key {repeated!r} appears twice in one object"))
    return dict(pairs)


def _no_constant(name: str) -> None:
    raise _LineError(("", f"{name} is not a JSON number"))


def parse_line(raw: bytes | str) -> dict[str, Any]:
    """The line's JSON object, or _LineError saying why there is none."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError as error:
        raise _LineError(("", f"not UTF-8 (byte {error.start + 1})")) from None
    try:
        data = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        raise _LineError(("", f"not valid JSON: {error.msg} (column {error.colno})")) from None
    except RecursionError:
        raise _LineError(("", "not valid JSON: nested too deeply")) from None
    if not isinstance(data, dict):
        raise _LineError(("", "a line must hold one JSON object (a case file)"))
    return data


def _check_consistency(document: dict[str, Any], stored: StoredCaseFile) -> list[tuple[str, str]]:
    """What the schemas cannot see: steps that do not apply, identity that differs."""
    problems = []
    applying = {step.key for step in flow.applicable_steps(CATALOGUE, stored.answers)}
    for key in stored.answers:
        if key not in applying:
            problems.append((f"answers.{key}", "this step does not apply given the other answers"))
    expected = derived.identity(stored.answers)
    for key, value in document["identity"].items():
        same = (value or {}).get("code") == (expected[key] or {}).get("code") if (
            key == "country_of_origin"
        ) else value == expected[key]
        if not same:
            problems.append((f"identity.{key}", "differs from the answers"))
    if stored.answers and document["registration"]["catalogue_version"] is None:
        problems.append(("registration.catalogue_version", "needed when there are answers"))
    return problems


TIMES = ("created_at", "updated_at", "consented_at", "submitted_at", "followed_up_at")


def _times_in_utc(shown: dict[str, Any]) -> list[tuple[str, str]]:
    """Turn the registration's times into UTC, as they are stored (SQLite keeps no offset, so
    "12:00+02:00" would be read back as 12:00 UTC); what has no UTC time is a problem."""
    problems = []
    for key in TIMES:
        if shown[key] is not None:
            try:
                shown[key] = shown[key].astimezone(timezone.utc)
            except OverflowError:
                problems.append((f"registration.{key}", "no such time in UTC"))
    return problems


class _Importer:
    def __init__(self, db: Session, keyring: Keyring, staff_user_id: int | None) -> None:
        self.db = db
        self.keyring = keyring
        self.staff_user_id = staff_user_id
        self.store = PersonalStore(db, keyring)
        self.schema = case_file_schema()
        self.centres: dict[str, int] = {}

    def fresh_store(self) -> None:
        self.store = PersonalStore(self.db, self.keyring)

    def check(self, raw: bytes | str) -> tuple[dict[str, Any], StoredCaseFile]:
        data = parse_line(raw)
        try:
            document = self.schema.load(data)
        except ValidationError as error:
            raise _LineError(*flatten(error.messages)) from None
        stored = stored_answers(document)
        problems = _check_consistency(document, stored) + _times_in_utc(document["registration"])
        if stored.staff_steps and self.staff_user_id is None:
            problems.extend(
                (f"answers.{key}.changed_by_staff",
                 "staff changes need a staff user here who answers for them (--staff-user)")
                for key in sorted(stored.staff_steps)
            )
        problems.extend(self._already_here(document, stored))
        if problems:
            raise _LineError(*problems)
        return document, stored

    def _already_here(self, document: dict[str, Any], stored: StoredCaseFile):
        if self.db.get(Registration, document["registration"]["id"]) is not None:
            yield "registration.id", "a registration with this id exists already"
        duf = (stored.answers.get("origin") or {}).get("duf_number")
        index = self.store.duf_lookup(duf) if duf else None
        if index is not None and self.db.scalar(
            select(Registration.id).where(Registration.duf_index == index).limit(1)
        ):
            yield "answers.origin.duf_number", "a registration with this DUF number exists already"

    def _centre(self, shown: dict[str, Any]) -> Centre:
        name = shown["name"].strip()
        centre_id = self.centres.get(name)
        centre = self.db.get(Centre, centre_id) if centre_id else None
        if centre is None:
            centre = self.db.scalar(select(Centre).where(Centre.name == name))
        if centre is None:
            centre = Centre(name=name, municipality=shown["municipality"])
            self.db.add(centre)
            self.db.flush()
        self.centres[name] = centre.id
        return centre

    def write(self, document: dict[str, Any], stored: StoredCaseFile) -> None:
        shown = document["registration"]
        registration = Registration(
            id=shown["id"],
            centre=self._centre(document["centre"]),
            code_lookup=code_lookup_hash(self.keyring, access_codes.generate()),
            status=shown["status"],
            locale=shown["locale"],
            catalogue_version=shown["catalogue_version"],
            created_at=shown["created_at"],
            consented_at=shown["consented_at"],
            submitted_at=shown["submitted_at"],
            followed_up_at=shown["followed_up_at"],
        )
        self.db.add(registration)
        self.store.provision(registration)
        staff = {key: self.staff_user_id for key in stored.staff_steps}
        save_new_answers(self.db, self.store, [(registration, stored.answers, staff)])
        if stored.statuses:
            self.store.save_record(
                registration, VERIFICATION, stored.statuses, user_id=self.staff_user_id
            )
        registration.steps_done = len(flow.applicable_steps(CATALOGUE, stored.answers)) - len(
            flow.missing_steps(CATALOGUE, stored.answers)
        )
        registration.updated_at = shown["updated_at"]
        self.db.flush()


def import_case_files(
    db_session: Session,
    keyring: Keyring,
    lines: Iterable[bytes | str | None],
    *,
    staff_user_id: int | None = None,
    batch_size: int = BATCH_SIZE,
    on_refusal: Callable[[Refusal], None] | None = None,
    on_progress: Callable[[ImportCounts], None] | None = None,
    progress_every: int = 1000,
) -> ImportCounts:
    """Import every valid line; refused lines go to ``on_refusal`` as they are met.

    ``lines`` may come from ``read_lines`` (None stands for a line that was too long). Blank
    lines are skipped. Commits every ``batch_size`` imported lines and at the end. Labels in
    the file are not read, so no app context is needed.
    """
    importer = _Importer(db_session, keyring, staff_user_id)
    counts = ImportCounts()
    pending = 0
    for number, raw in enumerate(lines, start=1):
        if raw is not None and not raw.strip():
            continue
        counts.read += 1
        try:
            if raw is None:
                raise _LineError(("", f"longer than {MAX_LINE_BYTES} bytes"))
            document, stored = importer.check(raw)
        except _LineError as error:
            counts.refused += 1
            if on_refusal is not None:
                on_refusal(Refusal(number, tuple(error.problems)))
        else:
            importer.write(document, stored)
            counts.imported += 1
            pending += 1
            if pending >= batch_size:
                db_session.commit()
                importer.fresh_store()
                pending = 0
        if on_progress is not None and counts.read % progress_every == 0:
            on_progress(counts)
    db_session.commit()
    return counts
