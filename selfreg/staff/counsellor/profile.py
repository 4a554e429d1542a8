"""The submitted profile in Norwegian, with verification statuses, corrections and the note.

One page holds what the counsellor goes through with the person in the interview: the profile
(selfreg.staff.counsellor.profile_nb), one form to set every entry's verification status, links
to correct or add entries, the career note and "followed up". Reading it is audited.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from flask import render_template, request
from sqlalchemy import select

from ... import audit, db
from ...audit import Action
from ...codes import languages
from ...i18n import current_locale_code, locale_info
from ...models import Registration, StaffRecord
from ...staff_i18n import _ls
from ...storage import CAREER_NOTE, VERIFICATION
from ...verification import CONFIRMED_IN_INTERVIEW, DOCUMENT_SEEN, SELF_REPORTED, STATUSES
from .. import bp
from ..auth import current_user
from ..scope import Do, registration_for
from .common import counsellor_only, emails_of, personal_store, reference
from .forms import NOTE_NEEDS
from .profile_nb import Profile, build_profile

# Staff pages come in English too, so statuses are staff texts here (verification.LABELS_NB
# is for exports, which are always Norwegian).
STATUS_LABELS = {
    SELF_REPORTED: _ls("Self-reported"),
    CONFIRMED_IN_INTERVIEW: _ls("Confirmed in interview"),
    DOCUMENT_SEEN: _ls("Document seen"),
}
# After a save the profile says what was saved (a fixed word in the URL, nothing personal).
DONE_MESSAGES = {
    "verification": _ls("The verification statuses are saved."),
    "note": _ls("The career note is saved."),
    "followed_up": _ls("The profile is marked as followed up."),
    "correction": _ls("The correction is saved."),
}


@dataclass(frozen=True)
class TextLanguage:
    """The language the person wrote in (the language they answered in)."""

    lang: str | None  # BCP 47, for the lang attribute
    dir: str  # "ltr", "rtl", or "auto" when unknown
    name: str | None  # in the staff reader's language


@dataclass(frozen=True)
class RecordInfo:
    updated_at: datetime
    updated_by: str | None


@dataclass(frozen=True)
class ProfilePage:
    registration: Registration
    profile: Profile
    verification_revision: int
    statuses: dict[str, Any]
    note: dict[str, Any] | None
    records: dict[str, RecordInfo]


def text_language(registration: Registration) -> TextLanguage:
    code = registration.locale
    if not code:
        return TextLanguage(None, "auto", None)
    try:
        info = locale_info(code)
    except (ValueError, LookupError):
        return TextLanguage(None, "auto", None)
    name = languages.label(code, current_locale_code())
    return TextLanguage(info.html_lang, info.direction, name)


def _record_info(registration: Registration) -> dict[str, RecordInfo]:
    """When each staff record was saved and by whom (not personal: dates and staff ids)."""
    rows = list(db.session().execute(
        select(StaffRecord.kind, StaffRecord.updated_at, StaffRecord.updated_by_user_id)
        .where(StaffRecord.registration_id == registration.id)
    ))
    emails = emails_of(row.updated_by_user_id for row in rows)
    return {row.kind: RecordInfo(row.updated_at, emails.get(row.updated_by_user_id))
            for row in rows}


def load_page(registration: Registration) -> ProfilePage:
    store = personal_store()
    answers = store.load_all(registration)
    verification = store.load_record(registration, VERIFICATION)
    statuses = dict(verification.values or {}) if verification else {}
    note = store.load_record(registration, CAREER_NOTE)
    changed = store.changed_by(registration)
    emails = emails_of(changed.values())
    changed_by = {step: emails.get(user_id, "?") for step, user_id in changed.items()
                  if user_id is not None}
    return ProfilePage(
        registration, build_profile(answers, statuses, changed_by),
        verification.revision if verification else 0, statuses,
        dict(note.values or {}) if note else None, _record_info(registration),
    )


def posted_statuses(page: ProfilePage, form: Mapping[str, str]) -> dict[str, str]:
    """The statuses a posted verification form chose, for the items on the page."""
    chosen = {}
    for item in page.profile.items:
        value = form.get(f"v:{item.key}")
        if value in STATUSES:
            chosen[item.key] = value
    return chosen


def render_profile(page: ProfilePage, *, chosen: Mapping[str, str] | None = None,
                   revision: int | None = None, error: str | None = None,
                   conflict: bool = False, status: int = 200):
    """The page; ``chosen``/``revision`` keep a refused verification form as it was posted."""
    registration = page.registration
    audit.record(db.session(), Action.PROFILE_VIEW, user_id=current_user().id,
                 registration_id=registration.id, detail="profile")
    db.session().commit()
    done = DONE_MESSAGES.get(request.args.get("done", "")) if request.method == "GET" else None
    return render_template(
        "staff/counsellor/profile.html",
        page=page, registration=registration, profile=page.profile,
        reference=reference(registration.id), centre=registration.centre,
        text_language=text_language(registration),
        chosen=chosen or {}, revision=page.verification_revision if revision is None else revision,
        statuses=STATUSES, status_labels=STATUS_LABELS, note_needs=dict(NOTE_NEEDS),
        error=error, conflict=conflict, done=done,
    ), status


@bp.get("/counsellor/profile/<registration_id>")
@counsellor_only
def counsellor_profile(registration_id: str):
    registration = registration_for(current_user(), registration_id, Do.READ_PROFILE)
    return render_profile(load_page(registration))
