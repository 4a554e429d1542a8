"""Helpers for driving the resident pages in Chromium with JavaScript on (an Android-size phone)."""
from __future__ import annotations

import time
from typing import Any

try:
    from playwright.sync_api import Error as PlaywrightError
except ImportError:  # the browser tests skip themselves (tests/browser/conftest.py)
    PlaywrightError = Exception

from selfreg import db, keys
from selfreg.models import IdempotencyKey, Registration
from selfreg.storage import PersonalStore

from ..resident.walk import ENTRIES, VALID, accept_privacy, sign_in, walk

SMALL_PHONE = {"width": 320, "height": 640}
PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
ANDROID = ("Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/124.0 Mobile Safari/537.36")

# Answers that open every step (other languages and courses too), for visiting them all.
EVERY_STEP = {"other_languages_any": {"any": "yes"}, "training_any": {"any": "yes"}}
EVERY_ENTRY = {
    "other_languages": [{"language": "ar", "language_text": "Arabic", "understand": "B1",
                         "speak": "B1", "read": "A2", "write": "A2"}],
    "training": [{"kind": "course", "name": "First aid", "country": "ER", "year": "2015",
                  "months": "1", "documents": "with_me"}],
}


def new_phone(browser, *, viewport=PHONE, locale: str | None = None, **options):
    context = browser.new_context(viewport=viewport, user_agent=ANDROID, is_mobile=True,
                                  has_touch=True, **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # checked by tests: JavaScript must not fail
    return context, page


def path(page, base: str) -> str:
    return page.url.split(base, 1)[1].split("?")[0]


def wait_until(page, script: str, timeout: float = 10.0) -> None:
    """Poll a page function (it may be async) until it returns something true.

    ``page.wait_for_function`` takes the promise of an async function as true at once, and
    polls a string by ``eval`` inside the page, which the site's CSP forbids; this polls with
    ``page.evaluate`` (through devtools) and waits out a page that is reloading.
    """
    deadline = time.monotonic() + timeout
    while True:
        try:
            if page.evaluate(script):
                return
        except PlaywrightError as error:
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout}s: {script}")
        page.wait_for_timeout(100)


def wait_for_service_worker(page) -> None:
    wait_until(page, "() => navigator.serviceWorker.controller !== null")


def sign_in_by_link(page, base: str, token: str, locale: str = "en") -> None:
    page.goto(f"{base}/l/{token}?lang={locale}")


def prepared(app, create_registration, *, every_step: bool = True, until: str | None = None):
    """A registration answered through the test client; returns (id, code, link token)."""
    registration_id, code, token = create_registration()
    client = app.test_client()
    sign_in(client, code)
    accept_privacy(client)
    if every_step:
        walk(client, answers=EVERY_STEP, entries=EVERY_ENTRY, stop_before=until)
    return registration_id, code, token


def fill(page, data: dict[str, Any]) -> None:
    """Answer a page with JavaScript on; search questions use search as you type."""
    for name, value in data.items():
        if name.endswith("_text") and name[: -len("_text")] in data:
            code_name = name[: -len("_text")]
            page.fill(f'[name="{name}"]', value)
            if data[code_name]:
                page.check(f'.search-live input[name="{code_name}"][value="{data[code_name]}"]')
            continue
        if f"{name}_text" in data:
            continue
        if isinstance(value, list):
            for item in value:
                page.check(f'input[name="{name}"][value="{item}"]')
            continue
        radio = page.locator(f'input[type=radio][name="{name}"][value="{value}"]')
        if radio.count():
            radio.check()
        elif page.locator(f'select[name="{name}"]').count():
            page.select_option(f'select[name="{name}"]', value)
        else:
            page.fill(f'[name="{name}"]', value)


def press_and_wait(page, selector: str) -> None:
    before = page.url
    page.click(selector)
    page.wait_for_url(lambda url: url != before)


def answer_everything(page, base: str, answers=None, entries=None) -> list[str]:
    """From the current step page to the review page; returns the steps seen."""
    answers = {**VALID, **(answers or {})}
    entries = {**ENTRIES, **(entries or {})}
    seen = []
    for _ in range(40):
        where = path(page, base)
        if where == "/review":
            return seen
        step = where.split("/")[2]
        seen.append(step)
        if step in entries:
            for entry in entries[step]:
                press_and_wait(page, "main a.button")  # Add
                fill(page, entry)
                press_and_wait(page, 'button[value="continue"]')
            press_and_wait(page, "main form[data-next] button[type=submit]")
        else:
            fill(page, answers[step])
            press_and_wait(page, 'button[value="continue"]')
    raise AssertionError(f"did not reach the review page: {seen}")


def stored(app, registration_id: str) -> tuple[dict, dict, int]:
    """(answers, revisions, number of idempotency keys) straight from the store."""
    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        registration = session.get(Registration, registration_id)
        count = session.query(IdempotencyKey).filter_by(registration_id=registration_id).count()
        return store.load_all(registration), store.revisions(registration), count


def site_storage(page) -> dict[str, Any]:
    """What the site keeps in the browser: cache names, kept pages, outbox items."""
    return page.evaluate("""async () => {
        const names = await caches.keys();
        const pages = names.includes('pages') ? (await (await caches.open('pages')).keys()).length : 0;
        const dbs = (await indexedDB.databases()).map(d => d.name);
        const outbox = dbs.includes('selfreg') && self.SelfregQueue ? (await SelfregQueue.all()).length : 0;
        return {caches: names, pages, databases: dbs, outbox};
    }""")
