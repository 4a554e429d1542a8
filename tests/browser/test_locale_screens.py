"""Key pages at 320 px in scripts that break layouts: Arabic (rtl), Ge'ez, Cyrillic, Georgian.

Screenshots are kept in test-output/screenshots for people to look at; the assertions are that
nothing overflows sideways and that right-to-left pages really are laid out right to left.
"""
from __future__ import annotations

import pytest

from selfreg.i18n import locale_info

pytestmark = pytest.mark.browser
PHONE = {"width": 320, "height": 640}


def no_horizontal_overflow(page) -> None:
    # A form post may still be navigating: measure the page it lands on, once it has loaded.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


@pytest.mark.parametrize("locale", ["ar", "ps", "ti", "uk", "ka", "nb"])
def test_key_pages_fit_a_small_phone(browser, live_server, create_registration, screenshots, locale):
    _rid, code, _ = create_registration()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()

    def snap(name: str) -> None:
        no_horizontal_overflow(page)
        page.screenshot(path=str(screenshots / f"locale-{locale}-{name}.png"), full_page=True)

    page.goto(f"{live_server}/?lang={locale}")
    assert page.get_attribute("html", "dir") == locale_info(locale).direction
    snap("start")
    page.fill("#f-code", code)
    page.click("main form button[type=submit]")
    snap("privacy")
    page.check("#f-accept")
    page.click("main form button[type=submit]")
    page.fill("#f-given_names", "أمينة ትግርኛ Олена")
    page.fill("#f-family_name", "Haile")
    page.click('button[value="continue"]')
    page.click('button[value="continue"]')  # birth left empty: error summary
    snap("error")
    if locale_info(locale).direction == "rtl":
        # The back link sits at the right edge in a right-to-left layout.
        box = page.locator(".back-link").bounding_box()
        assert box["x"] > PHONE["width"] / 2
    page.goto(f"{live_server}/q/mother_tongue/add")
    page.fill("#f-language_text", "tigr")
    page.click('button[value="search:language"]')
    snap("search")
    page.goto(f"{live_server}/review")
    snap("review")
    context.close()
