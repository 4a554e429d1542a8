"""Who receives sealed case files: registered recipients and what was sent to them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .core import LOOKUP, PLAIN, Base, UTCDateTime, utcnow


class ExportRecipient(Base):
    """A case system (or career centre) that bundles are sealed to, by its public key.

    ``pull_token_hash`` is the SHA-256 of the token it uses on the pull endpoint (the token is
    shown once, when made). ``cursor`` is the time up to which it has received case files.
    """

    __tablename__ = "export_recipients"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, info=PLAIN)
    name: Mapped[str] = mapped_column(String(200), unique=True, info=PLAIN)
    public_key: Mapped[str] = mapped_column(Text, info=PLAIN)  # armoured, as keygen-recipient writes it
    fingerprint: Mapped[str] = mapped_column(String(64), info=PLAIN)
    pull_token_hash: Mapped[bytes | None] = mapped_column(
        LargeBinary(32), nullable=True, unique=True, info=LOOKUP
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, info=PLAIN)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, info=PLAIN)
    last_export_at: Mapped[datetime | None] = mapped_column(
        UTCDateTime(), nullable=True, info=PLAIN
    )
