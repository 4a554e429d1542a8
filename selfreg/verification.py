"""How far an entry is verified: what the person said, what the interview confirmed, papers seen.

The counsellor marks each answered step (or, for repeatable steps, each entry) during the
interview. Statuses are stored encrypted as one staff record per registration
(``PersonalStore.load_record(registration, VERIFICATION)``): ``{"<step>": status}`` for a plain
step and ``{"<step>/<entry id>": status}`` for an entry. Anything not marked is self-reported;
the status travels with the data into every export.
"""
from __future__ import annotations

from typing import Any, Mapping

SELF_REPORTED = "self_reported"
CONFIRMED_IN_INTERVIEW = "confirmed_in_interview"
DOCUMENT_SEEN = "document_seen"
STATUSES = (SELF_REPORTED, CONFIRMED_IN_INTERVIEW, DOCUMENT_SEEN)

# Norwegian Bokmål, for staff pages and exports (staff work in Norwegian).
LABELS_NB = {
    SELF_REPORTED: "Egenrapportert",
    CONFIRMED_IN_INTERVIEW: "Bekreftet i samtale",
    DOCUMENT_SEEN: "Dokumentasjon sett",
}


def item_key(step: str, entry_id: str | None = None) -> str:
    return f"{step}/{entry_id}" if entry_id else step


def status_of(statuses: Mapping[str, Any] | None, step: str, entry_id: str | None = None) -> str:
    value = (statuses or {}).get(item_key(step, entry_id))
    return value if value in STATUSES else SELF_REPORTED
