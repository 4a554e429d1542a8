"""ORM classes for centres, registrations and answers. Every column says whether it is personal (``info={"personal": ...}``).

Personal columns hold only ciphertext (``LargeBinary``) written through ``selfreg.storage``; the
rest is metadata that reveals nothing about a person: ids, centre, status, timestamps, locale,
catalogue version, progress counts. A test fails when a column is added without saying which.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone

from sqlalchemy import (
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

PLAIN = {"personal": False}
PERSONAL = {"personal": True}
# Keyed hashes: not reversible without the index key, but they do reveal equality.
LOOKUP = {"personal": False, "keyed_hash": True}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def new_id() -> str:
    return uuid.uuid4().hex


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database (SQLite forgets the zone).

    Every value is turned into UTC on the way in: SQLite keeps the text without the offset and
    compares text, so 10:30+01:00 would be stored, and compared, as 10:30 UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


class Base(DeclarativeBase):
    pass


class SystemInfo(Base):
    """Key/value facts about this installation (e.g. which keyring it belongs to)."""

    __tablename__ = "system_info"
    key: Mapped[str] = mapped_column(String(64), primary_key=True, info=PLAIN)
    value: Mapped[str] = mapped_column(String(255), info=PLAIN)


class Region(Base):
    """A career centre's area: the centres (and municipalities) whose people it follows up."""

    __tablename__ = "regions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    name: Mapped[str] = mapped_column(String(200), unique=True, info=PLAIN)

    centres: Mapped[list["Centre"]] = relationship(back_populates="region")


class Centre(Base):
    __tablename__ = "centres"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    name: Mapped[str] = mapped_column(String(200), unique=True, info=PLAIN)
    municipality: Mapped[str | None] = mapped_column(String(100), nullable=True, info=PLAIN)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id"), nullable=True, index=True, info=PLAIN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, info=PLAIN)

    region: Mapped[Region | None] = relationship(back_populates="centres")

    registrations: Mapped[list["Registration"]] = relationship(back_populates="centre")


class RegistrationStatus:
    NEW = "new"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    ERASED = "erased"


class Registration(Base):
    __tablename__ = "registrations"
    # The staff lists count and page one centre's or one region's registrations: without these
    # they read every row of the scope (a region's list read all submitted registrations of
    # the country) and sort them. Migration 0006; measured by bench/scale_bench.py.
    __table_args__ = (
        # A guide's counts by status (covering), a region's count of submitted ones.
        Index("ix_registrations_centre_status", "centre_id", "status", "exported_at",
              "restricted_at"),
        # A guide's list, most recently changed first.
        Index("ix_registrations_centre_updated", "centre_id", "updated_at"),
        # A counsellor's list, most recently submitted first.
        Index("ix_registrations_status_submitted", "status", "submitted_at"),
        # Statistics and export streams: submitted ones page by id. Without it SQLite sorted
        # every submitted row for each page of 500 (migration 0007).
        Index("ix_registrations_status_id", "status", "id"),
    )
    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id, info=PLAIN)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id"), index=True, info=PLAIN)
    code_lookup: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True, info=LOOKUP)
    link_lookup: Mapped[bytes | None] = mapped_column(
        LargeBinary(32), unique=True, nullable=True, info=LOOKUP
    )
    status: Mapped[str] = mapped_column(
        String(16), default=RegistrationStatus.NEW, index=True, info=PLAIN
    )
    locale: Mapped[str | None] = mapped_column(String(16), nullable=True, info=PLAIN)
    catalogue_version: Mapped[str | None] = mapped_column(String(16), nullable=True, info=PLAIN)
    steps_done: Mapped[int] = mapped_column(Integer, default=0, info=PLAIN)
    wrapped_dek: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, info=PLAIN)
    kek_id: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True, info=PLAIN)
    duf_index: Mapped[bytes | None] = mapped_column(
        LargeBinary(32), nullable=True, index=True, info=LOOKUP
    )
    name_dob_index: Mapped[bytes | None] = mapped_column(
        LargeBinary(32), nullable=True, index=True, info=LOOKUP
    )
    # What the statistics count of this person, worked out from the answers once and kept
    # encrypted under the same data key (selfreg/exports/stats_facts.py): statistics over
    # 100,000 people then decrypt one value each instead of every answer. A cache, never an
    # authority: every write of answers through PersonalStore empties it. Migration 0007.
    stats_facts: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, info=PERSONAL)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, info=PLAIN)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, info=PLAIN
    )
    consented_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, info=PLAIN
    )
    submitted_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, info=PLAIN
    )
    erased_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, info=PLAIN
    )
    # Set when a counsellor has gone through the profile with the person.
    followed_up_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, info=PLAIN
    )
    # Set when the case file was last sent to a recipient (exports mark what was sent).
    exported_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, info=PLAIN
    )
    # Set while processing is restricted (GDPR art. 18): the data is only stored. See
    # selfreg/staff/scope.py (who sees it) and docs/PRIVACY.md (what else leaves it out).
    restricted_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, info=PLAIN
    )

    centre: Mapped[Centre] = relationship(back_populates="registrations")
    answers: Mapped[list["Answer"]] = relationship(
        back_populates="registration", cascade="all, delete-orphan"
    )

    @property
    def is_submitted(self) -> bool:
        return self.status == RegistrationStatus.SUBMITTED

    @property
    def is_erased(self) -> bool:
        return self.status == RegistrationStatus.ERASED

    @property
    def is_restricted(self) -> bool:
        return self.restricted_at is not None


