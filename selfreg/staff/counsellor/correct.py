"""Corrections in the interview: the counsellor changes a step, or adds or changes an entry.

The questionnaire's own forms are reused (selfreg.questionnaire.forms: the same fields, cleaning
and checks as for the person), shown with the catalogue's Norwegian labels through a thin
adapter: the questions are copied with their texts rendered in nb (``nb_questions``), and the
staff template renders them (the residents' templates carry resident-only texts and scripts).
Every save records the counsellor as the one who changed the step
(``changed_by_user_id``), is refused when the step changed since the page was shown (the page
comes back with what was typed), and is audited as ``entry.correct`` with the step key.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any, Callable

from flask import abort, redirect, render_template, request, url_for
from flask_babel import force_locale
from sqlalchemy.orm.exc import StaleDataError

from ... import audit, db, saves
from ...audit import Action
from ...codes import countries, education, languages, occupations
from ...models import Registration
from ...questionnaire import flow
from ...questionnaire.catalogue import CATALOGUE
from ...questionnaire.forms import (
    build_form_class,
    choices_for_locale,
    errors_in_order,
    extract_values,
    form_data_from_values,
)
from ...questionnaire.model import Kind, Option, Question, Step
from ...staff_i18n import _s
from ...storage import RevisionConflict
from .. import bp
from ..auth import current_user
from ..scope import Do, registration_for
from .common import counsellor_only, personal_store, posted_revision, reference

LABEL_LOCALE = "nb"
SEARCH_PREFIX = "search:"
SEARCH_KINDS = (Kind.OCCUPATION, Kind.LANGUAGE)


# --- the adapter: catalogue questions with Norwegian texts ------------------------------------


def _text(value) -> str | None:
    return str(value) if value is not None else None


def nb_questions(step: Step) -> list[Question]:
    """The step's questions with label, hint and option texts in Bokmål (plain strings)."""
    with force_locale(LABEL_LOCALE):
        return [
            replace(
                question, label=str(question.label), hint=_text(question.hint),
                options=tuple(Option(o.code, str(o.label), _text(o.hint))
                              for o in question.options),
            )
            for question in step.questions
        ]


def nb_step_texts(step: Step) -> tuple[str, str | None]:
    with force_locale(LABEL_LOCALE):
        return str(step.title), _text(step.intro)


# --- saving -------------------------------------------------------------------------------------


class EntryGone(RuntimeError):
    """The entry being changed was removed since the page showed it."""


def save_entry(registration: Registration, step: Step, values: dict[str, Any], *,
               entry_id: str, adding: bool, based_on: int | None, digest: str | None,
               user_id: int) -> bool:
    """Add or change one entry as the counsellor, by the same rules as the person's saves.

    Returns False when nothing was stored (the same entry added before); raises EntryGone
    when the entry being changed was removed meanwhile.
    """
    store = personal_store()
    if not adding:
        stored = store.load_step(registration, step.key)
        entries = ((stored.values if stored else None) or {}).get(flow.ENTRIES, [])
        if not any(entry.get("id") == entry_id for entry in entries):
            raise EntryGone(entry_id)
    result = saves.save_answers(db.session(), store, registration, step, values, saves.SaveRequest(
        based_on_revision=based_on, entry_id=entry_id, changes_entry=not adding,
        entry_digest=digest, changed_by_user_id=user_id,
    ))
    return not result.duplicate


# --- the page -----------------------------------------------------------------------------------


def _searched_question(step: Step) -> Question | None:
    action = request.form.get("action", "")
    if not action.startswith(SEARCH_PREFIX):
        return None
    key = action[len(SEARCH_PREFIX):]
    return next((q for q in step.questions if q.key == key and q.kind in SEARCH_KINDS), None)


def _search_results(question: Question, form, searched: Question | None) -> list[tuple[str, str]]:
    if searched is not None and searched.key == question.key:
        query = form[question.text_key].data or ""
        if not query:
            return []
        search = occupations.search if question.kind is Kind.OCCUPATION else languages.search
        return [(hit.code, hit.label) for hit in search(query, LABEL_LOCALE)]
    chosen = form[question.key].data
    if chosen:
        label = occupations.label if question.kind is Kind.OCCUPATION else languages.label
        return [(chosen, label(chosen, LABEL_LOCALE))]
    return []


def _posted_choices(step: Step, form) -> dict[str, Any]:
    return {q.key: form[q.key].data for q in step.questions if q.kind in (Kind.CHOICE, Kind.MULTI)}


def _render(registration: Registration, step: Step, form, *, mode: str, revision: int,
            entry_id: str | None = None, digest: str | None = None, searched=None,
            conflict: bool = False, error: str | None = None, status: int = 200):
    title, intro = nb_step_texts(step)
    questions = nb_questions(step)
    return render_template(
        "staff/counsellor/correct.html",
        registration=registration, reference=reference(registration.id), step=step,
        step_title=title, step_intro=intro, questions=questions, form=form, mode=mode,
        errors=errors_in_order(form), revision=revision, entry_id=entry_id, entry_digest=digest,
        results={q.key: _search_results(q, form, searched) for q in step.questions
                 if q.kind in SEARCH_KINDS},
        searched=searched.key if searched else None,
        countries=countries.choices(LABEL_LOCALE),
        field_groups=list(education.field_choices(LABEL_LOCALE).items()),
        conflict=conflict, error=error,
        back_url=url_for("staff.counsellor_profile", registration_id=registration.id,
                         _anchor=f"step-{step.key}"),
    ), status


