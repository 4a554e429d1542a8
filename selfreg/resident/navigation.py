"""Where a page leads after "Save and continue" — asked of the server, or worked out offline.

Online, the server decides after saving (``url_after_save``). Offline, the phone has to decide
without asking, so each page carries the answer in advance (``offline_routes``): the next page
for each choice that opens or skips later steps ("Have you worked?" yes leads to the work pages,
no skips them), and a default. Each page also names the few pages that come next
(``pages_ahead``), so the service worker can keep them and answering can go on when the signal
drops for a while. A page that a different answer would open is not kept ahead (the server
shows it only once that answer is saved), so offline such a choice leads to the offline page.
"""
from __future__ import annotations

import dataclasses
from functools import lru_cache
from typing import Any, Mapping

from flask import request, url_for

from ..questionnaire import flow
from ..questionnaire.catalogue import CATALOGUE
from ..questionnaire.model import Kind, Step

RETURN_TO_REVIEW = "review"
PAGES_AHEAD = 3
# Sent by the service worker when it fetches a page to keep ahead (static/sw.js).
AHEAD_HEADER = "Selfreg-Ahead"


def step_url(step: Step, *, from_review: bool = False) -> str:
    args = {"from": RETURN_TO_REVIEW} if from_review else {}
    return url_for("resident.step", step_key=step.key, **args)


def url_after_save(step: Step, answers: Mapping[str, Any], *, from_review: bool) -> str:
    """The page after a save of ``step``, given the answers including that save."""
    if from_review:
        # A changed answer may open a new step (e.g. "yes, I worked"): ask it before review.
        missing = flow.first_incomplete(CATALOGUE, answers)
        if missing is not None and missing.key != step.key:
            return step_url(missing, from_review=True)
        return url_for("resident.review")
    following = flow.next_step(CATALOGUE, answers, step.key)
    return step_url(following) if following is not None else url_for("resident.review")


@lru_cache(maxsize=1)
def _branching_refs() -> frozenset[str]:
    """``step.question`` pairs that decide whether other steps apply."""
    return frozenset(
        condition.ref for step in CATALOGUE.steps for condition in step.applies_if
    )


def _assuming(answers: Mapping[str, Any], step: Step, values: Mapping[str, Any]) -> dict:
    assumed = dict(answers)
    assumed[step.key] = {**(answers.get(step.key) or {}), **values}
    return assumed


def _branches(step: Step, answers: Mapping[str, Any]):
    """(question key, option code, answers assuming that option) for each deciding choice."""
    for question in step.questions:
        deciding = f"{step.key}.{question.key}" in _branching_refs()
        if not deciding or question.kind is not Kind.CHOICE:
            continue
        for option in question.options:
            yield question.key, option.code, _assuming(answers, step, {question.key: option.code})


def offline_routes(step: Step, answers: Mapping[str, Any], *, from_review: bool) -> dict:
    """``{"default": url, "by": {field: {option: url}}}`` for the page's own "continue"."""
    routes: dict[str, Any] = {
        "default": url_after_save(step, _assuming(answers, step, {}), from_review=from_review),
        "by": {},
    }
    for question_key, code, assumed in _branches(step, answers):
        routes["by"].setdefault(question_key, {})[code] = url_after_save(
            step, assumed, from_review=from_review
        )
    return routes


def pages_ahead(step: Step, answers: Mapping[str, Any]) -> list[str]:
    """Step pages (and "add" pages) likely to come next, for the phone to keep."""
    urls: list[str] = []

    def add(page: Step) -> None:
        for url in (step_url(page),) + (
            (url_for("resident.add_entry", step_key=page.key),) if page.repeatable else ()
        ):
            if url not in urls:
                urls.append(url)

    if step.repeatable:
        urls.append(url_for("resident.add_entry", step_key=step.key))
    assumed = _assuming(answers, step, {})
    current = step
    for _ in range(PAGES_AHEAD):
        following = flow.next_step(CATALOGUE, assumed, current.key)
        if following is None:
            break
        add(following)
        current = following
    # Pages that only a different answer here would open (e.g. the work pages after "yes, I
    # worked") are not kept ahead: the server shows them only once that answer is saved.
    return urls


def progress_shown(step: Step, answers: Mapping[str, Any]) -> flow.Progress:
    """Progress for the page; a page kept ahead is shown after the steps before it are answered."""
    progress = flow.progress(CATALOGUE, answers, step.key)
    if request.headers.get(AHEAD_HEADER):
        progress = dataclasses.replace(progress, done=max(progress.done, progress.position - 1))
    return progress
