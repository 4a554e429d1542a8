"""The case file, defined once: marshmallow schemas built from the catalogue.

What leaves the system is what these schemas dump, and what comes back in is what they load;
the published JSON Schema (docs/case-file.schema.json) is generated from them. Each step of the
catalogue gets a schema of its own, with one field per question, so a question added to the
catalogue shows up in the document, in the JSON Schema and in the import check at once.

Unknown keys are refused everywhere (``RAISE``): a document that says something this version
cannot store must not be half-imported.
"""
from __future__ import annotations

from functools import cache
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validates_schema
from marshmallow.validate import Length, OneOf, Range, Regexp

from ..i18n import SUPPORTED_LOCALES
from ..models import RegistrationStatus
from ..questionnaire import checks
from ..questionnaire.catalogue import CATALOGUE, VERSION
from ..questionnaire.model import Kind, Question, Step
from ..saves import ENTRY_ID
from ..verification import STATUSES
from . import systems
from .answers import ISCED_LEVEL_QUESTIONS, SEARCH_KINDS, TEXT_KINDS, code_system
from .labels import source_text
from .validators import (
    Check,
    CleanText,
    CodeIn,
    StrictBoolean,
    StrictInteger,
    Unique,
    is_real_partial_date,
)

FORMAT = "selfreg-case-file"
FORMAT_VERSION = "1.0"
REGISTRATION_ID = r"^[0-9a-f]{32}$"
PARTIAL_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
DUF_NUMBER = r"^[0-9]{12}$"
# Keys a step or an entry holds besides its questions' answers.
STEP_KEYS = ("changed_by_staff", "verification", "entries")
ENTRY_KEYS = ("id", "verification")
EXPORTED_STATUSES = (
    RegistrationStatus.NEW, RegistrationStatus.IN_PROGRESS, RegistrationStatus.SUBMITTED,
)


class Strict(Schema):
    """A JSON object with exactly the keys below."""

    class Meta:
        unknown = RAISE


def _described(text: str) -> dict[str, Any]:
    return {"metadata": {"description": text}}


class Coded(Strict):
    """A code and its Norwegian Bokmål label. Which codes are allowed depends on the question."""

    code = fields.String(required=True)
    label_nb = fields.String(required=True)


class IscedLevelAnswer(Coded):
    """An ISCED 2011 level, with the NUS2000 level Norwegian registers use for it."""

    nus2000 = fields.Nested(Coded, required=True, validate=CodeIn(systems.NUS2000))


@cache
def free_text_schema(max_length: int, multiline: bool) -> type[Schema]:
    """Words the person typed, exactly as stored, with the locale they were typed in."""
    name = f"Paragraph{max_length}" if multiline else f"Line{max_length}"
    return type(name, (Strict,), {
        "__doc__": (
            "What the person (or staff, see changed_by_staff) typed, unchanged, and the locale "
            "of the pages it was typed on. The text may be in any language and script."
        ),
        "text": fields.String(
            required=True, validate=[Length(1, max_length), CleanText(multiline=multiline)]
        ),
        "locale": fields.String(required=True, validate=OneOf(SUPPORTED_LOCALES)),
    })


class SearchAnswer(Strict):
    """A code found by search, or the person's own words when nothing fitted, or both."""

    json_schema_extra = {"anyOf": [
        {"properties": {"code": {"type": "string"}}},
        {"properties": {"own_words": {"type": "object"}}},
    ]}

    @validates_schema
    def code_or_own_words(self, data: dict[str, Any], **_kwargs: Any) -> None:
        if data.get("code") is None and data.get("own_words") is None:
            raise ValidationError("needs a code, own words, or both")


@cache
def search_schema(kind: Kind, max_length: int) -> type[Schema]:
    own_words = fields.Nested(free_text_schema(max_length, False), required=True, allow_none=True)
    attrs: dict[str, Any] = {
        "code": fields.String(required=True, allow_none=True),
        "label_nb": fields.String(required=True, allow_none=True),
    }
    if kind is Kind.OCCUPATION:
        attrs["__doc__"] = (
            "An ISCO-08 unit group with its Bokmål title (from STYRK-08) and the STYRK-08 code, "
            "which is null where SSB merged or left out the ISCO group; and the person's words."
        )
        attrs["styrk08"] = fields.String(
            required=True, allow_none=True, validate=CodeIn(systems.STYRK08, key=None)
        )
        name = "OccupationAnswer"
    else:
        attrs["__doc__"] = (
            "An ISO 639 language code (CLDR), its Bokmål name, and the person's words."
        )
        name = "LanguageAnswer"
    attrs["own_words"] = own_words
    return type(f"{name}{max_length}", (SearchAnswer,), attrs)


