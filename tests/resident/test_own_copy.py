"""My copy: after sending, the answers in the person's language beside Bokmål, and the record
of what they agreed to, as a page and as a self-contained download, for as long as they exist."""
from __future__ import annotations

import base64
import hashlib
import html
import re
from datetime import timedelta

import pytest
from babel.dates import format_date
from flask_babel import force_locale, gettext

from selfreg import access_codes, db, keys, registrations, retention
from selfreg.codes import countries
from selfreg.i18n import SUPPORTED_LOCALES, catalogue_name, locale_info
from selfreg.models import Registration
from selfreg.questionnaire.catalogue import CATALOGUE

from ..i18n.test_every_locale import check_page
from .walk import accept_privacy, path_of, sign_in, walk

# Free text in the script of each language, as a person would write it.
OWN_WORDS = {
    "nb": "Jeg har laget mat til mange mennesker",
    "ar": "طبخت لعدد كبير من الناس",
    "ti": "ንብዙሓት ሰባት መግቢ ሰሪሐ",
}
ASYLUM = ("UDI and the police do not get your answers. What you write here does not help or "
          "harm your asylum case.")
WHO_SEES = ("The staff at your centre, a career counsellor, and the municipality you will live "
            "in. They see it only when they need it for their work.")
SENT_TO = ("Your answers are sent to the municipality where you will live, or to NAV there, and "
           "to the career centre.")
CORRECT = ("Do you want to correct or delete your answers? Ask the staff at your centre or the "
           "career counsellor. They can correct and delete them.")
FILENAME = re.compile(r'^attachment; filename="my-competence-\d{4}-\d{2}-\d{2}\.html"$')


def submitted(client, create_registration, locale: str, words: str | None = None):
    """A registration answered and sent in ``locale``; returns (registration id, code)."""
    registration_id, code, _token = create_registration()
    client.get(f"/?lang={locale}")
    sign_in(client, access_codes.format_code(code))
    accept_privacy(client)
    walk(client, answers={"other_skills": {"skills": words or OWN_WORDS.get(locale, "Cooking"),
                                           "volunteering": ""}})
    assert path_of(client.post("/submit")) == "/receipt"
    return registration_id, code


def texts(app, locale: str, registration_id: str) -> dict[str, str]:
    """What the copy must say in ``locale``, from the catalogues and the code lists."""
    with app.test_request_context():
        registration = db.session().get(Registration, registration_id)
        last = max(registration.updated_at, registration.submitted_at)
        days = retention.effective_retention_days(db.session(), app.config)
        due = format_date((last + timedelta(days=days)).date(), "long",
                          locale=catalogue_name(locale))
        origin = CATALOGUE.step("origin").question("country_of_origin")
        with force_locale(catalogue_name(locale)):
            return {
                "question": str(origin.label),
                "country": countries.label("ER", locale),
                "asylum": gettext(ASYLUM),
                "who": gettext(WHO_SEES),
                "sent_to": gettext(SENT_TO),
                "correct": gettext(CORRECT),
                "deleted": gettext("We delete your answers on %(date)s.", date=due),
            }


