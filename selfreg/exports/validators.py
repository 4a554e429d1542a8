"""Checks a case file's values must pass, each able to say what it means in JSON Schema.

The marshmallow schemas are the one definition of a case file; the published JSON Schema is
generated from them (``jsonschema``). Built-in validators (OneOf, Length, Range, Regexp) map on
their own; the ones here carry a ``json_schema()`` fragment so that nothing is said twice.
Messages name the rule broken, for the import report ("line 3: answers.work.entries.0.occupation:
not a known ISCO-08 code").
"""
from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any, Callable, Iterable

from marshmallow import ValidationError, fields
from marshmallow.validate import Validator

from ..questionnaire.sanitise import clean_text
from .systems import CodeSystem

# What the form cleaning (questionnaire.sanitise) never lets through, as a JSON Schema pattern:
# C0 and C1 controls and the direction-changing marks and overrides. (The import check is
# stricter: the whole text must already be in the cleaned form.)
_FORBIDDEN = r"\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
LINE_PATTERN = f"^[^\\u000a{_FORBIDDEN}]*$"
PARAGRAPH_PATTERN = f"^[^{_FORBIDDEN}]*$"


def definition_ref(key: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{key}"}


class CodeIn(Validator):
    """A code is one of a classification's codes, or one of a question's own options.

    With ``key`` (the default, "code") the value is a coded answer ``{"code": ..., ...}``; with
    ``key=None`` it is the code itself. A missing code (None) passes; whether one may be missing
    is the field's business, and ``nullable`` only tells the JSON Schema (a search answer may
    hold only the person's own words).
    """

    def __init__(
        self, system: CodeSystem | None = None, options: Iterable[str] = (), *,
        key: str | None = "code", nullable: bool = False,
    ) -> None:
        self.system = system
        self.options = tuple(options)
        self.key = key
        self.nullable = nullable

    def __call__(self, value: Any) -> Any:
        code = (value or {}).get(self.key) if self.key else value
        if code is None:
            return value
        if self.system is not None:
            if not self.system.is_valid(code):
                raise ValidationError(f"not a known {self.system.name} code: {code!r}")
        elif code not in self.options:
            raise ValidationError(f"not one of {', '.join(self.options)}: {code!r}")
        return value

    def json_schema(self) -> dict[str, Any]:
        allowed = definition_ref(self.system.key) if self.system else {"enum": list(self.options)}
        if self.nullable:
            allowed = {"anyOf": [allowed, {"type": "null"}]}
        return {"properties": {self.key: allowed}} if self.key else allowed


class CleanText(Validator):
    """Text exactly as the questionnaire stores it: cleaned, so it cannot hide or reorder words.

    Anything stored went through ``clean_text``, so a document with controls or bidi overrides
    was made or changed elsewhere. It is refused rather than cleaned: cleaning would change the
    person's words without anyone seeing it.
    """

    def __init__(self, *, multiline: bool) -> None:
        self.multiline = multiline

    def __call__(self, value: str) -> str:
        if clean_text(value, multiline=self.multiline) == value:
            return value
        hidden = next((c for c in value if _is_control(c, self.multiline)), None)
        if hidden is not None:
            raise ValidationError(
                f"contains a control or text-direction character (U+{ord(hidden):04X})"
            )
        raise ValidationError("is not cleaned text (spaces at the ends or in runs, or not NFC)")

    def json_schema(self) -> dict[str, Any]:
        return {"pattern": PARAGRAPH_PATTERN if self.multiline else LINE_PATTERN}


def _is_control(char: str, multiline: bool) -> bool:
    if char == "\n":
        return not multiline
    return unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200c\u200d"


class Check(Validator):
    """A rule only code can say (a real calendar date, an age); JSON Schema gets a description."""

    def __init__(self, test: Callable[[Any], bool], message: str, rule: str) -> None:
        self.test = test
        self.message = message
        self.rule = rule  # what holds, for the JSON Schema reader

    def __call__(self, value: Any) -> Any:
        if not self.test(value):
            raise ValidationError(self.message)
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"$comment": f"Also checked on import: {self.rule}."}


def is_real_partial_date(value: str) -> bool:
    parts = [int(part) for part in value.split("-")]
    try:
        date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError:
        return False
    return True


class Unique(Validator):
    """No two items of a list share ``key`` (a code chosen twice, an entry id used twice)."""

    def __init__(self, key: str) -> None:
        self.key = key

    def __call__(self, value: list[dict[str, Any]]) -> Any:
        keys = [item.get(self.key) for item in value]
        if len(set(keys)) != len(keys):
            raise ValidationError(f"the same {self.key} is listed twice")
        return value

    def json_schema(self) -> dict[str, Any]:
        return {"uniqueItems": True}


class StrictInteger(fields.Integer):
    """A JSON integer: not "3", not 3.5 and not true (bool is an int in Python)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class StrictBoolean(fields.Boolean):
    """A JSON true or false: not "yes", not 1."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value
