"""Signing in with a code or a one-time link, resuming, wrong codes, signing out."""
from __future__ import annotations

from selfreg import access_codes

from .walk import VALID, accept_privacy, path_of, sign_in


def test_start_page_offers_languages_and_code_entry(client):
    page = client.get("/").get_data(as_text=True)
    assert 'name="code"' in page
    assert 'lang="nb"' in page and ">norsk bokmål<" in page and ">English<" in page


def test_code_is_accepted_in_any_case_and_grouping(client, create_registration):
    _rid, code, _ = create_registration()
    typed = " " + access_codes.format_code(code).lower().replace("-", " ") + " "
    response = client.post("/", data={"code": typed})
    assert path_of(response) == "/privacy"


def test_typo_is_caught_without_counting_as_a_guess(app, client, create_registration):
    _rid, code, _ = create_registration()
    wrong_char = "2" if code[0] != "2" else "3"
    typo = wrong_char + code[1:]
    for _ in range(app.config["SELFREG_CODE_ATTEMPT_LIMIT"] + 2):
        response = client.post("/", data={"code": typo})
        assert response.status_code == 400
        assert "Check each character" in response.get_data(as_text=True) or "tegn" in response.get_data(as_text=True)
    # Typos do not lock the person out.
    assert client.post("/", data={"code": code}).status_code == 302


def _unknown_but_well_formed() -> str:
    return access_codes.generate()


def test_wrong_codes_are_slowed_down(app, client, create_registration):
    _rid, code, _ = create_registration()
    limit = app.config["SELFREG_CODE_ATTEMPT_LIMIT"]
    for _ in range(limit):
        response = client.post("/", data={"code": _unknown_but_well_formed()}, headers={"Accept-Language": "en"})
        assert response.status_code == 400
        assert "We did not find this code" in response.get_data(as_text=True)
    locked = client.post("/", data={"code": code}, headers={"Accept-Language": "en"})
    assert locked.status_code == 429
    assert "Too many wrong codes" in locked.get_data(as_text=True)


def test_lockout_is_per_client_address(app, create_registration):
    _rid, code, _ = create_registration()
    attacker = app.test_client()
    for _ in range(app.config["SELFREG_CODE_ATTEMPT_LIMIT"]):
        attacker.post("/", data={"code": _unknown_but_well_formed()}, environ_base={"REMOTE_ADDR": "10.0.0.9"})
    other = app.test_client()
    response = other.post("/", data={"code": code}, environ_base={"REMOTE_ADDR": "10.0.0.10"})
    assert response.status_code == 302


def test_lockout_ends_after_the_window(make_app, create_registration):
    app = make_app(SELFREG_CODE_LOCKOUT_SECONDS=0)
    client = app.test_client()
    for _ in range(app.config["SELFREG_CODE_ATTEMPT_LIMIT"] + 1):
        assert client.post("/", data={"code": _unknown_but_well_formed()}).status_code == 400


def test_empty_code_gets_a_message(client):
    response = client.post("/", data={"code": "   "}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "Type the code" in response.get_data(as_text=True)


def test_same_code_resumes_on_another_device(app, client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    client.post("/q/name", data=VALID["name"])
    client.post("/q/birth", data=VALID["birth"])
    phone = app.test_client()
    response = phone.post("/", data={"code": access_codes.format_code(code)})
    assert path_of(response) == "/continue"
    assert path_of(phone.get("/continue")) == "/q/origin"
    assert 'value="Amina"' in phone.get("/q/name").get_data(as_text=True)


def test_one_time_link_signs_in_once_and_leaves_no_code_in_the_url(app, create_registration):
    _rid, code, token = create_registration()
    first = app.test_client()
    response = first.get(f"/l/{token}")
    assert response.status_code == 302 and path_of(response) == "/privacy"
    assert code not in response.headers["Location"]
    assert first.get("/privacy").status_code == 200
    second = app.test_client()
    again = second.get(f"/l/{token}")
    assert path_of(again) == "/"
    assert second.get("/privacy").status_code == 302  # not signed in


def test_unknown_link_is_refused(client):
    response = client.get("/l/not-a-real-token")
    assert path_of(response) == "/"


def test_pages_need_a_registration(client):
    for url in ("/privacy", "/continue", "/q/name", "/review", "/receipt"):
        response = client.get(url)
        assert response.status_code == 302 and path_of(response) == "/", url


def test_questions_need_consent_first(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    assert path_of(client.get("/q/name")) == "/privacy"
    refused = client.post("/privacy", data={}, headers={"Accept-Language": "en"})
    assert refused.status_code == 400 and "Tick the box" in refused.get_data(as_text=True)
    accept_privacy(client)
    assert client.get("/q/name").status_code == 200


def test_privacy_notice_says_what_matters(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    page = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for phrase in ("asylum case", "We delete your answers after", "correct them", "Who can see it"):
        assert phrase in page


def test_sign_out_forgets_the_registration_in_this_browser(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    client.post("/signout")
    assert path_of(client.get("/q/name")) == "/"


def test_session_cookie_holds_no_code(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    cookie = client.get_cookie("selfreg_resident")
    assert cookie is not None
    assert code not in cookie.value and access_codes.format_code(code) not in cookie.value
