"""The whole questionnaire in Chromium with JavaScript off, on a 320 px wide phone screen."""
from __future__ import annotations

import pytest

from ..resident.walk import ENTRIES, VALID

pytestmark = pytest.mark.browser

PHONE = {"width": 320, "height": 640}


def no_horizontal_overflow(page) -> None:
    # A form post may still be navigating: measure the page it lands on, once it has loaded.
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def fill_step(page, data: dict) -> None:
    for name, value in data.items():
        if isinstance(value, list):
            for item in value:
                page.check(f'input[name="{name}"][value="{item}"]')
            continue
        radio = page.locator(f'input[type=radio][name="{name}"][value="{value}"]')
        if radio.count():
            radio.check()
            continue
        select = page.locator(f'select[name="{name}"]')
        if select.count():
            select.select_option(value)
            continue
        if page.locator(f'input[type=hidden][name="{name}"]').count():
            continue
        page.fill(f'[name="{name}"]', value)


def search_and_choose(page, text_name: str, text: str, code_name: str, code: str) -> None:
    page.fill(f'[name="{text_name}"]', text)
    page.click(f'button[value="search:{code_name}"]')
    page.check(f'input[name="{code_name}"][value="{code}"]')


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_complete_questionnaire_without_javascript_at_320px(browser, live_server, create_registration, screenshots, locale):
    _rid, code, _ = create_registration()
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/?lang={locale}")
    no_horizontal_overflow(page)
    page.fill("#f-code", code)
    page.click("main form button[type=submit]")
    page.check("#f-accept")
    page.click("main form button[type=submit]")
    seen = []
    for _ in range(40):
        path = page.url.split(live_server)[1].split("?")[0]
        if path == "/review":
            break
        step = path.split("/")[2]
        seen.append(step)
        no_horizontal_overflow(page)
        page.screenshot(path=str(screenshots / f"{locale}-{step}.png"), full_page=True)
        if step in ENTRIES:
            for entry in ENTRIES[step]:
                page.click("main a.button")  # Add
                for name, value in entry.items():
                    if name.endswith("_text"):
                        key = name[: -len("_text")]
                        search_and_choose(page, name, value, key, entry[key])
                fill_step(page, {k: v for k, v in entry.items()
                                 if not k.endswith("_text") and f"{k}_text" not in entry})
                no_horizontal_overflow(page)
                page.click('button[value="continue"]')
            page.click("main form button[type=submit]")  # Continue from the list
        else:
            data = VALID[step]
            if step == "wishes_work":
                search_and_choose(page, "work_text", "nurse", "work", "2221")
                data = {"work_more": ""}
            fill_step(page, data)
            page.click('button[value="continue"]')
    assert page.url.endswith("/review"), page.url
    assert seen[:4] == ["name", "birth", "origin", "contact"]
    no_horizontal_overflow(page)
    page.screenshot(path=str(screenshots / f"{locale}-review.png"), full_page=True)
    page.click("main form[action='/submit'] button[type=submit]")
    assert page.url.endswith("/receipt")
    no_horizontal_overflow(page)
    page.screenshot(path=str(screenshots / f"{locale}-receipt.png"), full_page=True)
    assert "Amina" in page.content()
    context.close()
