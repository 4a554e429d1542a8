"""The whole questionnaire through the test client, as a resident would do it."""
from __future__ import annotations

from selfreg import access_codes

from .walk import VALID, accept_privacy, path_of, sign_in, walk


def start(client, create_registration):
    _rid, code, _token = create_registration()
    sign_in(client, access_codes.format_code(code))
    accept_privacy(client)
    return code


def test_full_walk_to_receipt(client, create_registration):
    start(client, create_registration)
    visited = walk(client)
    assert visited[:4] == ["name", "birth", "origin", "contact"]
    assert "other_languages" not in visited  # "no other languages" skips the list
    assert "training" not in visited
    review = client.get("/review")
    assert review.status_code == 200
    page = review.get_data(as_text=True)
    assert "Amina" in page and "Cared for patients" in page
    assert "Not answered yet" not in page
    submitted = client.post("/submit")
    assert path_of(submitted) == "/receipt"
    receipt = client.get("/receipt").get_data(as_text=True)
    assert "Your answers are sent" in receipt or "Svarene dine er sendt" in receipt


def test_never_went_to_school_skips_all_school_steps(client, create_registration):
    start(client, create_registration)
    visited = walk(client, answers={"school": {"attended": "never"}})
    assert "school" in visited
    for skipped in ("school_details", "upper", "upper_details", "higher_any", "higher"):
        assert skipped not in visited


def test_no_higher_education_skips_its_details(client, create_registration):
    start(client, create_registration)
    visited = walk(client, answers={"higher_any": {"any": "no"}})
    assert "higher_any" in visited and "higher" not in visited


def test_no_upper_secondary_skips_its_details(client, create_registration):
    start(client, create_registration)
    visited = walk(client, answers={"upper": {"kind": "none"}})
    assert "upper" in visited and "upper_details" not in visited


def test_yes_to_other_languages_asks_for_them(client, create_registration):
    start(client, create_registration)
    visited = walk(
        client,
        answers={"other_languages_any": {"any": "yes"}},
        entries={"other_languages": [{"language": "ar", "language_text": "Arabic",
                                      "understand": "B2", "speak": "B1", "read": "A2",
                                      "write": "A1"}]},
    )
    assert "other_languages" in visited


def test_no_work_skips_work_entries(client, create_registration):
    start(client, create_registration)
    visited = walk(client, answers={"work_any": {"any": "no"}})
    assert "work" not in visited


def test_submit_refused_while_steps_are_missing(client, create_registration):
    start(client, create_registration)
    walk(client, stop_before="school")
    response = client.post("/submit")
    assert response.status_code == 400
    assert "/q/school" in response.get_data(as_text=True)


def test_answers_are_read_only_after_submission(client, create_registration):
    start(client, create_registration)
    walk(client)
    client.post("/submit")
    for url in ("/q/name", "/review", "/continue", "/q/work/add"):
        response = client.get(url)
        assert response.status_code == 302 and path_of(response) == "/receipt", url
    changed = client.post("/q/name", data={"given_names": "Changed", "family_name": "X"})
    assert path_of(changed) == "/receipt"
    assert "Changed" not in client.get("/receipt").get_data(as_text=True)


def test_a_step_is_saved_when_continue_is_pressed(app, client, create_registration):
    start(client, create_registration)
    client.post("/q/name", data=VALID["name"])
    # A new browser (another phone) with the same code sees the saved answer.
    other = app.test_client()
    code = None  # resumed below with a fresh sign-in
    page = client.get("/q/name").get_data(as_text=True)
    assert 'value="Amina"' in page
    assert other.get("/q/name").status_code == 302  # no session, no data
    assert code is None
