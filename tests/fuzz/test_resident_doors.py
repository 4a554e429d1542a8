"""Hostile input at the resident's doors: the code, the one-time link, the language switch, the
privacy notice, signing out, and the own copy after submission."""
from __future__ import annotations

import random
from urllib.parse import quote

from hypothesis import example, given
from hypothesis import strategies as st
from markupsafe import escape
from werkzeug.datastructures import MultiDict

from selfreg import access_codes
from selfreg.i18n import SUPPORTED_LOCALES, locale_info
from selfreg.questionnaire.sanitise import clean_line, clean_multiline
from tests.resident.walk import accept_privacy, sign_in, walk

from .hostile import extra_fields, fuzz_settings, hostile_text
from .support import assert_answered, assert_form_refused, too_large

HTML_LANGS = {locale_info(code).html_lang for code in SUPPORTED_LOCALES}


def _variant_of(code: str, seed: int) -> str:
    """The real code as a person might type it: any case, separators, other scripts' digits."""
    rng = random.Random(seed)
    digits = {str(d): chr(0x660 + d) for d in range(10)}  # Arabic-Indic
    out = []
    for char in access_codes.format_code(code):
        char = rng.choice([char.lower(), char, digits.get(char, char)])
        out.append(char + rng.choice(["", "", " ", "-", ".", "\u200f", "\t"]))
    return "".join(out)


@fuzz_settings(15)
@given(typed=hostile_text(40), extras=extra_fields(), variant=st.integers(0, 10**6),
       real=st.booleans())
def test_code_entry(app, client, create_registration, typed, extras, variant, real):
    """Only the real code, however typed, signs in; anything else is refused with a message."""
    app.config["SELFREG_CODE_ATTEMPT_LIMIT"] = 10**6  # reach the checks, not the lock-out
    _rid, code, _token = create_registration()
    client.post("/signout")
    attempt = _variant_of(code, variant) if real else typed
    pairs = [("code", attempt), *extras]
    response = client.post("/", data=MultiDict(pairs))
    body = assert_answered(response)
    if access_codes.normalise(attempt) == code and not too_large(pairs):
        assert response.status_code == 302
        return
    assert_form_refused(response, body)
    assert client.get("/privacy").status_code == 302  # still signed out


@fuzz_settings(12)
@given(token=hostile_text(80))
@example(token="\x00")
@example(token="x" * 65)
def test_one_time_link(client, create_registration, token):
    _rid, _code, real = create_registration()
    client.post("/signout")
    response = client.get("/l/" + quote(token, safe=""))
    assert_answered(response)
    assert response.status_code in (303, 404, 308)
    assert client.get("/privacy").status_code == 302  # not signed in
    assert client.get(f"/l/{real}").status_code == 302  # the real link still works, once
    assert client.get(f"/l/{real}").status_code == 303


def _header(text: str) -> str:
    """A header value as a server receives it: bytes shown as Latin-1 (line breaks cannot be
    sent in a header at all)."""
    return text.encode("utf-8").decode("latin-1").replace("\r", "").replace("\n", "")


@fuzz_settings(12)
@given(lang=st.one_of(hostile_text(20), st.sampled_from(SUPPORTED_LOCALES)),
       cookie=hostile_text(20), accept=hostile_text(40),
       path=st.sampled_from(["/", "/privacy", "/q/name", "/review", "/offline",
                             "/manifest.webmanifest", "/q/work", "/receipt"]))
@example(lang="fa-AF", cookie="", accept="", path="/q/name")
@example(lang="\x00", cookie="\x00", accept="*;q=NaN, en;q=1e999", path="/")
def test_language_switch(client, create_registration, lang, cookie, accept, path):
    """?lang=, the remembered cookie and Accept-Language: a supported language or the default."""
    _rid, code, _token = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    client.set_cookie("selfreg_lang", _header(cookie)[:4000])  # browsers drop longer cookies
    response = client.get(f"{path}?lang={quote(lang, safe='')}",
                          headers={"Accept-Language": _header(accept)})
    body = assert_answered(response)
    if response.mimetype == "text/html" and response.status_code == 200:
        shown = body.split('<html lang="', 1)[1].split('"', 1)[0]
        assert shown in HTML_LANGS
        if lang in SUPPORTED_LOCALES:
            assert shown == locale_info(lang).html_lang


@fuzz_settings(8)
@given(accept=hostile_text(20), extras=extra_fields())
def test_privacy_and_sign_out(client, create_registration, accept, extras):
    _rid, code, _token = create_registration()
    sign_in(client, code)
    response = client.post("/privacy", data=MultiDict([("accept", accept), *extras]))
    assert_answered(response)
    assert response.status_code in (303, 400, 413)
    response = client.post("/signout", data=MultiDict(extras))
    assert_answered(response)
    assert client.get("/privacy").status_code == 302


def _fits(limit: int, clean):
    return lambda text: len(clean(text) or "") <= limit


@fuzz_settings(3)
@given(name=hostile_text(100).filter(_fits(100, clean_line)),
       skills=hostile_text(300).filter(_fits(1000, clean_multiline)),
       lang=st.one_of(st.sampled_from(SUPPORTED_LOCALES), hostile_text(10)))
@example(name="<b>Amina</b> \u202eHaile", skills="a\n\n\nb\x00c", lang="ar")
def test_own_copy_shows_what_was_kept(client, create_registration, name, skills, lang):
    """Whatever text the forms accepted shows in the receipt and the copy, escaped."""
    _rid, code, _token = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    given_names = clean_line(name) or "Amina"
    answers = {"name": {"given_names": given_names, "family_name": "Haile"},
               "other_skills": {"skills": skills, "volunteering": ""}}
    walk(client, answers=answers)
    assert client.post("/submit").status_code == 303
    for path in ("/receipt", "/copy", "/copy/download"):
        response = client.get(f"{path}?lang={quote(lang, safe='')}")
        body = assert_answered(response)
        assert response.status_code == 200
        if path != "/receipt":
            assert str(escape(given_names)) in body
            kept = clean_multiline(skills)
            if kept:
                assert all(str(escape(line)) in body for line in kept.split("\n") if line)
