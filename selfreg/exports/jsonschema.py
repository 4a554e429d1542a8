"""The case file's JSON Schema (draft 2020-12), generated from the marshmallow schemas.

    python -m selfreg.exports.jsonschema > docs/case-file.schema.json

A case system should not need our code to check what we send, and the schema it checks with
must never drift from what we actually send: so it is generated, and a test compares the
published file with a fresh one. The maintained generator for marshmallow (marshmallow-jsonschema)
emits draft-07 only and would be a new runtime dependency, so this walks the few field types and
validators the case-file schemas use, and fails loudly on any other, rather than describe a
field loosely.
"""
from __future__ import annotations

import inspect
import json
import sys
from typing import Any

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf, Range, Regexp

from . import systems
from .schemas import FORMAT, FORMAT_VERSION, case_file_schema_class
from .validators import StrictBoolean, StrictInteger

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = f"urn:selfreg:{FORMAT}:{FORMAT_VERSION}"
_SCALARS: tuple[tuple[type[fields.Field], dict[str, str]], ...] = (
    (fields.AwareDateTime, {"type": "string", "format": "date-time"}),
    (StrictInteger, {"type": "integer"}),
    (StrictBoolean, {"type": "boolean"}),
    (fields.String, {"type": "string"}),
)


class Generator:
    def __init__(self) -> None:
        self.definitions: dict[str, dict[str, Any]] = {}
        self._classes: dict[str, type[Schema]] = {}

    def reference(self, schema_class: type[Schema]) -> dict[str, str]:
        name = schema_class.__name__
        known = self._classes.get(name)
        if known is not None and known is not schema_class:
            raise ValueError(f"two schemas are called {name}")
        if known is None:
            self._classes[name] = schema_class
            self.definitions[name] = {}  # reserve the place (and the name) first
            self.definitions[name] = self.object(schema_class)
        return {"$ref": f"#/$defs/{name}"}

    def object(self, schema_class: type[Schema]) -> dict[str, Any]:
        schema = schema_class()
        out: dict[str, Any] = {"type": "object"}
        if schema_class.__doc__:
            out["description"] = inspect.cleandoc(schema_class.__doc__)
        out["properties"] = {
            field.data_key or name: self.field(field) for name, field in schema.load_fields.items()
        }
        required = [field.data_key or name for name, field in schema.load_fields.items()
                    if field.required]
        if required:
            out["required"] = required
        out["additionalProperties"] = False
        out.update(getattr(schema_class, "json_schema_extra", {}))
        return out

    def field(self, field: fields.Field) -> dict[str, Any]:
        out = self._type(field)
        for validator in field.validators:
            said = _validator(validator, field)
            if "$comment" in said and "$comment" in out:
                said["$comment"] = f"{out['$comment']} {said['$comment']}"
            out.update(said)
        if field.allow_none:
            out = _nullable(out)
        description = field.metadata.get("description")
        return {"description": description, **out} if description else out

    def _type(self, field: fields.Field) -> dict[str, Any]:
        if isinstance(field, fields.Nested):
            nested = field.nested if isinstance(field.nested, type) else type(field.nested)
            return self.reference(nested)
        if isinstance(field, fields.List):
            return {"type": "array", "items": self.field(field.inner)}
        for field_class, shape in _SCALARS:
            if isinstance(field, field_class):
                return dict(shape)
        raise TypeError(f"no JSON Schema for {type(field).__name__}")


def _validator(validator: Any, field: fields.Field) -> dict[str, Any]:
    if hasattr(validator, "json_schema"):
        return validator.json_schema()
    if isinstance(validator, OneOf):
        return {"enum": list(validator.choices)}
    if isinstance(validator, Regexp):
        return {"pattern": validator.regex.pattern}
    if isinstance(validator, Range):
        out = {}
        if validator.min is not None:
            out["minimum" if validator.min_inclusive else "exclusiveMinimum"] = validator.min
        if validator.max is not None:
            out["maximum" if validator.max_inclusive else "exclusiveMaximum"] = validator.max
        return out
    if isinstance(validator, Length):
        low, high = ("minItems", "maxItems") if isinstance(field, fields.List) else (
            "minLength", "maxLength")
        out = {}
        if validator.equal is not None:
            return {low: validator.equal, high: validator.equal}
        if validator.min is not None:
            out[low] = validator.min
        if validator.max is not None:
            out[high] = validator.max
        return out
    raise TypeError(f"no JSON Schema for the validator {type(validator).__name__}")


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    schema = dict(schema, type=[schema["type"], "null"])
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def _code_list(system: systems.CodeSystem) -> dict[str, Any]:
    return {"description": f"{system.name} codes.", "type": "string",
            "enum": list(system.codes())}


def generate() -> dict[str, Any]:
    """The JSON Schema of a case file, as a dict (deterministic: same input, same output)."""
    generator = Generator()
    root = generator.object(case_file_schema_class())
    return {
        "$schema": DIALECT,
        "$id": SCHEMA_ID,
        "title": f"selfreg case file, format version {FORMAT_VERSION}",
        "$comment": (
            "Generated by `python -m selfreg.exports.jsonschema` from the marshmallow schemas in "
            "selfreg/exports/schemas.py. Do not edit; see docs/CASE-FILE.md."
        ),
        **root,
        "$defs": {
            **generator.definitions,
            **{system.key: _code_list(system) for system in systems.ALL},
        },
    }


def render() -> str:
    return json.dumps(generate(), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
