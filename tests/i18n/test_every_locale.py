"""Every supported locale: the whole questionnaire, right lang/dir, no untranslated text."""
from __future__ import annotations

import html
import re
from functools import lru_cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from selfreg.i18n import SUPPORTED_LOCALES, catalogue_name, locale_info
from selfreg.questionnaire.catalogue import CATALOGUE

from ..resident.walk import accept_privacy, sign_in, walk

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
RTL = {"ar", "fa", "fa_AF", "ps", "ckb"}


@lru_cache(maxsize=None)
def untranslated_markers(locale: str) -> tuple[str, ...]:
    """English source sentences whose translation differs: seeing one means a missed string."""
    with (TRANSLATIONS / catalogue_name(locale) / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalogue = read_po(handle, locale=locale)
    markers = []
    for message in catalogue:
        if not message.id or isinstance(message.id, tuple):
            continue
        if "%(" in message.id or len(message.id) < 14 or message.string == message.id:
            continue
        markers.append(message.id)
    return tuple(markers)


def check_page(response, locale: str) -> None:
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    info = locale_info(locale)
    tag = re.search(r"<html[^>]*>", page).group(0)
    assert f'lang="{info.html_lang}"' in tag and f'dir="{info.direction}"' in tag
    text = html.unescape(re.sub(r"<[^>]+>", "\n", page))
    if locale != "en":
        missed = [m for m in untranslated_markers(locale) if m in text]
        assert not missed, f"{locale}: untranslated on {response.request.path}: {missed[:3]}"


def test_rtl_locales_are_right_to_left():
    for locale in SUPPORTED_LOCALES:
        assert (locale_info(locale).direction == "rtl") == (locale in RTL), locale


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_whole_questionnaire_in_every_locale(client, create_registration, locale):
    _rid, code, _ = create_registration()
    check_page(client.get(f"/?lang={locale}"), locale)
    sign_in(client, code)
    check_page(client.get("/privacy"), locale)
    accept_privacy(client)
    visited = walk(client)
    for step in visited:
        check_page(client.get(f"/q/{step}"), locale)
        if CATALOGUE.step(step).repeatable:
            check_page(client.get(f"/q/{step}/add"), locale)
    check_page(client.get("/review"), locale)
    errors = client.post("/q/birth", data={"birth_date__year": "20"})
    assert errors.status_code == 400
    text = errors.get_data(as_text=True)
    if locale != "en":
        assert "Write the year with 4 digits" not in text
    client.post("/submit")
    check_page(client.get("/receipt"), locale)
