"""The connection drops mid-questionnaire: answers stay on the phone and arrive once each."""
from __future__ import annotations

import pytest

from ..resident.walk import VALID
from .resident import (
    PHONE,
    fill,
    new_phone,
    path,
    press_and_wait,
    site_storage,
    stored,
    wait_for_service_worker,
    wait_until,
)

pytestmark = pytest.mark.browser

SAVED_ON_PHONE = "saved on this phone"
# No page and no answer of the person left on the phone (empty stores may be made again).
NOTHING_KEPT = """async () => {
    const pages = (await caches.keys()).includes('pages')
        ? (await (await caches.open('pages')).keys()).length : 0;
    return pages === 0 && (await SelfregQueue.all()).length === 0;
}"""


def start(page, base, code):
    page.goto(f"{base}/?lang=en")
    page.fill("#f-code", code)
    page.click("main form button[type=submit]")
    page.check("#f-accept")
    page.click("main form button[type=submit]")
    wait_for_service_worker(page)


def test_answers_given_offline_arrive_once_after_closing_the_page(
    browser, live_server, app, create_registration
):
    registration_id, code, _ = create_registration()
    context, page = new_phone(browser, viewport=PHONE)
    start(page, live_server, code)
    for step in ("name", "birth", "origin"):  # steps 1-3 online
        fill(page, VALID[step])
        press_and_wait(page, 'button[value="continue"]')
    assert path(page, live_server) == "/q/contact"
    # The next pages are kept ahead while there is a connection.
    wait_until(page, """async () => {
        const kept = (await (await caches.open('pages')).keys()).map(r => new URL(r.url).pathname);
        return ['/q/mother_tongue', '/q/mother_tongue/add', '/q/literacy'].every(p => kept.includes(p));
    }""")

    context.set_offline(True)
    fill(page, VALID["contact"])  # step 4
    press_and_wait(page, 'button[value="continue"]')
    assert path(page, live_server) == "/q/mother_tongue"
    page.wait_for_selector(f"#sync-status >> text={SAVED_ON_PHONE}")
    press_and_wait(page, "main a.button")  # step 5: add a first language
    page.fill('[name="language_text"]', "Tigrinya")  # no search offline: own words are kept
    press_and_wait(page, 'button[value="continue"]')
    assert path(page, live_server) == "/q/mother_tongue"
    page.wait_for_selector(".entry-list >> text=Tigrinya")  # listed as not sent yet
    press_and_wait(page, "main form[data-next] button[type=submit]")
    assert path(page, live_server) == "/q/literacy"
    fill(page, VALID["literacy"])  # step 6
    press_and_wait(page, 'button[value="continue"]')
    assert path(page, live_server) == "/q/norwegian"
    assert site_storage(page)["outbox"] == 3
    answers, _revisions, _keys = stored(app, registration_id)
    assert not {"contact", "mother_tongue", "literacy"} & set(answers)

    # Close the page and open it again, still offline: the answers are still on the phone.
    page.close()
    page = context.new_page()
    page.goto(f"{live_server}/q/literacy")
    wait_until(page, "() => document.querySelector('input[name=reads][value=yes]').checked")
    assert page.is_checked('input[name="writes"][value="little"]')  # the answers given offline
    page.wait_for_selector(f"#sync-status >> text={SAVED_ON_PHONE}")

    context.set_offline(False)
    wait_until(page, "async () => (await SelfregQueue.all()).length === 0")
    answers, revisions, keys_used = stored(app, registration_id)
    assert answers["contact"] == {"municipality": "Bergen", "phone": "+47 912 34 567"}
    assert [e["language_text"] for e in answers["mother_tongue"]["entries"]] == ["Tigrinya"]
    assert answers["literacy"] == {"reads": "yes", "writes": "little"}
    assert revisions == {"name": 1, "birth": 1, "origin": 1, "contact": 1, "mother_tongue": 1,
                         "literacy": 1}
    assert keys_used == 6
    # The page shows what the server now has (it reloads once its own answers are sent).
    wait_until(page, "() => document.querySelector('input[name=writes][value=little]').checked")
    context.close()


def test_a_replay_never_stores_twice(browser, live_server, app, create_registration):
    registration_id, code, _ = create_registration()
    context, page = new_phone(browser, viewport=PHONE)
    start(page, live_server, code)
    fill(page, VALID["name"])
    press_and_wait(page, 'button[value="continue"]')
    # The answers reached the server, but the phone did not hear back: it sends them again.
    item = page.evaluate("""async () => {
        const form = document.querySelector('form[data-save]');
        form.elements.birth_date__year.value = '1990';
        form.elements.idempotency_key.value = crypto.randomUUID();
        const fields = [...new FormData(form), ['action', 'continue'], ['owner', document.body.dataset.owner]];
        const item = {key: 'birth', save: form.dataset.save, url: '/q/birth', title: 'x', owner: document.body.dataset.owner, fields, time: Date.now()};
        await fetch(form.dataset.save, {method: 'POST', body: new URLSearchParams(fields)});
        await SelfregQueue.put(item);
        await SelfregQueue.put({...item, key: 'birth-again', time: Date.now() + 1});
        return (await SelfregQueue.replay()).sent.length;
    }""")
    assert item == 2  # both answered as saved ...
    _answers, revisions, keys_used = stored(app, registration_id)
    assert revisions["birth"] == 1 and keys_used == 2  # ... but stored once
    context.close()


