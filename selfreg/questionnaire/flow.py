"""Which steps apply, in what order, and what is still missing.

Works on plain answer dicts (``{step_key: {question_key: value}}``; a repeatable step holds
``{"entries": [...]}``), so the same rules serve pages, review, submit and exports.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from .model import Catalogue, Question, Step

ENTRIES = "entries"


def applicable_steps(catalogue: Catalogue, answers: Mapping[str, Any]) -> list[Step]:
    return [step for step in catalogue.steps if step.applies(answers)]


def visible_questions(step: Step, values: Mapping[str, Any]) -> list[Question]:
    """Questions that apply given the step's own answers (``show_if``)."""
    return [q for q in step.questions if q.show_if is None or q.show_if.holds({}, values)]


def is_step_complete(step: Step, answers: Mapping[str, Any]) -> bool:
    stored = answers.get(step.key)
    if stored is None:
        return False
    if step.repeatable:
        return len(stored.get(ENTRIES, [])) >= step.min_entries
    return True


def next_step(catalogue: Catalogue, answers: Mapping[str, Any], current: str) -> Step | None:
    steps = applicable_steps(catalogue, answers)
    keys = [step.key for step in steps]
    if current not in keys:
        return first_incomplete(catalogue, answers)
    index = keys.index(current)
    return steps[index + 1] if index + 1 < len(steps) else None


def previous_step(catalogue: Catalogue, answers: Mapping[str, Any], current: str) -> Step | None:
    steps = applicable_steps(catalogue, answers)
    keys = [step.key for step in steps]
    if current not in keys:
        return None
    index = keys.index(current)
    return steps[index - 1] if index > 0 else None


def first_incomplete(catalogue: Catalogue, answers: Mapping[str, Any]) -> Step | None:
    for step in applicable_steps(catalogue, answers):
        if not is_step_complete(step, answers):
            return step
    return None


def missing_steps(catalogue: Catalogue, answers: Mapping[str, Any]) -> list[Step]:
    return [s for s in applicable_steps(catalogue, answers) if not is_step_complete(s, answers)]


@dataclass(frozen=True)
class Progress:
    position: int  # 1-based position of the current step among applicable steps
    total: int
    done: int
    section_number: int
    section_count: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def progress(catalogue: Catalogue, answers: Mapping[str, Any], current: str | None) -> Progress:
    steps = applicable_steps(catalogue, answers)
    keys = [step.key for step in steps]
    done = sum(1 for step in steps if is_step_complete(step, answers))
    position = keys.index(current) + 1 if current in keys else done
    section_keys = [section.key for section in catalogue.sections]
    section_number = (
        section_keys.index(catalogue.section_of(current).key) + 1 if current in keys else 0
    )
    return Progress(position, len(steps), done, section_number, len(section_keys))


def prune(catalogue: Catalogue, answers: Mapping[str, Any]) -> dict[str, Any]:
    """Drop answers to steps that no longer apply (e.g. after "no higher education")."""
    keys = {step.key for step in applicable_steps(catalogue, answers)}
    return {key: value for key, value in answers.items() if key in keys}