class Answer(Base):
    """The answers to one step of the questionnaire, as one ciphertext."""

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("registration_id", "step", name="uq_answers_step"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    registration_id: Mapped[str] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True, info=PLAIN
    )
    step: Mapped[str] = mapped_column(String(64), info=PLAIN)
    revision: Mapped[int] = mapped_column(Integer, default=1, info=PLAIN)
    payload: Mapped[bytes] = mapped_column(LargeBinary, info=PERSONAL)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, info=PLAIN
    )
    # Who saved the step last: None for the person, else the staff user (guided mode, or a
    # counsellor's correction). Exports and the counsellor view say whose the entry is.
    changed_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, info=PLAIN
    )

    registration: Mapped[Registration] = relationship(back_populates="answers")

    # Optimistic locking: every UPDATE says "WHERE revision = <the one read>", so two saves
    # racing on the same step cannot both win (the loser gets StaleDataError, a conflict).
    # The store sets the new revision itself (version_id_generator=False).
    __mapper_args__ = {"version_id_col": revision, "version_id_generator": False}


class IdempotencyKey(Base):
    """A save already applied, by the key the phone made for it (a random UUID).

    A phone that lost its connection sends queued answers again; the same key means the same
    save, so a replay never stores an answer twice. Not personal: a random number and an id.
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (
        UniqueConstraint("registration_id", "key", name="uq_idempotency_keys_key"),
    )
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    registration_id: Mapped[str] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True, info=PLAIN
    )
    key: Mapped[str] = mapped_column(String(36), info=PLAIN)
    step: Mapped[str] = mapped_column(String(64), info=PLAIN)
    revision: Mapped[int] = mapped_column(Integer, info=PLAIN)  # what the save produced
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, info=PLAIN)


class CodeAttempt(Base):
    """A failed resident-code entry, kept in the database so every worker sees the count."""

    __tablename__ = "code_attempts"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    client_key: Mapped[bytes] = mapped_column(LargeBinary(32), index=True, info=LOOKUP)
    failed_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, index=True, info=PLAIN
    )


class RateCounter(Base):
    """Hits per client key in one fixed time window, shared by every worker and host.

    The key is a SHA-256 of what is counted (never the value itself); rows of past windows are
    deleted as new windows begin.
    """

    __tablename__ = "rate_counters"
    client_key: Mapped[bytes] = mapped_column(LargeBinary(32), primary_key=True, info=LOOKUP)
    window: Mapped[int] = mapped_column(Integer, primary_key=True, index=True, info=PLAIN)
    hits: Mapped[int] = mapped_column(Integer, default=0, info=PLAIN)


class StaffRecord(Base):
    """What staff add to a registration, as one ciphertext per kind.

    Kinds: "career_note" (the counsellor's karrierenotat) and "verification" (each entry's
    status: self-reported, confirmed in interview, document seen). Encrypted under the
    registration's own data key, so erasure shreds them with the answers.
    """

    __tablename__ = "staff_records"
    __table_args__ = (UniqueConstraint("registration_id", "kind", name="uq_staff_records_kind"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    registration_id: Mapped[str] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), index=True, info=PLAIN
    )
    kind: Mapped[str] = mapped_column(String(32), info=PLAIN)
    revision: Mapped[int] = mapped_column(Integer, default=1, info=PLAIN)
    payload: Mapped[bytes] = mapped_column(LargeBinary, info=PERSONAL)
    updated_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id"), nullable=True, info=PLAIN
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, info=PLAIN
    )

    __mapper_args__ = {"version_id_col": revision, "version_id_generator": False}