def readable(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def assert_holds_the_copy(app, page: str, locale: str, registration_id: str) -> None:
    own = texts(app, locale, registration_id)
    for key, text in own.items():
        assert text in page, (locale, key, text)
    words = OWN_WORDS[locale]
    info = locale_info(locale)
    # The person's own words once, as written, marked with the language they answered in.
    assert page.count(words) == 1
    assert f'<dd class="words" lang="{info.html_lang}" dir="{info.direction}">{words}</dd>' in page
    if locale == "nb":
        assert 'class="nb"' not in page and "copy-answers two" not in page  # shown once
        return
    bokmal = texts(app, "nb", registration_id)
    for key, text in bokmal.items():
        assert text in page, ("nb", key, text)
        if key not in ("country",):
            assert own[key] != text, key  # really two languages
    assert f'<dt class="nb" lang="nb" dir="ltr">{bokmal["question"]}</dt>' in page
    assert f'<dd class="nb" lang="nb" dir="ltr">{bokmal["country"]}</dd>' in page
    assert f'<span class="nb" lang="nb" dir="ltr">{bokmal["asylum"]}</span>' in page


@pytest.mark.parametrize("locale", ["nb", "ar", "ti"])
def test_copy_page_in_the_persons_language_and_bokmal(app, client, create_registration, locale):
    registration_id, _code = submitted(client, create_registration, locale)
    response = client.get("/copy")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = readable(response)
    info = locale_info(locale)
    assert re.search(rf'<html lang="{info.html_lang}" dir="{info.direction}">', page)
    assert_holds_the_copy(app, page, locale, registration_id)
    assert 'href="/copy/download"' in page


@pytest.mark.parametrize("locale", ["nb", "ar", "ti"])
def test_download_is_a_self_contained_attachment(app, client, create_registration, locale):
    registration_id, _code = submitted(client, create_registration, locale)
    response = client.get("/copy/download")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert FILENAME.match(response.headers["Content-Disposition"])
    assert response.headers["Cache-Control"] == "no-store"
    raw = response.get_data(as_text=True)
    assert raw.startswith("<!doctype html>")
    info = locale_info(locale)
    assert f'<html lang="{info.html_lang}" dir="{info.direction}">' in raw
    # Everything inside: the stylesheet inline; no scripts, links, pictures or fonts from outside.
    styles = re.findall(r"<style>(.*?)</style>", raw, re.DOTALL)
    assert len(styles) == 1 and ".copy-answers" in styles[0]
    for outside in ("<script", "<link", "src=", "href=", "url(", "@import", "http:", "https:"):
        assert outside not in raw.lower(), outside
    # Shown by mistake instead of saved, it could still use only its own stylesheet.
    digest = base64.b64encode(hashlib.sha256(styles[0].encode("utf-8")).digest()).decode()
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and f"style-src 'sha256-{digest}'" in csp
    assert_holds_the_copy(app, html.unescape(raw), locale, registration_id)


def test_the_file_name_tells_nothing_about_the_person(app, client, create_registration):
    registration_id, code = submitted(client, create_registration, "nb")
    disposition = client.get("/copy/download").headers["Content-Disposition"]
    for personal in ("Amina", "Haile", code, registration_id):
        assert personal not in disposition


def test_receipt_leads_to_the_copy(client, create_registration):
    submitted(client, create_registration, "ar")
    receipt = client.get("/receipt")
    assert 'href="/copy"' in receipt.get_data(as_text=True)


def test_no_copy_before_sending(client, create_registration):
    _rid, code, _token = create_registration()
    for url in ("/copy", "/copy/download"):
        assert path_of(client.get(url)) == "/"  # not signed in
    sign_in(client, access_codes.format_code(code))
    accept_privacy(client)
    walk(client, stop_before="school")
    for url in ("/copy", "/copy/download"):
        response = client.get(url)
        assert response.status_code == 302 and path_of(response) == "/review", url
        assert response.headers["Cache-Control"] == "no-store"


def test_copy_again_later_with_the_code(app, client, create_registration):
    _rid, code = submitted(client, create_registration, "ti")
    later = app.test_client()  # another day, another phone
    later.get("/?lang=ti")
    assert path_of(sign_in(later, access_codes.format_code(code))) == "/continue"
    assert path_of(later.get("/continue")) == "/receipt"
    assert 'href="/copy"' in later.get("/receipt").get_data(as_text=True)
    assert OWN_WORDS["ti"] in readable(later.get("/copy"))
    assert later.get("/copy/download").status_code == 200


def test_deletion_date_follows_the_retention_in_force(app, client, create_registration):
    registration_id, _code = submitted(client, create_registration, "nb")
    with app.app_context():
        retention.set_override(db.session(), 90)
        db.session().commit()
    page = readable(client.get("/copy"))
    expected = texts(app, "nb", registration_id)["deleted"]
    assert expected in page
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        due = (registration.submitted_at + timedelta(days=90)).date()
    assert format_date(due, "long", locale="nb") in expected


def test_erased_means_no_copy_and_no_code(app, client, create_registration):
    registration_id, code = submitted(client, create_registration, "ar")
    assert client.get("/copy").status_code == 200
    with app.app_context():
        session = db.session()
        registrations.erase(session, keys.keyring(), session.get(Registration, registration_id))
        session.commit()
    for url in ("/copy", "/copy/download"):
        assert path_of(client.get(url)) == "/", url  # the session no longer leads anywhere
    again = client.post("/", data={"code": access_codes.format_code(code)})
    assert again.status_code == 400
    assert path_of(client.get("/copy")) == "/"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_copy_in_every_locale(client, create_registration, locale):
    """Every language: right lang/dir, every text translated, page and file alike."""
    submitted(client, create_registration, locale, words="Amina")
    check_page(client.get("/copy"), locale)
    check_page(client.get("/copy/download"), locale)
