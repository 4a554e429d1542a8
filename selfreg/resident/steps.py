"""One page per step: show, validate, save on continue; repeatable entries without JavaScript.

Every save goes through ``selfreg.saves``: the page carries the step's revision and (with
JavaScript) an idempotency key, so a second press never stores twice and a save based on an
older page is shown to the person as a conflict instead of overwriting newer answers.
"""
from __future__ import annotations

from functools import wraps
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_wtf import FlaskForm

from .. import db, saves
from ..codes import education, languages, occupations
from ..i18n import current_locale_code
from ..questionnaire import flow
from ..questionnaire.catalogue import CATALOGUE
from ..questionnaire.display import entry_title
from ..questionnaire.forms import (
    build_form_class,
    choices_for_locale,
    errors_in_order,
    extract_values,
    form_data_from_values,
)
from ..questionnaire.model import Kind, Question, Step
from ..registrations import record_progress
from ..storage import RevisionConflict
from . import bp
from .auth import consent_required, current_registration, personal_store
from .navigation import (
    RETURN_TO_REVIEW,
    offline_routes,
    pages_ahead,
    progress_shown,
    url_after_save,
)
from .saving import RESTRICTED_MESSAGE, RESTRICTED_STATUS, fresh_entry_id, save_request

SEARCH_PREFIX = "search:"


def _answers() -> dict[str, Any]:
    return personal_store().load_all(current_registration())


def _step_or_404(step_key: str) -> Step:
    if not CATALOGUE.has_step(step_key):
        abort(404)
    return CATALOGUE.step(step_key)


def open_for_answers(view):
    """After submission the answers are read-only: every step URL leads to the receipt."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if current_registration().is_submitted:
            return redirect(url_for("resident.receipt"))
        return view(*args, **kwargs)

    return wrapper


def _repeatable_step(step_key: str, *, must_apply: bool = True):
    """The repeatable step, the answers and its entries, or 404 for anything else."""
    step = _step_or_404(step_key)
    answers = _answers()
    if not step.repeatable or (must_apply and not step.applies(answers)):
        abort(404)
    return step, answers, _entries(answers, step)


def _from_review() -> bool:
    return request.args.get("from") == RETURN_TO_REVIEW


def record_steps_done(answers: dict[str, Any]) -> None:
    steps_done = len(flow.applicable_steps(CATALOGUE, answers)) - len(
        flow.missing_steps(CATALOGUE, answers)
    )
    record_progress(current_registration(), steps_done, current_locale_code())


def _after_save(step: Step, answers: dict[str, Any]):
    """Where to go after a save: back to review when the person came from there."""
    record_steps_done(answers)
    db.session().commit()
    return redirect(url_after_save(step, answers, from_review=_from_review()), 303)


def _back_url(step: Step, answers: dict[str, Any]) -> str:
    if _from_review():
        return url_for("resident.review")
    previous = flow.previous_step(CATALOGUE, answers, step.key)
    if previous is None:
        return url_for("resident.privacy")
    return url_for("resident.step", step_key=previous.key)


def _search_results(question: Question, query: str, locale: str) -> list[tuple[str, str]]:
    if not query:
        return []
    if question.kind is Kind.OCCUPATION:
        return [(hit.code, hit.label) for hit in occupations.search(query, locale)]
    return [(hit.code, hit.label) for hit in languages.search(query, locale)]


def _searched_question(step: Step) -> Question | None:
    action = request.form.get("action", "")
    if not action.startswith(SEARCH_PREFIX):
        return None
    key = action[len(SEARCH_PREFIX):]
    for question in step.questions:
        if question.key == key and question.kind in (Kind.OCCUPATION, Kind.LANGUAGE):
            return question
    return None


def posted_choices(step: Step, form) -> dict[str, Any]:
    """The step's own posted choice answers, for deciding which questions apply."""
    return {
        q.key: form[q.key].data for q in step.questions if q.kind in (Kind.CHOICE, Kind.MULTI)
    }


def _list_url(step: Step) -> str:
    args = {"from": RETURN_TO_REVIEW} if _from_review() else {}
    return url_for("resident.step", step_key=step.key, **args)


