"""How long registrations are kept: the configured period, an admin's override, what is due.

The configured ``SELFREG_RETENTION_DAYS`` is the default; an admin may override it from the
staff pages, and the override lives in ``system_info`` (key ``retention_days``) so that every
worker, the ``purge`` command and the resident's own copy read the same value. Why bounds:
under 30 days a slow resident would lose work in progress; over ten years is not "no longer
than necessary" for anyone.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .models import Registration, RegistrationStatus, SystemInfo, utcnow

RETENTION_KEY = "retention_days"
MIN_RETENTION_DAYS = 30
MAX_RETENTION_DAYS = 3650


def configured_retention_days(app_config: Mapping[str, Any]) -> int:
    return int(app_config["SELFREG_RETENTION_DAYS"])


def override_days(db_session: Session) -> int | None:
    """The admin's override, if one is stored and sane; otherwise None."""
    row = db_session.get(SystemInfo, RETENTION_KEY)
    if row is None:
        return None
    try:
        days = int(row.value)
    except (TypeError, ValueError):
        return None
    return days if MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS else None


def effective_retention_days(db_session: Session, app_config: Mapping[str, Any]) -> int:
    """The retention period in force: the admin's override, else the configured value."""
    override = override_days(db_session)
    return override if override is not None else configured_retention_days(app_config)


def set_override(db_session: Session, days: int | None) -> None:
    """Store an override (None removes it); the caller audits and commits."""
    row = db_session.get(SystemInfo, RETENTION_KEY)
    if days is None:
        if row is not None:
            db_session.delete(row)
        return
    if not MIN_RETENTION_DAYS <= days <= MAX_RETENTION_DAYS:
        raise ValueError(f"retention must be {MIN_RETENTION_DAYS} to {MAX_RETENTION_DAYS} days")
    if row is None:
        db_session.add(SystemInfo(key=RETENTION_KEY, value=str(days)))
    else:
        row.value = str(days)


def restricted_count(db_session: Session) -> int:
    """Registrations restricted now (GDPR art. 18): the purge keeps them while they are."""
    return db_session.scalar(
        select(func.count()).select_from(Registration).where(
            Registration.status != RegistrationStatus.ERASED,
            Registration.restricted_at.is_not(None),
        )
    ) or 0


def due_by_month(
    db_session: Session, retention_days: int, *, months: int = 12, now: datetime | None = None
) -> list[tuple[date, int]]:
    """How many registrations fall due in each of the next ``months`` calendar months.

    A registration is due ``retention_days`` after its last change or submission, whichever is
    later (the rule of ``keyops.erasure.expired``); a restricted one is not due while it is. Only timestamps are read; the dates are
    grouped here, not in SQL, because date arithmetic differs between SQLite and PostgreSQL.
    Returns ``[(first day of month, count), ...]`` from the current month on, months without
    any left out.
    """
    now = (now or utcnow()).astimezone(timezone.utc)
    keep = timedelta(days=retention_days)
    horizon = _add_months(date(now.year, now.month, 1), months)
    # Anything due before the horizon was last touched before (horizon - retention).
    latest_touch = datetime(horizon.year, horizon.month, 1, tzinfo=timezone.utc) - keep
    rows = db_session.execute(
        select(Registration.updated_at, Registration.submitted_at).where(
            Registration.status != RegistrationStatus.ERASED,
            Registration.restricted_at.is_(None),
            Registration.updated_at < latest_touch,
        ).execution_options(yield_per=5000)
    )
    counts: Counter[date] = Counter()
    for updated_at, submitted_at in rows:
        last = max(updated_at, submitted_at) if submitted_at else updated_at
        due = last + keep
        if due < now or due.date() >= horizon:
            continue  # already due (counted as expired) or beyond the horizon
        counts[date(due.year, due.month, 1)] += 1
    return sorted(counts.items())


def _add_months(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)
