"""The published JSON Schema is exactly what the marshmallow schemas generate."""
from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator
from marshmallow import Schema, fields

from selfreg.exports.jsonschema import Generator, generate, render

from .helpers import SCHEMA_FILE


def test_published_schema_is_the_generated_one():
    published = SCHEMA_FILE.read_text(encoding="utf-8")
    assert published == render(), (
        "docs/case-file.schema.json is stale: run "
        "`python -m selfreg.exports.jsonschema > docs/case-file.schema.json`"
    )


def test_generated_schema_is_a_valid_draft_2020_12_schema():
    schema = generate()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_generation_does_not_depend_on_the_request_locale(app):
    with app.test_request_context("/?lang=ar"):
        assert json.loads(render()) == generate()


def test_every_step_and_code_list_is_described():
    schema = generate()
    answers = schema["$defs"]["Answers"]["properties"]
    assert {"name", "work", "higher", "wishes_education"} <= set(answers)
    occupation = schema["$defs"]["Entry_work"]["properties"]["occupation"]
    assert occupation["properties"]["code"] == {"anyOf": [{"$ref": "#/$defs/isco08"},
                                                          {"type": "null"}]}
    assert "2221" in schema["$defs"]["isco08"]["enum"]
    assert "2221" in schema["$defs"]["styrk08"]["enum"]
    assert "5412" not in schema["$defs"]["styrk08"]["enum"]  # merged by SSB: no STYRK code


def test_a_field_type_it_cannot_describe_is_an_error_not_a_guess():
    class Odd(Schema):
        when = fields.Date()

    with pytest.raises(TypeError, match="Date"):
        Generator().object(Odd)


def _doc() -> str:
    return (SCHEMA_FILE.parent / "CASE-FILE.md").read_text(encoding="utf-8")


def test_the_example_in_the_documentation_validates(validator):
    example = _doc().split("```json\n", 1)[1].split("```", 1)[0]
    errors = list(validator.iter_errors(json.loads(example)))
    assert not errors, errors[0]


def test_the_documentation_names_every_step_and_question():
    from selfreg.questionnaire.catalogue import CATALOGUE

    text = _doc()
    for step in CATALOGUE.steps:
        assert f"`{step.key}`" in text, step.key
        for question in step.questions:
            assert f"`{question.key}`" in text, (step.key, question.key)