def _offline_hints(step: Step, answers, entry_id) -> dict[str, Any]:
    """What the page's JavaScript needs to save, or to queue and go on when offline."""
    if entry_id:
        routes = {"default": _list_url(step), "by": {}}
    else:
        routes = offline_routes(step, answers, from_review=_from_review())
    args = {"from": RETURN_TO_REVIEW} if _from_review() else {}
    return {
        "save_url": url_for("resident.save_step", step_key=step.key, **args),
        "routes": routes,
        "ahead": pages_ahead(step, answers),
    }


def _render_step(step: Step, form, answers, *, entry_id=None, search=None, status=200,
                 revision=None, entry=None, conflict=False, error=None):
    """``entry_id`` is "new" for an add form; ``entry`` the stored entry being changed;
    ``error`` a message about the whole page, above the fields' own."""
    locale = current_locale_code()
    results: dict[str, list] = {}
    for question in step.questions:
        if question.kind in (Kind.OCCUPATION, Kind.LANGUAGE):
            chosen = form[question.key].data
            query = form[question.text_key].data or ""
            if search is not None and search.key == question.key:
                results[question.key] = _search_results(question, query, locale)
            elif chosen:
                # Keep the chosen entry visible (and selected) when the page is shown again.
                label = (occupations.label(chosen, locale) if question.kind is Kind.OCCUPATION
                         else languages.label(chosen, locale))
                results[question.key] = [(chosen, label)]
    return render_template(
        "resident/step.html",
        step=step,
        section=CATALOGUE.section_of(step.key),
        form=form,
        errors=([("", str(error))] if error else []) + errors_in_order(form),
        choices=choices_for_locale(locale),
        field_groups=[
            (group, list(items.items())) for group, items in education.field_choices(locale).items()
        ],
        results=results,
        searched=search.key if search else None,
        progress=progress_shown(step, answers),
        back_url=_back_url(step, answers),
        entry_id=entry_id,
        new_entry_id=fresh_entry_id(request.form) if entry_id == "new" else None,
        entry_digest=saves.entry_digest(entry) if entry is not None else None,
        revision=_stored_revision(step) if revision is None else revision,
        conflict=conflict,
        offline=_offline_hints(step, answers, entry_id),
        from_review=_from_review(),
    ), status


def _stored_revision(step: Step) -> int:
    return personal_store().revisions(current_registration()).get(step.key, 0)


def _handle_form(step: Step, stored_values: dict[str, Any], answers, save, *, entry_id=None,
                 entry=None):
    """Shared GET/POST handling for a plain step and for one repeatable entry.

    ``save(values)`` returns the response, or raises RevisionConflict: then the page comes back
    with what the person typed, says that the answers changed elsewhere, and carries the stored
    revision, so pressing the button again keeps these answers (the person's choice).
    """
    form_cls = build_form_class(step)
    render = dict(entry_id=entry_id, entry=entry)
    if request.method == "GET":
        form = form_cls(formdata=None, data=form_data_from_values(step, stored_values))
        return _render_step(step, form, answers, **render)
    form = form_cls()
    posted_revision = save_request(request.form).based_on_revision
    if posted_revision is not None:
        render["revision"] = posted_revision
    search = _searched_question(step)
    if search is not None:
        return _render_step(step, form, answers, search=search, **render)
    if not form.validate():
        # Only the CSRF token can fail here; keep what was typed and ask again.
        form.csrf_token.errors = [gettext("This page was open too long. Check your answers and press Continue again.")]
        return _render_step(step, form, answers, status=400, **render)
    questions = flow.visible_questions(step, posted_choices(step, form))
    values = extract_values(form, questions, choices_for_locale(current_locale_code()))
    if values is None:
        return _render_step(step, form, answers, status=400, **render)
    try:
        return save(values)
    except RevisionConflict as conflict:
        render.update(revision=conflict.stored_revision, conflict=True)
        return _render_step(step, form, answers, status=409, **render)
    except saves.RegistrationRestricted:
        db.session().rollback()
        return _render_step(step, form, answers, status=RESTRICTED_STATUS,
                            error=RESTRICTED_MESSAGE, **render)


@bp.route("/q/<step_key>", methods=["GET", "POST"])
@consent_required
@open_for_answers
def step(step_key: str):
    step = _step_or_404(step_key)
    answers = _answers()
    if not step.applies(answers):
        return redirect(url_for("resident.resume"))
    if step.repeatable:
        return _entry_list(step, answers)

    def save(values):
        saves.save_answers(
            db.session(), personal_store(), current_registration(), step, values,
            save_request(request.form),
        )
        answers[step.key] = values
        return _after_save(step, answers)

    return _handle_form(step, answers.get(step.key) or {}, answers, save)


