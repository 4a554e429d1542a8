"""The building blocks of the catalogue: what a question, step and section are.

Nothing here knows Flask. Labels are lazy strings so they are translated when rendered, in the
reader's language.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable, Mapping


class Kind(str, Enum):
    TEXT = "text"
    TEXTAREA = "textarea"
    INTEGER = "integer"
    CHOICE = "choice"  # one of the options (radio buttons)
    MULTI = "multi"  # any of the options (checkboxes)
    COUNTRY = "country"  # ISO 3166 code, names from CLDR
    FIELD = "field"  # ISCED-F 2013 field of education
    OCCUPATION = "occupation"  # ISCO-08 unit group found by search, plus own words
    LANGUAGE = "language"  # any CLDR language found by search, plus own words
    PARTIAL_DATE = "partial_date"  # year, optional month and day
    DUF = "duf"  # the 12-digit immigration case number
    PHONE = "phone"


SEARCH_KINDS = frozenset({Kind.OCCUPATION, Kind.LANGUAGE})


@dataclass(frozen=True)
class Option:
    code: str
    label: Any  # lazy string
    hint: Any = None


Answers = Mapping[str, Mapping[str, Any]]


@dataclass(frozen=True)
class When:
    """A condition on an earlier answer: ``step.question`` has one of ``values``.

    ``negate`` turns it into "has none of". An unanswered question matches nothing.
    """

    ref: str
    values: frozenset[str]
    negate: bool = False

    def holds(self, answers: Answers, current: Mapping[str, Any] | None = None) -> bool:
        """``current`` holds the answers of the step being filled in, for ``.question`` refs."""
        step_key, _, question_key = self.ref.partition(".")
        source = (current or {}) if step_key == "" else answers.get(step_key, {})
        value = (source or {}).get(question_key)
        if value is None or value == [] or value == "":
            return self.negate
        if isinstance(value, list):
            hit = any(v in self.values for v in value)
        else:
            hit = value in self.values
        return hit != self.negate


def when(ref: str, *values: str, negate: bool = False) -> When:
    return When(ref, frozenset(values), negate)


@dataclass(frozen=True)
class Question:
    key: str
    kind: Kind
    label: Any
    hint: Any = None
    options: tuple[Option, ...] = ()
    required: bool = True
    max_length: int = 200
    minimum: int | None = None
    maximum: int | None = None
    # Within a step: the question only applies when this holds for the step's own answers
    # (``when(".status", "interrupted")``); otherwise it is hidden on review and not required.
    show_if: When | None = None
    # Extra validation on the cleaned value; returns an error message (lazy string) or None.
    check: Callable[[Any], Any] | None = None
    # For search kinds: allow keeping own words when nothing in the list fits.
    allow_free_text: bool = True
    autocomplete: str | None = None

    @property
    def text_key(self) -> str:
        """Where a search question keeps the person's own words."""
        return f"{self.key}_text"


@dataclass(frozen=True)
class Step:
    """One page: a small group of questions, or a list of repeatable entries."""

    key: str
    title: Any
    questions: tuple[Question, ...]
    intro: Any = None
    applies_if: tuple[When, ...] = ()
    repeatable: bool = False
    # For repeatable steps: which question names an entry in lists and on review.
    entry_title: str | None = None
    add_label: Any = None
    min_entries: int = 1
    max_entries: int = 20

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def applies(self, answers: Answers) -> bool:
        return all(condition.holds(answers) for condition in self.applies_if)


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    steps: tuple[Step, ...]
    pictogram: str = ""  # file name under static/img/sections/


@dataclass(frozen=True)
class Catalogue:
    version: str
    sections: tuple[Section, ...]
    _steps: dict[str, Step] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for section in self.sections:
            for step in section.steps:
                if step.key in self._steps:
                    raise ValueError(f"duplicate step key {step.key}")
                self._steps[step.key] = step

    @property
    def steps(self) -> list[Step]:
        return list(self._steps.values())

    def step(self, key: str) -> Step:
        return self._steps[key]

    def has_step(self, key: str) -> bool:
        return key in self._steps

    def section_of(self, step_key: str) -> Section:
        for section in self.sections:
            if any(step.key == step_key for step in section.steps):
                return section
        raise KeyError(step_key)
