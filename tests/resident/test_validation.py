"""Every validation rule answers with a clear message in the person's language and keeps input."""
from __future__ import annotations

import re

import pytest

from .walk import VALID, accept_privacy, sign_in, walk

EN = {"Accept-Language": "en"}


@pytest.fixture
def started(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    return client


def post(client, step, data, headers=EN):
    return client.post(f"/q/{step}", data=data, headers=headers)


def error_summary(response) -> str:
    page = response.get_data(as_text=True)
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary"
    return match.group(0)


def test_required_text_fields(started):
    response = post(started, "name", {"given_names": "", "family_name": "  "})
    assert response.status_code == 400
    summary = error_summary(response)
    assert summary.count("Write an answer.") == 2
    assert 'href="#f-given_names"' in summary and 'href="#f-family_name"' in summary


def test_input_is_kept_when_another_field_fails(started):
    response = post(started, "name", {"given_names": "Amina", "family_name": ""})
    assert 'value="Amina"' in response.get_data(as_text=True)


def test_too_long_text_is_refused(started):
    response = post(started, "name", {"given_names": "A" * 101, "family_name": "B"})
    assert response.status_code == 400
    assert "at most 100 characters" in error_summary(response)


def test_year_alone_is_accepted_as_birth_date(started):
    assert post(started, "birth", {"birth_date__year": "1985"}).status_code == 303


@pytest.mark.parametrize("data, message", [
    ({"birth_date__year": "85"}, "4 digits"),
    ({"birth_date__year": "1990", "birth_date__month": "13"}, "month must be"),
    ({"birth_date__year": "1990", "birth_date__month": "2", "birth_date__day": "30"}, "does not exist"),
    ({"birth_date__year": "1990", "birth_date__day": "3"}, "Write the month too"),
    ({"birth_date__year": "2999"}, "cannot be in the future"),
    ({"birth_date__year": "2020"}, "16 years or older"),
    ({"birth_date__year": ""}, "Write an answer"),
])
def test_impossible_or_too_young_birth_dates(started, data, message):
    response = post(started, "birth", {"birth_date__month": "", "birth_date__day": "", **data})
    assert response.status_code == 400
    assert message in error_summary(response)


def test_arabic_indic_digits_are_accepted(started):
    response = post(started, "birth", {"birth_date__year": "١٩٨٥", "birth_date__month": "٣"})
    assert response.status_code == 303
    page = started.get("/q/birth").get_data(as_text=True)
    assert 'value="1985"' in page and 'value="3"' in page


@pytest.mark.parametrize("duf", ["12345", "1234567890123", "abc", "2023-1234-567X"])
def test_malformed_duf_numbers_are_refused(started, duf):
    response = post(started, "origin", {"country_of_origin": "SY", "duf_number": duf})
    assert response.status_code == 400
    assert "12 digits" in error_summary(response)


def test_duf_number_may_be_typed_with_spaces_or_persian_digits(started):
    response = post(started, "origin", {"country_of_origin": "AF", "duf_number": "۲۰۲۳ ۱۲۳۴ ۵۶۷۸"})
    assert response.status_code == 303
    assert 'value="202312345678"' in started.get("/q/origin").get_data(as_text=True)


def test_unknown_country_code_is_refused(started):
    response = post(started, "origin", {"country_of_origin": "XX", "duf_number": ""})
    assert response.status_code == 400
    assert "Choose one of the answers" in error_summary(response)


def test_bad_phone_number(started):
    response = post(started, "contact", {"phone": "call me maybe", "municipality": ""})
    assert response.status_code == 400
    assert "phone number" in error_summary(response)


def test_choice_must_be_one_of_the_options(started):
    walk(started, stop_before="literacy")
    response = post(started, "literacy", {"reads": "fluently", "writes": "yes"})
    assert response.status_code == 400
    assert "Choose one of the answers" in error_summary(response)
    missing = post(started, "literacy", {"writes": "yes"})
    assert "Choose an answer." in error_summary(missing)


def test_numbers_out_of_range_and_not_numbers(started):
    walk(started, stop_before="school_details")
    response = post(started, "school_details", {"years": "45", "country": "SY", "completed": "yes"})
    assert "from 1 to 20" in error_summary(response)
    response = post(started, "school_details", {"years": "twelve", "country": "SY", "completed": "yes"})
    assert "Write a number" in error_summary(response)


def test_multi_choice_refuses_unknown_options(started):
    walk(started, stop_before="driving")
    response = post(started, "driving", {"classes": ["B", "SPACESHIP"], "country": ""})
    assert response.status_code == 400


def test_conditional_question_only_applies_when_its_condition_holds(started):
    walk(started, stop_before="upper_details")
    data = dict(VALID["upper_details"], status="completed", how_far="ignored", reason="war")
    assert post(started, "upper_details", data).status_code == 303
    page = started.get("/review", headers=EN).get_data(as_text=True)
    assert "ignored" not in page


def test_control_and_bidi_characters_are_stripped_and_scripts_escaped(started):
    hostile = "<script>alert(1)</script>\u202eevil\u0007"
    assert post(started, "name", {"given_names": hostile, "family_name": "X"}).status_code == 303
    page = started.get("/q/name").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;evil" in page
    assert "\u202e" not in page and "\u0007" not in page


def test_oversized_request_is_refused_with_a_page(started):
    response = started.post("/q/name", data={"given_names": "x" * 400_000, "family_name": "y"}, headers=EN)
    assert response.status_code == 413
    assert "Too much text" in response.get_data(as_text=True)
    # What was stored before is untouched.
    assert post(started, "name", VALID["name"]).status_code == 303
    started.post("/q/name", data={"given_names": "x" * 400_000, "family_name": "y"})
    assert 'value="Amina"' in started.get("/q/name").get_data(as_text=True)


def test_unknown_step_is_404(started):
    assert started.get("/q/no-such-step").status_code == 404