# --- repeatable steps ------------------------------------------------------------------------


def _entries(answers, step: Step) -> list[dict[str, Any]]:
    return list((answers.get(step.key) or {}).get(flow.ENTRIES, []))


def _entry_list(step: Step, answers):
    entries = _entries(answers, step)
    error = None
    if request.method == "POST":
        if not FlaskForm().validate():
            error = gettext("This page was open too long. Press Continue again.")
        elif len(entries) < step.min_entries:
            error = gettext("Add at least one, or go back and change your answer.")
        elif current_registration().is_restricted:
            # On hold: going on saves nothing (not even the progress), it only moves on.
            return redirect(url_after_save(step, answers, from_review=_from_review()), 303)
        else:
            return _after_save(step, answers)
    locale = current_locale_code()
    return render_template(
        "resident/entries.html",
        step=step,
        section=CATALOGUE.section_of(step.key),
        entries=[(entry["id"], entry_title(step, entry, locale)) for entry in entries],
        error=error,
        progress=progress_shown(step, answers),
        back_url=_back_url(step, answers),
        can_add=len(entries) < step.max_entries,
        offline=_offline_hints(step, answers, None),
        from_review=_from_review(),
    ), (400 if error else 200)


def _save_entries(step: Step, answers, entries):
    personal_store().save_step(current_registration(), step.key, {flow.ENTRIES: entries})
    answers[step.key] = {flow.ENTRIES: entries}


def _list_redirect(step: Step):
    return redirect(_list_url(step), 303)


@bp.route("/q/<step_key>/add", methods=["GET", "POST"])
@consent_required
@open_for_answers
def add_entry(step_key: str):
    step, answers, entries = _repeatable_step(step_key)
    if len(entries) >= step.max_entries:
        return _list_redirect(step)

    def save(values):
        try:
            saves.save_answers(
                db.session(), personal_store(), current_registration(), step, values,
                save_request(request.form),
            )
        except saves.EntryLimitReached:
            pass  # full: nothing added, the list says so
        db.session().commit()
        return _list_redirect(step)

    return _handle_form(step, {}, answers, save, entry_id="new")


def _find_entry(entries, entry_id: str) -> int:
    for index, entry in enumerate(entries):
        if entry.get("id") == entry_id:
            return index
    abort(404)


@bp.route("/q/<step_key>/<entry_id>", methods=["GET", "POST"])
@consent_required
@open_for_answers
def edit_entry(step_key: str, entry_id: str):
    step, answers, entries = _repeatable_step(step_key)
    index = _find_entry(entries, entry_id)

    def save(values):
        saves.save_answers(
            db.session(), personal_store(), current_registration(), step, values,
            save_request(request.form, entry_id=entry_id, changes_entry=True),
        )
        db.session().commit()
        return _list_redirect(step)

    return _handle_form(step, entries[index], answers, save, entry_id=entry_id,
                        entry=entries[index])


@bp.route("/q/<step_key>/<entry_id>/remove", methods=["GET", "POST"])
@consent_required
@open_for_answers
def remove_entry(step_key: str, entry_id: str):
    step, answers, entries = _repeatable_step(step_key, must_apply=False)
    index = _find_entry(entries, entry_id)
    form = FlaskForm()
    error = None
    if request.method == "POST" and form.validate():
        try:
            saves.hold_for_writing(db.session(), current_registration())
        except saves.RegistrationRestricted:
            db.session().rollback()
            error = RESTRICTED_MESSAGE
        else:
            del entries[index]
            _save_entries(step, answers, entries)
            record_progress(current_registration(), current_registration().steps_done, current_locale_code())
            db.session().commit()
            return _list_redirect(step)
    return render_template(
        "resident/remove.html",
        step=step,
        title=entry_title(step, entries[index], current_locale_code()),
        form=form,
        error=error,
        back_url=url_for("resident.step", step_key=step.key),
    ), (RESTRICTED_STATUS if error else 200)


@bp.get("/continue")
@consent_required
def resume():
    """Where a returning person picks up: the first unanswered step, or the review."""
    registration = current_registration()
    if registration.is_submitted:
        return redirect(url_for("resident.receipt"))
    missing = flow.first_incomplete(CATALOGUE, _answers())
    if missing is None:
        return redirect(url_for("resident.review"))
    return redirect(url_for("resident.step", step_key=missing.key))