def test_leaving_clears_pages_and_answers_on_the_phone(browser, live_server, create_registration):
    _rid, code, _ = create_registration()
    context, page = new_phone(browser, viewport=PHONE)
    start(page, live_server, code)
    wait_until(page, "async () => (await (await caches.open('pages')).keys()).length > 0")
    page.click("form[data-signout] button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    wait_until(page, NOTHING_KEPT)
    assert page.errors == []
    context.close()


def test_leaving_offline_waits_for_the_answers_to_be_sent(
    browser, live_server, app, create_registration
):
    registration_id, code, _ = create_registration()
    context, page = new_phone(browser, viewport=PHONE)
    start(page, live_server, code)
    wait_until(page, """async () => (await (await caches.open('pages')).keys())
        .some(r => r.url.endsWith('/q/birth'))""")
    context.set_offline(True)
    fill(page, VALID["name"])
    press_and_wait(page, 'button[value="continue"]')
    page.click("form[data-signout] button[type=submit]")
    page.locator('form[data-signout] [data-warning="offline"]').wait_for(state="visible")
    assert path(page, live_server) == "/q/birth"  # not signed out, nothing lost
    assert site_storage(page)["outbox"] == 1
    context.set_offline(False)
    # Sent on the 'online' event; generous, since a loaded CI machine has been seen to need >10 s.
    wait_until(page, "async () => (await SelfregQueue.all()).length === 0", timeout=30)
    page.click("form[data-signout] button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    assert "name" in stored(app, registration_id)[0]
    wait_until(page, NOTHING_KEPT)
    context.close()


def test_another_person_signing_in_drops_the_pages_kept_for_the_first(
    browser, live_server, create_registration
):
    _first, first_code, _ = create_registration()
    _second, second_code, _ = create_registration()
    context, page = new_phone(browser, viewport=PHONE)
    start(page, live_server, first_code)
    fill(page, VALID["name"])
    press_and_wait(page, 'button[value="continue"]')
    page.goto(f"{live_server}/q/name")  # kept again, now with the first person's name in it
    kept_with_name = """async () => {
        const c = await caches.open('pages');
        for (const r of await c.keys()) if ((await (await c.match(r)).text()).includes('Amina')) return true;
        return false;
    }"""
    wait_until(page, kept_with_name)
    page.goto(f"{live_server}/?lang=en")  # the next person, without "Stop now" first
    page.fill("#f-code", second_code)
    page.click("main form button[type=submit]")
    page.wait_for_url("**/privacy")
    wait_until(page, f"async () => !(await ({kept_with_name})())")
    context.close()


def test_the_outbox_survives_a_new_service_worker_and_a_browser_restart(
    browser, live_server, app, create_registration, tmp_path
):
    from .conftest import CHROMIUM

    _rid, code, _ = create_registration()
    profile = tmp_path / "profile"
    launch = dict(executable_path=CHROMIUM, viewport=PHONE,
                  args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
    context = browser.browser_type.launch_persistent_context(profile, **launch)
    page = context.new_page()
    start(page, live_server, code)
    page.wait_for_load_state("load")  # the last step of start() may still be navigating
    waiting = {"key": "school", "save": "/q/school/save", "url": "/q/school", "title": "School",
               "owner": page.evaluate("document.body.dataset.owner"), "state": "invalid",
               "fields": [["attended", "yes"]], "time": 1}
    page.evaluate("item => SelfregQueue.put(item)", waiting)
    old_worker = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    old_caches = page.evaluate("caches.keys()")
    # A release: the service worker's script changes, the new one takes over.
    app.extensions["selfreg.sw"] = app.extensions["selfreg.sw"].replace(
        b'"version": "', b'"version": "new-', 1)
    page.evaluate("navigator.serviceWorker.getRegistration().then(r => r.update())")
    old_static = next(name for name in old_caches if name.startswith("static-"))
    wait_until(page, f"""async () => {{
        const names = await caches.keys();
        return names.some(n => n.startsWith('static-new-')) && !names.includes('{old_static}');
    }}""")
    assert old_worker.endswith("/sw.js")
    assert [i["key"] for i in page.evaluate("SelfregQueue.all()")] == ["school"]
    context.close()
    # The browser closed and opened again: the answers are still there.
    context = browser.browser_type.launch_persistent_context(profile, **launch)
    page = context.new_page()
    page.goto(f"{live_server}/q/name")
    assert [i["key"] for i in page.evaluate("SelfregQueue.all()")] == ["school"]
    context.close()
