"""Which recipients hold a person's case file, read from the audit trail's export events.

Every sealed bundle writes one ``export`` event per registration that names the recipient's
key ("bundle to <fingerprint prefix>", ``bundles.mark_exported``), and nothing else records it.
GDPR art. 19: an erasure or restriction must be passed on to each recipient that has the data
(by the controller: the system cannot reach into their copies); art. 15(1)(c): the person may
know who they are (their own copy lists them). The counsellor's own summary PDF is not a
disclosure to a recipient and is not listed.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit
from ..models import AuditEvent, ExportRecipient

BUNDLE_DETAIL = "bundle to "
FINGERPRINT_SHOWN = 16  # characters of the recipient's key fingerprint an event names


def bundle_detail(recipient_fingerprint: str) -> str:
    """The detail of the ``export`` event written for each case file in a bundle."""
    return f"{BUNDLE_DETAIL}{recipient_fingerprint[:FINGERPRINT_SHOWN]}"


@dataclass(frozen=True)
class Disclosure:
    recipient: str | None  # the registered name; None when no registered key matches any more
    fingerprint: str  # the prefix the audit event names
    last_at: datetime


def recipients_holding(session: Session, registration_id: str) -> list[Disclosure]:
    """Every recipient a sealed case file of this registration went to, newest first."""
    rows = session.execute(
        select(AuditEvent.detail, func.max(AuditEvent.at))
        .where(AuditEvent.registration_id == registration_id,
               AuditEvent.action == audit.Action.EXPORT,
               AuditEvent.detail.startswith(BUNDLE_DETAIL))
        .group_by(AuditEvent.detail)
    ).all()
    if not rows:
        return []
    keys = session.execute(select(ExportRecipient.name, ExportRecipient.fingerprint)).all()
    found = []
    for detail, last_at in rows:
        prefix = detail[len(BUNDLE_DETAIL):]
        names = sorted(name for name, fingerprint in keys if fingerprint.startswith(prefix))
        found.append(Disclosure(names[0] if names else None, prefix, last_at))
    return sorted(found, key=lambda item: item.last_at, reverse=True)
