"""Who is responsible for the data (GDPR art. 13(1)(a)-(b)) and where to complain: on the
privacy page and in the own copy, with the operator's own words (SELFREG_CONTROLLER,
SELFREG_DPO_CONTACT) shown as written and checked at start-up."""
from __future__ import annotations

import html

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import delete

from selfreg import db
from selfreg.config import ConfigError, load_settings
from selfreg.i18n import catalogue_name
from selfreg.models import ExportRecipient

from .test_own_copy import submitted
from .walk import sign_in

CONTROLLER = "Vestland fylkeskommune, Postboks 7900, 5020 Bergen, tlf. 55 63 90 00"
DPO = "personvernombud@vlfk.no"
COMPLAINT = ("If you think we use your information in a wrong way, you can complain to "
             "Datatilsynet, the Norwegian Data Protection Authority.")
RESPONSIBLE = "This office is responsible for your information:"
ASK = ("Ask the staff at your centre which office is responsible for your information and how "
       "to contact it.")
COUNTED_FROM = "The months count from the last time your answers were changed."
BASIS = ("The law on integration gives the county and IMDi the task of helping refugees into "
         "education and work. Your answers are used for that public task.")
SENT_TO = ("Your answers are sent to the municipality where you will live, or to NAV there, and "
           "to the career centre.")


def said(app, locale: str, text: str) -> str:
    with app.test_request_context(), force_locale(catalogue_name(locale)):
        return gettext(text)


def privacy_page(client, create_registration, locale: str) -> str:
    _rid, code, _ = create_registration()
    client.get(f"/?lang={locale}")
    sign_in(client, code)
    response = client.get("/privacy")
    assert response.status_code == 200
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("locale", ["en", "ar", "ti"])
def test_privacy_page_names_who_is_responsible(make_app, create_registration, locale):
    app = make_app(SELFREG_CONTROLLER=CONTROLLER, SELFREG_DPO_CONTACT=DPO)
    page = privacy_page(app.test_client(), create_registration, locale)
    for text in (RESPONSIBLE, COMPLAINT, COUNTED_FROM, BASIS, SENT_TO, "Data protection officer:"):
        assert said(app, locale, text) in page, text
    assert said(app, locale, ASK) not in page
    # The operator's words as written, in Norwegian and kept apart from a right-to-left page.
    assert f'<p class="contact" lang="nb" dir="auto">{CONTROLLER}</p>' in page
    assert f'<bdi lang="nb">{DPO}</bdi>' in page
    if locale != "en":
        assert said(app, locale, COMPLAINT) != COMPLAINT  # translated, not the source


def test_without_a_controller_the_page_says_whom_to_ask(app, client, create_registration):
    page = privacy_page(client, create_registration, "en")
    assert ASK in page and RESPONSIBLE not in page and "Data protection officer" not in page
    assert COMPLAINT in page


def test_operator_text_is_escaped(make_app, create_registration):
    app = make_app(SELFREG_CONTROLLER="Fylket <script>alert(1)</script> & co")
    _rid, code, _ = create_registration()
    client = app.test_client()
    sign_in(client, code)
    raw = client.get("/privacy", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "<script>alert(1)" not in raw
    assert "Fylket &lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in raw


@pytest.mark.parametrize("locale", ["nb", "ar"])
def test_own_copy_names_who_is_responsible(make_app, create_registration, locale):
    app = make_app(SELFREG_CONTROLLER=CONTROLLER, SELFREG_DPO_CONTACT=DPO)
    client = app.test_client()
    submitted(client, create_registration, locale)
    page = html.unescape(client.get("/copy/download").get_data(as_text=True))
    for text in (RESPONSIBLE, COMPLAINT, "Who is responsible"):
        assert said(app, locale, text) in page
        assert said(app, "nb", text) in page  # beside Bokmål as the rest of the record
    # The operator's words once each, as written.
    assert page.count(CONTROLLER) == 1 and page.count(DPO) == 1
    assert f'<p lang="nb" dir="auto">{CONTROLLER}</p>' in page


def test_own_copy_without_a_controller_says_whom_to_ask(app, client, create_registration):
    submitted(client, create_registration, "nb")
    page = html.unescape(client.get("/copy").get_data(as_text=True))
    assert said(app, "nb", ASK) in page
    assert said(app, "nb", RESPONSIBLE) not in page


def _settings(tmp_path, **values):
    return load_settings({"SELFREG_INSTANCE": str(tmp_path), "SELFREG_SECRET_KEY": "k" * 40,
                          **values})


def test_notice_settings_are_plain_short_text(tmp_path):
    settings = _settings(tmp_path, SELFREG_CONTROLLER=f"  {CONTROLLER}\n",
                         SELFREG_DPO_CONTACT=DPO)
    assert settings.controller == CONTROLLER and settings.dpo_contact == DPO
    assert settings.flask_config()["SELFREG_CONTROLLER"] == CONTROLLER
    assert _settings(tmp_path).controller == ""
    for name in ("SELFREG_CONTROLLER", "SELFREG_DPO_CONTACT"):
        for bad in ("Fylket\u202e kommune", "Fylket\x07", "x" * 301):
            with pytest.raises(ConfigError, match=name):
                _settings(tmp_path, **{name: bad})


def test_own_copy_names_the_recipients_it_was_sent_to(app, client, create_registration):
    """GDPR art. 15(1)(c): the person can see to whom their case file has gone."""
    from tests.staff.test_disclosures import _pull, _recipient

    sent_to = said(app, "ar", "Your answers have been sent to:")
    submitted(client, create_registration, "ar")
    before = html.unescape(client.get("/copy").get_data(as_text=True))
    assert sent_to not in before  # not sent anywhere yet
    _pull(app, _recipient(app, "NAV Bergen"))
    page = html.unescape(client.get("/copy").get_data(as_text=True))
    assert sent_to in page and said(app, "nb", "Your answers have been sent to:") in page
    assert sent_to != "Your answers have been sent to:"  # translated
    assert page.count('<p lang="nb" dir="auto">NAV Bergen</p>') == 1
    with app.app_context():  # a recipient removed since is still counted, without a name
        db.session().execute(delete(ExportRecipient))
        db.session().commit()
    page = html.unescape(client.get("/copy").get_data(as_text=True))
    assert "NAV Bergen" not in page
    assert said(app, "ar", "an office that no longer receives answers from here") in page
