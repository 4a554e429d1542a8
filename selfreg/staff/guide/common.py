"""What the guide's pages share: the status shown for a registration, its short reference and
how many of the questionnaire's sections are done. Nothing here reads personal data.
"""
from __future__ import annotations

from typing import Iterable

from flask import abort

from ...models import Registration, RegistrationStatus, User
from ...questionnaire.catalogue import CATALOGUE
from ...staff_i18n import _ls, _s
from ..auth import current_user
from ..references import short_reference

NOT_STARTED, IN_PROGRESS, SUBMITTED, EXPORTED = "new", "in_progress", "submitted", "exported"
SHOWN_STATUSES = (NOT_STARTED, IN_PROGRESS, SUBMITTED, EXPORTED)
STATUS_LABELS = {
    NOT_STARTED: _ls("Not started"),
    IN_PROGRESS: _ls("In progress"),
    SUBMITTED: _ls("Submitted"),
    EXPORTED: _ls("Exported"),
}
# The identity steps as staff call them (the questionnaire's titles speak to the person).
IDENTITY_TITLES = {
    "name": _ls("Name"),
    "birth": _ls("Date of birth"),
    "origin": _ls("Country of origin and DUF number"),
}
SECTION_COUNT = len(CATALOGUE.sections)


def guide() -> User:
    """The logged-in guide (views are guarded by ``login_required("guide")``)."""
    user = current_user()
    if user is None:  # pragma: no cover - the decorator runs first
        abort(404)
    return user


def shown_status(registration: Registration) -> str:
    """Exported is a submitted registration whose case file has been sent."""
    if registration.status == RegistrationStatus.SUBMITTED:
        return EXPORTED if registration.exported_at is not None else SUBMITTED
    if registration.status == RegistrationStatus.IN_PROGRESS:
        return IN_PROGRESS
    return NOT_STARTED


def reference(registration: Registration) -> str:
    """A short handle for talking about a registration: part of its random id, not a name,
    written as counsellors see it."""
    return short_reference(registration.id)


def tell_recipients(disclosures, *, erased: bool) -> str:
    """After an erasure or restriction: whom the controller must tell (GDPR art. 19)."""
    names = ", ".join(item.recipient or _s("a recipient that is no longer registered (key "
                                           "%(fingerprint)s)", fingerprint=item.fingerprint)
                      for item in disclosures)
    if erased:
        return _s("Its case file was sent to %(recipients)s: tell them that it is erased "
                  "(GDPR article 19).", recipients=names)
    return _s("Its case file was sent to %(recipients)s: tell them that it is restricted "
              "(GDPR article 19).", recipients=names)


def sections_done(answered: Iterable[str], applicable: Iterable[str] | None = None) -> int:
    """How many sections are finished.

    ``answered``: the steps with an answer. With ``applicable`` (the steps that apply, known
    only from the answers themselves) the count is exact. Without it — lists, which read no
    personal data, only which steps have a row — a step that applies only after some answer
    ("upper secondary details" after "yes") counts as settled once the person has answered
    something in a later section, i.e. went past it.
    """
    answered = set(answered)
    applicable = set(applicable) if applicable is not None else None
    sections = CATALOGUE.sections
    last_reached = max(
        (index for index, section in enumerate(sections)
         if any(step.key in answered for step in section.steps)),
        default=-1,
    )
    done = 0
    for index, section in enumerate(sections):
        passed = index < last_reached
        settled = []
        for step in section.steps:
            if step.key in answered:
                settled.append(True)
            elif applicable is not None:
                settled.append(step.key not in applicable)
            else:
                settled.append(bool(step.applies_if) and passed)
        touched = any(step.key in answered for step in section.steps)
        if all(settled) and (touched or passed):
            done += 1
    return done
