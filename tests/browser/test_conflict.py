"""One step changed on two devices: the later one sees a conflict and chooses; no silent loss."""
from __future__ import annotations

import pytest

from .resident import (
    PHONE,
    fill,
    new_phone,
    path,
    press_and_wait,
    stored,
    wait_for_service_worker,
    wait_until,
)

pytestmark = pytest.mark.browser


def open_step(browser, base, code, step="name"):
    context, page = new_phone(browser, viewport=PHONE)
    page.goto(f"{base}/?lang=en")
    page.fill("#f-code", code)
    page.click("main form button[type=submit]")
    if "/privacy" in page.url:
        page.check("#f-accept")
        page.click("main form button[type=submit]")
    page.goto(f"{base}/q/{step}")
    return context, page


def test_a_second_device_sees_the_conflict_and_chooses(
    browser, live_server, app, create_registration
):
    registration_id, code, _ = create_registration()
    phone_context, phone = open_step(browser, live_server, code)
    pc_context, pc = open_step(browser, live_server, code)
    fill(pc, {"given_names": "Amina", "family_name": "Haile"})
    press_and_wait(pc, 'button[value="continue"]')
    fill(phone, {"given_names": "Amena", "family_name": "Hayle"})
    phone.click('button[value="continue"]')
    phone.wait_for_selector("text=These answers were changed on another device")
    assert path(phone, live_server) == "/q/name"
    assert phone.input_value('[name="given_names"]') == "Amena"  # what was typed is kept
    assert phone.title().startswith("Error:")
    wait_until(phone, "() => document.activeElement.classList.contains('error-summary')")
    assert stored(app, registration_id)[0]["name"]["given_names"] == "Amina"  # nothing overwritten
    # The choice: look at the saved answers (a link), or press the button to keep these.
    assert phone.get_attribute("text=See the saved answers", "href") == "/q/name"
    press_and_wait(phone, 'button[value="continue"]')
    answers, revisions, _keys = stored(app, registration_id)
    assert answers["name"]["given_names"] == "Amena" and revisions["name"] == 2
    assert phone.errors == [] and pc.errors == []
    phone_context.close()
    pc_context.close()


def test_answers_kept_offline_that_conflict_are_shown_to_choose(
    browser, live_server, app, create_registration
):
    registration_id, code, _ = create_registration()
    phone_context, phone = open_step(browser, live_server, code)
    wait_for_service_worker(phone)
    wait_until(phone, """async () => (await (await caches.open('pages')).keys())
        .some(r => r.url.endsWith('/q/birth'))""")
    phone_context.set_offline(True)
    fill(phone, {"given_names": "Amena", "family_name": "Hayle"})
    press_and_wait(phone, 'button[value="continue"]')  # kept on the phone
    pc_context, pc = open_step(browser, live_server, code)
    fill(pc, {"given_names": "Amina", "family_name": "Haile"})
    press_and_wait(pc, 'button[value="continue"]')  # meanwhile, on the centre's PC
    phone_context.set_offline(False)
    phone.wait_for_selector("#sync-status >> text=must be checked")
    press_and_wait(phone, "#sync-status a")  # the link to the page to check
    assert path(phone, live_server) == "/q/name"
    choice = phone.locator("#queued-choice")
    choice.wait_for(state="visible")
    assert phone.input_value('[name="given_names"]') == "Amina"  # the saved answers first
    phone.click("#queued-choice [data-choice=mine]")
    assert phone.input_value('[name="given_names"]') == "Amena"
    press_and_wait(phone, 'button[value="continue"]')
    answers, revisions, _keys = stored(app, registration_id)
    assert answers["name"]["given_names"] == "Amena" and revisions["name"] == 2
    wait_until(phone, "async () => (await SelfregQueue.all()).length === 0")
    phone_context.close()
    pc_context.close()
