"""Language choice: ?lang= on any page, remembered, Accept-Language, Bokmål by default."""
from __future__ import annotations

import re

from .walk import VALID, accept_privacy, sign_in


def html_tag(response) -> str:
    return re.search(r"<html[^>]*>", response.get_data(as_text=True)).group(0)


def test_default_is_bokmal(client):
    assert 'lang="nb"' in html_tag(client.get("/"))


def test_accept_language_is_followed(client):
    assert 'lang="en"' in html_tag(client.get("/", headers={"Accept-Language": "en-GB,en;q=0.8"}))


def test_lang_parameter_switches_and_is_remembered(client):
    assert 'lang="en"' in html_tag(client.get("/?lang=en"))
    assert 'lang="en"' in html_tag(client.get("/"))
    assert 'lang="nb"' in html_tag(client.get("/?lang=nb"))


def test_unknown_lang_parameter_is_ignored(client):
    assert 'lang="nb"' in html_tag(client.get("/?lang=xx-evil<script>"))


def test_switching_language_keeps_answers(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    client.post("/q/name", data=VALID["name"])
    english = client.get("/q/name?lang=en").get_data(as_text=True)
    norwegian = client.get("/q/name?lang=nb").get_data(as_text=True)
    assert "First name" in english and 'value="Amina"' in english
    assert 'value="Amina"' in norwegian and "First name" not in norwegian


def test_every_page_links_to_every_language_in_its_own_script(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert 'href="/?lang=nb"' in page and "norsk bokmål" in page


def test_language_links_keep_the_current_page(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    page = client.get("/q/birth").get_data(as_text=True)
    assert 'href="/q/birth?lang=en"' in page