def question_field(step_key: str, question: Question) -> fields.Field:
    """The field for one question's answer; absent from the document when not answered."""
    kind = question.kind
    common: dict[str, Any] = {
        "required": question.required and question.show_if is None,
        **_described(source_text(question.label)),
    }
    system = code_system(step_key, question)
    options = [option.code for option in question.options]
    if kind in SEARCH_KINDS:
        return fields.Nested(
            search_schema(kind, question.max_length), validate=CodeIn(system, nullable=True),
            **common
        )
    if kind in TEXT_KINDS:
        return fields.Nested(free_text_schema(question.max_length, kind is Kind.TEXTAREA), **common)
    if kind is Kind.INTEGER:
        return StrictInteger(validate=Range(question.minimum, question.maximum), **common)
    if kind is Kind.MULTI:
        item = fields.Nested(Coded, validate=CodeIn(options=options))
        return fields.List(item, validate=[Length(min=1), Unique("code")], **common)
    if kind in (Kind.CHOICE, Kind.COUNTRY, Kind.FIELD):
        answer = IscedLevelAnswer if (step_key, question.key) in ISCED_LEVEL_QUESTIONS else Coded
        check = CodeIn(system) if kind is not Kind.CHOICE else CodeIn(options=options)
        return fields.Nested(answer, validate=check, **common)
    if kind is Kind.PARTIAL_DATE:
        rules = [
            Regexp(PARTIAL_DATE),
            Check(is_real_partial_date, "not a date in the calendar", "a date in the calendar"),
        ]
        if question.check is checks.check_birth_date:
            rules.append(Check(
                lambda value: checks.check_birth_date(value) is None,
                "not a possible date of birth (in the future, or younger than 16)",
                "a date of birth at least 16 years ago",
            ))
        return fields.String(validate=rules, **common)
    if kind is Kind.DUF:
        return fields.String(validate=Regexp(DUF_NUMBER), **common)
    if kind is Kind.PHONE:
        rule = "digits, spaces, brackets and dashes with an optional leading +, 6 to 24 of them"
        phone = Check(
            lambda value: checks.check_phone(value) is None,
            f"not a phone number: {rule}", f"a phone number: {rule}",
        )
        return fields.String(validate=[Length(max=question.max_length), phone], **common)
    raise ValueError(f"no case-file field for {kind}")


def _verification() -> fields.Nested:
    return fields.Nested(
        Coded, required=True, validate=CodeIn(options=STATUSES),
        **_described("How far a counsellor has verified it: self-reported, confirmed in the "
                     "interview, or a document seen."),
    )


def _question_fields(step: Step, reserved: tuple[str, ...]) -> dict[str, fields.Field]:
    clash = {question.key for question in step.questions} & set(reserved)
    if clash:
        raise ValueError(f"step {step.key}: question keys {clash} are reserved in a case file")
    return {question.key: question_field(step.key, question) for question in step.questions}


def step_schema(step: Step) -> type[Schema]:
    """One step's answers; a repeatable step holds its entries, each verified on its own."""
    changed = StrictBoolean(required=True, **_described(
        "Whether staff saved this step last (guided registration or a correction); false when "
        "the person did."
    ))
    title = source_text(step.title)
    if not step.repeatable:
        return type(f"Step_{step.key}", (Strict,), {
            "__doc__": f"{title} (step {step.key!r}).",
            "changed_by_staff": changed,
            "verification": _verification(),
            **_question_fields(step, STEP_KEYS),
        })
    entry = type(f"Entry_{step.key}", (Strict,), {
        "__doc__": f"One entry of {title!r} (step {step.key!r}).",
        "id": fields.String(required=True, validate=Regexp(ENTRY_ID.pattern)),
        "verification": _verification(),
        **_question_fields(step, ENTRY_KEYS),
    })
    return type(f"Step_{step.key}", (Strict,), {
        "__doc__": f"{title} (step {step.key!r}): up to {step.max_entries} entries.",
        "changed_by_staff": changed,
        "entries": fields.List(
            fields.Nested(entry), required=True,
            validate=[Length(max=step.max_entries), Unique("id")],
        ),
    })


def answers_schema() -> type[Schema]:
    return type("Answers", (Strict,), {
        "__doc__": (
            "Every step that applies and was answered, by step key, in catalogue order. Steps "
            "that no longer apply (after a changed answer) are left out."
        ),
        **{step.key: fields.Nested(step_schema(step)) for step in CATALOGUE.steps},
    })