def _handle(registration: Registration, step: Step, stored_values: dict[str, Any],
            save: Callable[[dict[str, Any], int | None], bool], *, mode: str,
            entry_id: str | None = None, entry: dict | None = None):
    user = current_user()
    form_cls = build_form_class(step)
    digest = saves.entry_digest(entry) if entry is not None else None
    stored_revision = personal_store().revisions(registration).get(step.key, 0)
    if request.method == "GET":
        audit.record(db.session(), Action.PROFILE_VIEW, user_id=user.id,
                     registration_id=registration.id, detail=f"correct {step.key}")
        db.session().commit()
        form = form_cls(formdata=None, data=form_data_from_values(step, stored_values))
        return _render(registration, step, form, mode=mode, revision=stored_revision,
                       entry_id=entry_id, digest=digest)
    form = form_cls()
    based_on = posted_revision(request.form.get("revision"))
    digest = (request.form.get("entry_digest") or "").strip()[:64] or digest
    page = dict(mode=mode, entry_id=entry_id, digest=digest,
                revision=stored_revision if based_on is None else based_on)
    searched = _searched_question(step)
    if searched is not None:
        return _render(registration, step, form, searched=searched, **page)
    if not form.validate():
        form.csrf_token.errors = [
            _s("The form was open too long. Check the answers and save again.")]
        return _render(registration, step, form, status=400, **page)
    questions = flow.visible_questions(step, _posted_choices(step, form))
    values = extract_values(form, questions, choices_for_locale(LABEL_LOCALE))
    if values is None:
        return _render(registration, step, form, status=400, **page)
    registration_id = registration.id
    try:
        if save(values, based_on):
            audit.record(db.session(), Action.ENTRY_CORRECT, user_id=user.id,
                         registration_id=registration_id, detail=step.key)
        db.session().commit()
    except (RevisionConflict, StaleDataError, EntryGone) as problem:
        db.session().rollback()
        registration = registration_for(user, registration_id, Do.CORRECT_ENTRY)
        page["revision"] = personal_store().revisions(registration).get(step.key, 0)
        message = (_s("This entry was removed after you opened the page. Nothing was saved.")
                   if isinstance(problem, EntryGone) else
                   _s("Someone changed these answers after you opened the page. Nothing was "
                      "saved. What you typed is still here: check it and save again to keep it."))
        if isinstance(problem, EntryGone):
            page["mode"] = "gone"
        return _render(registration, step, form, conflict=True, error=message, status=409, **page)
    except saves.EntryLimitReached:
        db.session().rollback()
        registration = registration_for(user, registration_id, Do.CORRECT_ENTRY)
        return _render(registration, step, form, status=400, error=_s(
            "This list is full. Change an entry instead of adding one."), **page)
    return redirect(url_for("staff.counsellor_profile", registration_id=registration_id,
                            done="correction", _anchor=f"step-{step.key}"), 303)


def _step_that_applies(registration: Registration, step_key: str, *, repeatable: bool):
    if not CATALOGUE.has_step(step_key):
        abort(404)
    step = CATALOGUE.step(step_key)
    answers = personal_store().load_all(registration)
    if step.repeatable != repeatable or not step.applies(answers):
        abort(404)
    return step, answers


def _entries(answers, step: Step) -> list[dict[str, Any]]:
    return list((answers.get(step.key) or {}).get(flow.ENTRIES, []))


@bp.route("/counsellor/profile/<registration_id>/step/<step_key>", methods=["GET", "POST"])
@counsellor_only
def counsellor_correct_step(registration_id: str, step_key: str):
    user = current_user()
    registration = registration_for(user, registration_id, Do.CORRECT_ENTRY)
    step, answers = _step_that_applies(registration, step_key, repeatable=False)

    def save(values, based_on):
        personal_store().save_step(registration, step.key, values, based_on_revision=based_on,
                                   changed_by_user_id=user.id)
        db.session().flush()
        return True

    return _handle(registration, step, answers.get(step.key) or {}, save, mode="step")


@bp.route("/counsellor/profile/<registration_id>/step/<step_key>/add", methods=["GET", "POST"])
@counsellor_only
def counsellor_add_entry(registration_id: str, step_key: str):
    user = current_user()
    registration = registration_for(user, registration_id, Do.CORRECT_ENTRY)
    step, answers = _step_that_applies(registration, step_key, repeatable=True)
    entry_id = saves.normalise_entry_id(request.form.get("entry_id")) or saves.new_entry_id()

    def save(values, based_on):
        changed = save_entry(registration, step, values, entry_id=entry_id, adding=True,
                             based_on=based_on, digest=None, user_id=user.id)
        db.session().flush()
        return changed

    return _handle(registration, step, {}, save, mode="add", entry_id=entry_id)


@bp.route("/counsellor/profile/<registration_id>/step/<step_key>/entry/<entry_id>",
          methods=["GET", "POST"])
@counsellor_only
def counsellor_correct_entry(registration_id: str, step_key: str, entry_id: str):
    user = current_user()
    registration = registration_for(user, registration_id, Do.CORRECT_ENTRY)
    step, answers = _step_that_applies(registration, step_key, repeatable=True)
    entry = next((e for e in _entries(answers, step) if e.get("id") == entry_id), None)
    if entry is None:
        abort(404)

    def save(values, based_on):
        changed = save_entry(registration, step, values, entry_id=entry_id, adding=False,
                             based_on=based_on, digest=request.form.get("entry_digest"),
                             user_id=user.id)
        db.session().flush()
        return changed

    return _handle(registration, step, entry, save, mode="entry", entry_id=entry_id, entry=entry)
