"""The audit trail: who touched which registration, when, how - never the data itself."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .core import PLAIN, Base, UTCDateTime, utcnow


class AuditEvent(Base):
    """One entry in an append-only hash chain (see selfreg/audit.py); ``seq`` is gapless."""

    __tablename__ = "audit_events"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    seq: Mapped[int] = mapped_column(Integer, unique=True, info=PLAIN)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True, info=PLAIN)
    # No foreign keys: the trail must outlive deleted users and erased registrations.
    user_id: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True, info=PLAIN)
    actor: Mapped[str] = mapped_column(String(16), info=PLAIN)  # staff, resident, system
    action: Mapped[str] = mapped_column(String(48), index=True, info=PLAIN)
    registration_id: Mapped[str | None] = mapped_column(
        String(32), nullable=True, index=True, info=PLAIN
    )
    # A step key, a count, a role: never anything a person wrote.
    detail: Mapped[str] = mapped_column(String(200), default="", info=PLAIN)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32), info=PLAIN)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32), info=PLAIN)




class AuditHead(Base):
    """The newest link of the chain, in one row that every append locks first.

    Why a head row: appends from several workers then queue on one row lock (PostgreSQL) or
    the write lock (SQLite) instead of forking the chain, and cutting events off the end of
    the table is detected because the head no longer matches the last event.
    """

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    seq: Mapped[int] = mapped_column(Integer, default=0, info=PLAIN)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32), info=PLAIN)
