"""The whole questionnaire with JavaScript on, as on an Android phone (360 x 800)."""
from __future__ import annotations

import pytest

from .resident import (
    PHONE,
    answer_everything,
    new_phone,
    path,
    site_storage,
    stored,
    wait_for_service_worker,
    wait_until,
)

pytestmark = pytest.mark.browser


def test_complete_questionnaire_with_javascript(browser, live_server, app, create_registration):
    registration_id, code, _ = create_registration()
    context, page = new_phone(browser, viewport=PHONE)
    page.goto(f"{live_server}/?lang=en")
    page.fill("#f-code", code)
    page.click("main form button[type=submit]")
    page.check("#f-accept")
    page.click("main form button[type=submit]")
    assert path(page, live_server) == "/q/name"
    wait_for_service_worker(page)
    # The next pages are kept ahead for offline use.
    wait_until(page, """async () => (await (await caches.open('pages')).keys())
        .some(r => r.url.endsWith('/q/birth'))""")
    seen = answer_everything(page, live_server)
    assert seen[:4] == ["name", "birth", "origin", "contact"]
    assert {"mother_tongue", "higher", "work", "wishes_work"} <= set(seen)
    answers, revisions, keys_used = stored(app, registration_id)
    assert answers["work"]["entries"][0]["occupation"] == "2221"  # chosen from search as you type
    assert answers["mother_tongue"]["entries"][0]["language"] == "ti"
    assert set(revisions.values()) == {1}  # every step saved exactly once
    assert keys_used == len(revisions)  # one idempotency key per save, one save per step

    # Saved steps' copies are dropped as out of date; the site's files stay for offline use...
    assert any(name.startswith("static-") for name in site_storage(page)["caches"])
    assert "My competence" in page.title()
    page.click("main form[action='/submit'] button[type=submit]")
    page.wait_for_url("**/receipt")
    assert "Amina" in page.content()
    # ... and nothing of the person is left on the phone once the answers are sent.
    wait_until(page, """async () => !(await caches.keys()).includes('pages')
        && !(await indexedDB.databases()).some(d => d.name === 'selfreg')""")
    assert page.errors == []
    context.close()


def test_leaving_a_page_with_unsaved_answers_asks_first(browser, live_server, create_registration):
    _rid, code, _ = create_registration()
    context, page = new_phone(browser, viewport=PHONE)
    page.goto(f"{live_server}/?lang=en")
    page.fill("#f-code", code)
    page.click("main form button[type=submit]")
    page.check("#f-accept")
    page.click("main form button[type=submit]")
    waiter = context.new_page()  # keeps Playwright's events flowing while pages close
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.close(run_before_unload=True)  # nothing typed: no question
    waiter.wait_for_timeout(500)
    assert asked == []
    page = context.new_page()
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    page.goto(f"{live_server}/q/name")
    page.type('[name="given_names"]', "Ami")
    page.close(run_before_unload=True)
    waiter.wait_for_timeout(500)
    assert asked == ["beforeunload"]
    context.close()
