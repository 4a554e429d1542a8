"""Staff accounts and their sessions.

A staff member's work e-mail is kept in plain text (it is how they log in and how an admin finds
them; it is not a resident's data). Their TOTP secret is wrapped by the keyring's active KEK like
a registration's data key, so it is ciphertext at rest and follows key rotation.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, LargeBinary, String, Table
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .core import PERSONAL, PLAIN, Base, Centre, Region, UTCDateTime, utcnow


class Role:
    GUIDE = "guide"
    COUNSELLOR = "counsellor"
    ADMIN = "admin"
    ALL = (GUIDE, COUNSELLOR, ADMIN)


user_centres = Table(
    "user_centres",
    Base.metadata,
    Column("user_id", ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, info=PLAIN),
    Column("centre_id", ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True,
           info=PLAIN),
)


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    email: Mapped[str] = mapped_column(String(254), unique=True, info=PLAIN)
    role: Mapped[str] = mapped_column(String(16), info=PLAIN)
    password_hash: Mapped[str] = mapped_column(String(255), info=PLAIN)
    # The TOTP secret wrapped by a KEK (None until the first login sets it up).
    totp_wrapped: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, info=PERSONAL)
    totp_kek_id: Mapped[str | None] = mapped_column(String(64), nullable=True, info=PLAIN)
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False, info=PLAIN)
    # RFC 6238 section 5.2: each code is accepted once; the last time step used is kept.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0, info=PLAIN)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False, info=PLAIN)
    active: Mapped[bool] = mapped_column(Boolean, default=True, info=PLAIN)
    region_id: Mapped[int | None] = mapped_column(
        ForeignKey("regions.id"), nullable=True, index=True, info=PLAIN
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, info=PLAIN)
    last_login_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, info=PLAIN
    )

    centres: Mapped[list[Centre]] = relationship(secondary=user_centres)
    region: Mapped[Region | None] = relationship()


class StaffSession(Base):
    """A staff login, server side: logout and idle expiry end it whatever the cookie says.

    The cookie carries a random token; only its SHA-256 is stored, so a copy of the database
    cannot be used to take over a session.
    """

    __tablename__ = "staff_sessions"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True, info=PLAIN)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, info=PLAIN
    )
    # "password" after the first factor, "full" after TOTP.
    stage: Mapped[str] = mapped_column(String(16), info=PLAIN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, info=PLAIN)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, info=PLAIN)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), nullable=True, info=PLAIN)

    user: Mapped[User] = relationship()
