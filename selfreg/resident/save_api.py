"""``POST /q/<step>/save``: one step's answers as a form or JSON post, answered in JSON.

The page's JavaScript saves through here, and the phone replays answers it kept while offline
through here, so the answer must be machine-readable: saved (with the new revision and the next
page), a duplicate (already saved: the same idempotency key), invalid (field messages),
a conflict (409 with the stored revision: the person chooses), or not possible any more.
Validation, CSRF and storage are the same as for the plain form post.

JSON body: ``{"fields": {name: value or [values]}, "revision": n, "idempotency_key": uuid,
"entry_id": id, "entry_digest": digest, "owner": tag, "csrf_token": token}`` (the token may
also come in an ``X-CSRFToken`` header).
"""
from __future__ import annotations

from typing import Any

from flask import jsonify, request
from werkzeug.datastructures import MultiDict

from .. import db, saves
from ..i18n import current_locale_code
from ..questionnaire import flow
from ..questionnaire.catalogue import CATALOGUE
from ..questionnaire.forms import (
    build_form_class,
    choices_for_locale,
    errors_in_order,
    extract_values,
)
from ..storage import RevisionConflict
from . import bp
from .auth import current_registration, owner_tag, personal_store
from .navigation import RETURN_TO_REVIEW, step_url, url_after_save
from .saving import save_request
from .steps import SEARCH_PREFIX, posted_choices, record_steps_done

META_FIELDS = ("revision", "idempotency_key", "entry_id", "entry_digest", "owner", "csrf_token")


def _refuse(reason: str, status: int, **extra: Any):
    return jsonify(error=reason, **extra), status


def _posted() -> MultiDict:
    """The post as one MultiDict, from a form body or a JSON body."""
    if not request.is_json:
        return request.form
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return MultiDict()
    data = MultiDict()
    fields = body.get("fields")
    for name, value in (fields.items() if isinstance(fields, dict) else ()):
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, (str, int)):
                data.add(str(name), str(item))
    for name in META_FIELDS:
        if isinstance(body.get(name), (str, int)):
            data[name] = str(body[name])
    token = request.headers.get("X-CSRFToken")
    if token and "csrf_token" not in data:
        data["csrf_token"] = token
    return data


@bp.post("/q/<step_key>/save")
def save_step(step_key: str):
    registration = current_registration()
    if registration is None or registration.consented_at is None:
        return _refuse("signed_out", 401)
    data = _posted()
    if data.get("owner") and data.get("owner") != owner_tag():
        # Answers kept on this phone for someone else: never into this registration.
        return _refuse("other_person", 403)
    if registration.is_submitted:
        return _refuse("submitted", 410)
    if not CATALOGUE.has_step(step_key):
        return _refuse("no_such_step", 404)
    step = CATALOGUE.step(step_key)
    store = personal_store()
    answers = store.load_all(registration)
    if not step.applies(answers):
        return _refuse("not_asked", 404)
    form = build_form_class(step)(formdata=data)
    if not form.validate():
        return _refuse("csrf", 400)
    if data.get("action", "").startswith(SEARCH_PREFIX):
        return _refuse("not_a_save", 400)
    questions = flow.visible_questions(step, posted_choices(step, form))
    values = extract_values(form, questions, choices_for_locale(current_locale_code()))
    if values is None:
        fields: dict[str, list[str]] = {}
        for name, message in errors_in_order(form):
            fields.setdefault(name, []).append(message)
        return _refuse("invalid", 400, fields=fields)
    # An entry's form says which entry; a change (not an add) also sends the entry's digest.
    if step.repeatable and data.get("entry_digest"):
        meta = save_request(data, entry_id=saves.normalise_entry_id(data.get("entry_id")),
                            changes_entry=True)
    else:
        meta = save_request(data)
    try:
        result = saves.save_answers(db.session(), store, registration, step, values, meta)
    except RevisionConflict as conflict:
        return _refuse("conflict", 409, revision=conflict.stored_revision)
    except saves.EntryLimitReached:
        return _refuse("too_many", 400)
    except saves.RegistrationRestricted:
        # 403, not 409: the page's script then keeps the answers queued on the phone and sends
        # them once the restriction is lifted, instead of asking the person to choose.
        db.session().rollback()
        return _refuse("restricted", 403)
    # Only this step changed, so the answers read above stay, with this step as now stored:
    # the values just saved, else (a duplicate, or an entry among others) read back.
    if step.repeatable or result.duplicate:
        stored = store.load_step(registration, step.key)
        if stored is not None:
            answers[step.key] = stored.values
    else:
        answers[step.key] = values
    record_steps_done(answers)
    db.session().commit()
    from_review = request.args.get("from") == RETURN_TO_REVIEW
    if step.repeatable:
        following = step_url(step, from_review=from_review)
    else:
        following = url_after_save(step, answers, from_review=from_review)
    return jsonify(
        revision=result.revision, duplicate=result.duplicate, entry_id=result.entry_id,
        next=following,
    )
