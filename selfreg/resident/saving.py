"""What a page sends along with the answers: the revision it showed, the idempotency key the
phone made, and for repeatable steps the entry's id (and its fingerprint when changing one).

Pages without JavaScript send the same fields (rendered by the server), so a second press, a
reload of a POST, or two devices on one step are handled the same way with or without it.
"""
from __future__ import annotations

from typing import Mapping

from flask_babel import lazy_gettext as _l

from ..numbers import small_int
from ..saves import SaveRequest, new_entry_id, normalise_entry_id, normalise_key

MAX_REVISION = 10**9
# Every save, removal, submission or acceptance refused while the registration is restricted
# (GDPR art. 18) says this, on the page the person was on, with what they typed. The answer is
# 403, not 409: nothing changed elsewhere that the person could resolve by choosing (409 is the
# revision conflict, which the page's script turns into "choose which answers to keep"), and a
# 403 keeps answers queued on the phone in its outbox, to be sent once the restriction is lifted.
RESTRICTED_STATUS = 403
# Translators: staff have put the registration on hold at the person's request (restriction of processing). Shown when the person tries to save, remove or send answers.
RESTRICTED_MESSAGE = _l("Your registration is on hold. You cannot save or send answers now. "
                        "Your saved answers are kept. Ask the staff at your centre.")


def posted_revision(raw: str | None) -> int | None:
    """The revision a page showed; None (no check) when the page did not say."""
    number = small_int(raw, 10)
    return number if number is not None and number <= MAX_REVISION else None


def save_request(
    data: Mapping[str, str], *, entry_id: str | None = None, changes_entry: bool = False
) -> SaveRequest:
    """``entry_id``: the entry changed (from the URL); for an add, the page's new id is used."""
    if entry_id is None and not changes_entry:
        entry_id = normalise_entry_id(data.get("entry_id"))
    return SaveRequest(
        based_on_revision=posted_revision(data.get("revision")),
        idempotency_key=normalise_key(data.get("idempotency_key")),
        entry_id=entry_id,
        changes_entry=changes_entry,
        entry_digest=(data.get("entry_digest") or "").strip() or None,
    )


def fresh_entry_id(data: Mapping[str, str] | None) -> str:
    """The id to render into an "add" form: the one posted (so a retry keeps it), or a new one."""
    return normalise_entry_id((data or {}).get("entry_id")) or new_entry_id()
