"""The one seam through which a person's data is written and read.

Everything personal — identity, every answer, free text — passes through here and is stored as
AEAD ciphertext under the registration's own data key (DEK), which is kept only wrapped by the
keyring's active key. Views and templates see plain Python values; nothing else decrypts.
Blind indexes (keyed hashes) for DUF number and name + date of birth are kept up to date here.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from .crypto import (
    DecryptionError,
    FieldCipher,
    Keyring,
    new_dek,
    unwrap_dek,
    wrap_dek,
    wrapped_key_id,
)
from .crypto.blind_index import blind_index, normalise_duf, normalise_name_dob
from .models import Answer, Registration, StaffRecord, utcnow

ANSWERS_TABLE = "answers"
STAFF_RECORDS_TABLE = "staff_records"
REGISTRATIONS_TABLE = "registrations"
STATS_FACTS_COLUMN = "stats_facts"
PAYLOAD_COLUMN = "payload"
CAREER_NOTE = "career_note"
VERIFICATION = "verification"
RECORD_KINDS = (CAREER_NOTE, VERIFICATION)
DUF_PURPOSE = "duf"
NAME_DOB_PURPOSE = "name-dob"


class ErasedError(RuntimeError):
    """The registration was crypto-shredded; its data no longer exists."""


class RevisionConflict(RuntimeError):
    """A save was based on an older revision than the one stored (another device changed it)."""

    def __init__(self, stored_revision: int) -> None:
        super().__init__(f"stored revision is {stored_revision}")
        self.stored_revision = stored_revision


@dataclass(frozen=True)
class StoredStep:
    values: Any
    revision: int


class JsonCipher(Protocol):
    """What the store needs from a field cipher (FieldCipher; NullFieldCipher in benchmarks)."""

    def encrypt_json(self, obj: Any, *, table: str, column: str, row_id: str) -> bytes: ...

    def decrypt_json(self, blob: bytes, *, table: str, column: str, row_id: str) -> Any: ...


# (DEK, DEK id) -> cipher. Injectable only so the benchmark can measure the cost of encryption.
CipherFactory = Callable[[bytes, str], JsonCipher]


def _row_id(registration_id: str, step: str) -> str:
    return f"{registration_id}/{step}"


class PersonalStore:
    """Reads and writes one registration's personal data in a database session."""

    def __init__(
        self, db_session: Session, keyring: Keyring, cipher_factory: CipherFactory = FieldCipher
    ) -> None:
        self.db = db_session
        self.keyring = keyring
        self._cipher_factory = cipher_factory
        self._ciphers: dict[str, JsonCipher] = {}
        self._prefetched: dict[str, list[Answer]] = {}

    # --- keys ---------------------------------------------------------------------------

    def provision(self, registration: Registration) -> None:
        """Give a new registration its own data key, wrapped by the active key."""
        wrapped = wrap_dek(self.keyring, new_dek(), registration.id)
        registration.wrapped_dek = wrapped
        registration.kek_id = wrapped_key_id(wrapped)

    def _cipher(self, registration: Registration) -> JsonCipher:
        if registration.wrapped_dek is None:
            raise ErasedError("this registration's data has been erased")
        cipher = self._ciphers.get(registration.id)
        if cipher is None:
            dek = unwrap_dek(self.keyring, registration.wrapped_dek, registration.id)
            cipher = self._cipher_factory(dek, registration.id)
            self._ciphers[registration.id] = cipher
        return cipher

    # --- answers ------------------------------------------------------------------------

    def prefetch(self, registrations: list[Registration]) -> None:
        """Read a page of registrations' answer rows in one query (exports, statistics).

        Meant for a store used to read one page and then dropped; any save through this
        store forgets the prefetched rows of that registration.
        """
        ids = [registration.id for registration in registrations]
        self._prefetched = {registration_id: [] for registration_id in ids}
        for row in self.db.scalars(select(Answer).where(Answer.registration_id.in_(ids))):
            self._prefetched[row.registration_id].append(row)

    def _answer_rows(self, registration: Registration) -> list[Answer]:
        """The registration's answer rows, read once per store (a store lives for one request
        or one page): a page's answers, revisions and who changed what come from one query.
        Every write through the store (``save_step``, ``add_new_registrations``, ``shred``)
        forgets the rows it read, so a later read sees the write."""
        rows = self._prefetched.get(registration.id)
        if rows is None:
            rows = list(
                self.db.scalars(select(Answer).where(Answer.registration_id == registration.id))
            )
            self._prefetched[registration.id] = rows
        return rows

    def forget(self, registration_id: str) -> None:
        """Drop the rows read for this registration (after a rollback: they may be stale)."""
        self._prefetched.pop(registration_id, None)

    def load_all(self, registration: Registration) -> dict[str, Any]:
        """Every stored step's values: ``{step_key: values}``."""
        cipher = self._cipher(registration)
        return {
            row.step: cipher.decrypt_json(
                row.payload, table=ANSWERS_TABLE, column=PAYLOAD_COLUMN,
                row_id=_row_id(registration.id, row.step),
            )
            for row in self._answer_rows(registration)
        }

    def revisions(self, registration: Registration) -> dict[str, int]:
        return {row.step: row.revision for row in self._answer_rows(registration)}

    def load_step(self, registration: Registration, step: str) -> StoredStep | None:
        row = self._row(registration, step)
        if row is None:
            return None
        values = self._cipher(registration).decrypt_json(
            row.payload, table=ANSWERS_TABLE, column=PAYLOAD_COLUMN,
            row_id=_row_id(registration.id, step),
        )
        return StoredStep(values, row.revision)

    def _row(self, registration: Registration, step: str) -> Answer | None:
        return self.db.scalar(
            select(Answer).where(Answer.registration_id == registration.id, Answer.step == step)
        )

    def save_step(
        self,
        registration: Registration,
        step: str,
        values: Any,
        *,
        based_on_revision: int | None = None,
        changed_by_user_id: int | None = None,
    ) -> int:
        """Store a step's values; returns the new revision.

        With ``based_on_revision`` the save is refused (RevisionConflict) when someone else
        saved the step since, so a late replay never silently overwrites newer answers.
        ``changed_by_user_id`` is the staff user who made the change (None: the person).
        """
        self._prefetched.pop(registration.id, None)
        payload = self._cipher(registration).encrypt_json(
            values, table=ANSWERS_TABLE, column=PAYLOAD_COLUMN, row_id=_row_id(registration.id, step)
        )
        row = self._row(registration, step)
        if row is None:
            if based_on_revision not in (None, 0):
                raise RevisionConflict(0)
            row = Answer(registration_id=registration.id, step=step, revision=1, payload=payload)
            self.db.add(row)
        else:
            if based_on_revision is not None and based_on_revision != row.revision:
                raise RevisionConflict(row.revision)
            row.payload = payload
            row.revision += 1
            row.updated_at = utcnow()
        row.changed_by_user_id = changed_by_user_id
        registration.updated_at = utcnow()
        registration.stats_facts = None  # worked out from the answers before this save
        self._refresh_indexes(registration, step, values)
        return row.revision

    def add_new_registrations(
        self, batch: list[tuple[Registration, dict[str, Any], dict[str, int]]]
    ) -> None:
        """Store every step of registrations that have no answers yet, in one INSERT.

        For imports and demo data: ``save_step`` reads each step's row first (25 queries a
        person); new registrations have none, so the rows are encrypted and inserted at once.
        ``batch`` holds (registration, {step: values}, {step: staff user id}). The caller
        flushes the registrations first and commits afterwards.
        """
        rows = []
        now = utcnow()
        for registration, answers, changed_by in batch:
            self._prefetched.pop(registration.id, None)
            registration.stats_facts = None
            cipher = self._cipher(registration)
            for step, values in answers.items():
                rows.append({
                    "registration_id": registration.id, "step": step, "revision": 1,
                    "payload": cipher.encrypt_json(
                        values, table=ANSWERS_TABLE, column=PAYLOAD_COLUMN,
                        row_id=_row_id(registration.id, step)),
                    "changed_by_user_id": changed_by.get(step), "updated_at": now,
                })
            origin = (answers.get("origin") or {}).get("duf_number") or ""
            duf = normalise_duf(origin)
            registration.duf_index = blind_index(self.keyring, DUF_PURPOSE, duf) if duf else None
            name, birth = answers.get("name"), answers.get("birth")
            registration.name_dob_index = self._name_dob_index(
                StoredStep(name, 0) if name is not None else None,
                StoredStep(birth, 0) if birth is not None else None,
            )
        if rows:
            # Core, not the ORM bulk path: about a quarter less time for a demo or import batch.
            self.db.execute(insert(Answer.__table__), rows)

    def changed_by(self, registration: Registration) -> dict[str, int | None]:
        """{step: staff user id who saved it last, or None for the person}."""
        return {row.step: row.changed_by_user_id for row in self._answer_rows(registration)}

    # --- what the statistics count (selfreg.exports.stats_facts) ----------------------------

    def encrypt_stats_facts(self, registration: Registration, facts: Any) -> bytes:
        """The ciphertext for ``registration.stats_facts`` (the caller decides how to write it:
        statistics write it without touching ``updated_at``)."""
        return self._cipher(registration).encrypt_json(
            facts, table=REGISTRATIONS_TABLE, column=STATS_FACTS_COLUMN, row_id=registration.id)

    def load_stats_facts(self, registration: Registration) -> Any | None:
        """The stored facts, or None when there are none. ``registration`` may be a row of
        a Core query with ``id``, ``wrapped_dek`` and ``stats_facts``."""
        if registration.stats_facts is None:
            return None
        return self._cipher(registration).decrypt_json(
            registration.stats_facts, table=REGISTRATIONS_TABLE, column=STATS_FACTS_COLUMN,
            row_id=registration.id)

    # --- what staff add: career note, verification statuses --------------------------------

    def _record_row(self, registration: Registration, kind: str) -> StaffRecord | None:
        if kind not in RECORD_KINDS:
            raise ValueError(f"unknown staff record kind {kind!r}")
        return self.db.scalar(
            select(StaffRecord).where(
                StaffRecord.registration_id == registration.id, StaffRecord.kind == kind
            )
        )

    def load_record(self, registration: Registration, kind: str) -> StoredStep | None:
        row = self._record_row(registration, kind)
        if row is None:
            return None
        values = self._cipher(registration).decrypt_json(
            row.payload, table=STAFF_RECORDS_TABLE, column=PAYLOAD_COLUMN,
            row_id=_row_id(registration.id, kind),
        )
        return StoredStep(values, row.revision)

    def save_record(
        self,
        registration: Registration,
        kind: str,
        values: Any,
        *,
        user_id: int,
        based_on_revision: int | None = None,
    ) -> int:
        """Store a staff record (refused with RevisionConflict if changed since it was read)."""
        row = self._record_row(registration, kind)
        # A counsellor's marks and notes are changes to the case: exports "since" must see them.
        registration.updated_at = utcnow()
        payload = self._cipher(registration).encrypt_json(
            values, table=STAFF_RECORDS_TABLE, column=PAYLOAD_COLUMN,
            row_id=_row_id(registration.id, kind),
        )
        if row is None:
            if based_on_revision not in (None, 0):
                raise RevisionConflict(0)
            row = StaffRecord(registration_id=registration.id, kind=kind, revision=1,
                              payload=payload, updated_by_user_id=user_id)
            self.db.add(row)
            return 1
        if based_on_revision is not None and based_on_revision != row.revision:
            raise RevisionConflict(row.revision)
        row.payload = payload
        row.revision += 1
        row.updated_by_user_id = user_id
        row.updated_at = utcnow()
        return row.revision

    # --- blind indexes ------------------------------------------------------------------

    def _refresh_indexes(self, registration: Registration, step: str, values: Any) -> None:
        if step == "origin":
            duf = normalise_duf((values or {}).get("duf_number") or "")
            registration.duf_index = (
                blind_index(self.keyring, DUF_PURPOSE, duf) if duf else None
            )
        if step in ("name", "birth"):
            name = self.load_step(registration, "name") if step != "name" else StoredStep(values, 0)
            birth = self.load_step(registration, "birth") if step != "birth" else StoredStep(values, 0)
            registration.name_dob_index = self._name_dob_index(name, birth)

    def _name_dob_index(self, name: StoredStep | None, birth: StoredStep | None) -> bytes | None:
        if name is None or birth is None:
            return None
        full_name = " ".join(
            part for part in (name.values.get("given_names"), name.values.get("family_name")) if part
        )
        born = birth.values.get("birth_date")
        if not full_name or not born:
            return None
        return blind_index(self.keyring, NAME_DOB_PURPOSE, normalise_name_dob(full_name, born))

    def compute_indexes(self, registration: Registration) -> tuple[bytes | None, bytes | None]:
        """(DUF index, name + birth index) from the stored answers, under the current index key.

        For index-key rotation: the caller writes them, so that rewriting an index does not
        count as activity on the registration (retention runs from the last real change).
        """
        origin = self.load_step(registration, "origin")
        duf = normalise_duf(((origin.values if origin else None) or {}).get("duf_number") or "")
        duf_index = blind_index(self.keyring, DUF_PURPOSE, duf) if duf else None
        name_dob = self._name_dob_index(
            self.load_step(registration, "name"), self.load_step(registration, "birth")
        )
        return duf_index, name_dob

    def duf_lookup(self, duf_text: str) -> bytes | None:
        duf = normalise_duf(duf_text)
        return blind_index(self.keyring, DUF_PURPOSE, duf) if duf else None

    # --- erasure ------------------------------------------------------------------------

    def shred(self, registration: Registration) -> None:
        """Crypto-shredding: destroy the data key and the ciphertext; keep only metadata."""
        self._prefetched.pop(registration.id, None)
        for row in self._answer_rows(registration):
            self.db.delete(row)
        for record in self.db.scalars(
            select(StaffRecord).where(StaffRecord.registration_id == registration.id)
        ):
            self.db.delete(record)
        # Keep the id of the KEK that wrapped the destroyed DEK (an id, not personal data):
        # older database backups still hold that wrapped DEK, so the erasure reaches them only
        # once that KEK is destroyed too, and selfreg.keyops finds such keys from this column.
        registration.kek_id = _wrapping_key_id(registration)
        registration.wrapped_dek = None
        registration.duf_index = None
        registration.name_dob_index = None
        registration.stats_facts = None
        self._ciphers.pop(registration.id, None)


def _wrapping_key_id(registration: Registration) -> str | None:
    """The KEK id in the wrapped DEK's header (what unwrapping trusts), else the column."""
    if registration.wrapped_dek is not None:
        try:
            return wrapped_key_id(registration.wrapped_dek)
        except DecryptionError:
            pass
    return registration.kek_id
