"""Keyboard only (Tab, Space, Enter, arrow keys in radio groups): a short path from code to receipt.

Every focused element must show a visible focus indicator and be on screen (nothing sticky
covers it). JavaScript is on, as on a phone with a keyboard or a switch device.
"""
from __future__ import annotations

import pytest

from .resident import PHONE, new_phone, path, stored

pytestmark = pytest.mark.browser

FOCUS_SHOWN = """() => {
    const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
    const ring = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    const onScreen = box.top >= 0 && box.bottom <= innerHeight && box.left >= 0 && box.right <= innerWidth;
    return ring && onScreen;
}"""


FOCUS_FACTS = """() => {
    const el = document.activeElement, style = getComputedStyle(el), box = el.getBoundingClientRect();
    return `outline ${style.outlineStyle} ${style.outlineWidth}, box ${box.top}-${box.bottom}`
        + ` of ${innerHeight}, ${box.left}-${box.right} of ${innerWidth}`;
}"""


def tab_to(page, selector: str, limit: int = 150) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            assert page.evaluate(FOCUS_SHOWN), f"focus not visible: {selector} on {page.url}: " + (
                page.evaluate(FOCUS_FACTS))
            return
    raise AssertionError(f"Tab never reached {selector} on {page.url}")


def choose(page, name: str, value: str) -> None:
    """Into the radio group with Tab, then Space and arrow keys to the wanted answer."""
    tab_to(page, f'input[type=radio][name="{name}"]')
    page.keyboard.press("Space")
    wanted = f'input[name="{name}"][value="{value}"]'
    for _ in range(20):
        if page.is_checked(wanted):
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"could not reach {value} in {name}")


def type_into(page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.type(text)


def go_on(page, selector: str = 'button[value="continue"]') -> None:
    before = page.url
    tab_to(page, selector)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url != before)


def test_short_path_with_the_keyboard_only(browser, live_server, app, create_registration):
    registration_id, code, _ = create_registration()
    context, page = new_phone(browser, viewport=PHONE)
    page.goto(f"{live_server}/?lang=en")
    type_into(page, "#f-code", code)
    page.keyboard.press("Enter")
    page.wait_for_url("**/privacy")
    tab_to(page, "#f-accept")
    page.keyboard.press("Space")
    go_on(page, "main form button[type=submit]")

    type_into(page, "#f-given_names", "Amina")
    type_into(page, "#f-family_name", "Haile")
    go_on(page)
    type_into(page, "#f-birth_date__year", "1990")
    go_on(page)
    tab_to(page, "#f-country_of_origin")
    page.keyboard.type("Eritrea")  # type-ahead in the closed list
    go_on(page)
    go_on(page)  # phone and municipality are optional
    assert path(page, live_server) == "/q/mother_tongue"
    go_on(page, "main a.button")  # Add
    type_into(page, "#f-language_text", "Tigrinya")
    page.wait_for_selector('.search-live input[value="ti"]')  # search as you type
    choose(page, "language", "ti")
    go_on(page)
    go_on(page, "main form[data-next] button")
    choose(page, "reads", "yes")
    choose(page, "writes", "yes")
    go_on(page)
    for step in ("norwegian", "english"):
        assert path(page, live_server) == f"/q/{step}"
        for question in ("understand", "speak", "read", "write"):
            choose(page, question, "A1")
        go_on(page)
    for name, answer in (("any", "no"), ("attended", "never"), ("any", "no")):
        choose(page, name, answer)  # other languages, school, courses
        go_on(page)
    go_on(page)  # driving licence: optional
    choose(page, "any", "no")  # work
    go_on(page)
    choose(page, "numeracy", "everyday")
    go_on(page)
    go_on(page)  # other skills: optional
    go_on(page)  # work wishes: optional
    choose(page, "need", "no")
    go_on(page)
    assert path(page, live_server) == "/review"
    go_on(page, "main form[action='/submit'] button[type=submit]")
    assert path(page, live_server) == "/receipt"
    answers = stored(app, registration_id)[0]
    assert answers["origin"]["country_of_origin"] == "ER"
    assert answers["mother_tongue"]["entries"][0]["language"] == "ti"
    assert answers["school"] == {"attended": "never"}
    assert page.errors == []
    context.close()