class Registration(Strict):
    """The registration: its id here, state, language, catalogue version and times (UTC)."""

    id = fields.String(required=True, validate=Regexp(REGISTRATION_ID))
    status = fields.String(required=True, validate=OneOf(EXPORTED_STATUSES))
    locale = fields.String(
        required=True, allow_none=True, validate=OneOf(SUPPORTED_LOCALES),
        **_described("The language of the pages the person answered on."),
    )
    catalogue_version = fields.String(required=True, allow_none=True, validate=OneOf([VERSION]))
    created_at = fields.AwareDateTime(required=True)
    updated_at = fields.AwareDateTime(required=True)
    consented_at = fields.AwareDateTime(required=True, allow_none=True)
    submitted_at = fields.AwareDateTime(required=True, allow_none=True)
    followed_up_at = fields.AwareDateTime(
        required=True, allow_none=True,
        **_described("When a counsellor went through the registration with the person."),
    )


class Centre(Strict):
    """The reception centre where the person registered."""

    name = fields.String(required=True, validate=[Length(1, 200), CleanText(multiline=False)])
    municipality = fields.String(required=True, allow_none=True,
                                 validate=[Length(max=100), CleanText(multiline=False)])


def _edition(value: str, text: str) -> fields.String:
    return fields.String(required=True, validate=OneOf([value]), **_described(text))


class Classifications(Strict):
    """Which edition of each code system the codes in this document belong to."""

    occupation = _edition(systems.ISCO08.name, "Occupations: ISCO-08 unit groups (4 digits).")
    occupation_norwegian = _edition(systems.STYRK08.name, "Occupations: SSB's STYRK-08.")
    education_level = _edition(systems.ISCED2011.name, "Levels of education.")
    education_level_norwegian = _edition(systems.NUS2000.name, "SSB's NUS2000 level digit.")
    field_of_education = _edition(systems.ISCEDF2013.name, "Fields of education.")
    language_level = _edition(systems.CEFR.name, "Self-assessed levels; 'none' is below A1.")
    country = _edition(systems.COUNTRY.name, "Countries.")
    language = _edition(systems.LANGUAGE.name, "Languages, as CLDR names them.")
    cldr_version = fields.String(required=True, validate=Regexp(r"^[0-9]+(\.[0-9]+)*$"))


class Identity(Strict):
    """The "About you" answers in one place, for matching; the same values as in answers."""

    given_names = fields.String(required=True, allow_none=True)
    family_name = fields.String(required=True, allow_none=True)
    birth_date = fields.String(required=True, allow_none=True, validate=Regexp(PARTIAL_DATE),
                               **_described("YYYY, YYYY-MM or YYYY-MM-DD"))
    country_of_origin = fields.Nested(Coded, required=True, allow_none=True,
                                      validate=CodeIn(systems.COUNTRY))
    duf_number = fields.String(required=True, allow_none=True, validate=Regexp(DUF_NUMBER))
    phone = fields.String(required=True, allow_none=True)
    municipality = fields.String(required=True, allow_none=True, **_described(
        "The municipality the person expects to live in, in their own words."
    ))


class EducationLevel(Strict):
    """The highest completed level of education, worked out from the answers."""

    isced2011 = fields.Nested(Coded, required=True, allow_none=True,
                              validate=CodeIn(systems.ISCED2011))
    nus2000 = fields.Nested(Coded, required=True, validate=CodeIn(systems.NUS2000))


class Summary(Strict):
    """Worked out from the answers (never read on import)."""

    education_level = fields.Nested(EducationLevel, required=True)


@cache
def case_file_schema_class() -> type[Schema]:
    return type("CaseFile", (Strict,), {
        "__doc__": (
            "One person's registration for a case system: identity, every answer as code, "
            "Bokmål label and the person's own words, verification, and where it came from."
        ),
        "format": fields.String(required=True, validate=OneOf([FORMAT])),
        "format_version": fields.String(required=True, validate=OneOf([FORMAT_VERSION])),
        "registration": fields.Nested(Registration, required=True),
        "centre": fields.Nested(Centre, required=True),
        "classifications": fields.Nested(Classifications, required=True),
        "identity": fields.Nested(Identity, required=True),
        "summary": fields.Nested(Summary, required=True),
        "answers": fields.Nested(answers_schema(), required=True),
    })


@cache
def case_file_schema() -> Schema:
    """One shared instance: schemas keep no state between dump and load calls."""
    return case_file_schema_class()()
