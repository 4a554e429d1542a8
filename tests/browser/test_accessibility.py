"""WCAG 2.2 AA as far as axe-core can tell: every resident page, three locales, phone and desktop.

axe-core is not vendored: `.ci/run` installs it with npm into `.cache-npm/` (git-ignored). Point
``SELFREG_AXE`` at another ``axe.min.js`` to use that one. Pages run with JavaScript on and the
site's real CSP (axe is injected by the browser's devtools, not by a script tag).
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from selfreg.i18n import SUPPORTED_LOCALES
from selfreg.questionnaire import flow
from selfreg.questionnaire.catalogue import CATALOGUE

from ..resident.walk import sign_in
from .resident import DESKTOP, SMALL_PHONE, fill, new_phone, prepared, stored

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Arabic (right to left) and Tigrinya (Ge'ez script) once the lead adds them; Bokmål always.
LOCALES = [code for code in ("nb", "ar", "ti") if code in SUPPORTED_LOCALES]


@pytest.fixture(scope="session")
def axe_source() -> str:
    candidates = [os.environ.get("SELFREG_AXE"),
                  ROOT / ".cache-npm" / "node_modules" / "axe-core" / "axe.min.js",
                  ROOT / "node_modules" / "axe-core" / "axe.min.js"]
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(encoding="utf-8")
    if os.environ.get("CI"):
        pytest.fail("CI must install axe-core (see .ci/run)")
    pytest.skip("axe-core not installed: npm install --no-save --prefix .cache-npm axe-core@4")


def violations(page) -> list[str]:
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],"
        " preload: false})",
        TAGS,
    )
    return [
        f"{item['id']} ({item['impact']}): {item['help']} at "
        + ", ".join(" ".join(node["target"]) for node in item["nodes"][:3])
        for item in result["violations"]
    ]


class Audit:
    """Runs axe on the current page at phone and desktop width and collects what it finds."""

    def __init__(self, page, base: str) -> None:
        self.page, self.base, self.found, self.pages = page, base, [], 0

    def check(self, label: str) -> None:
        # 320 CSS px is also a 1280 px screen zoomed to 400 %: nothing may scroll sideways.
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > SMALL_PHONE["width"]:
            self.found.append(f"{label} at 320px: {width}px wide (scrolls sideways)")
        for size in (SMALL_PHONE, DESKTOP):
            self.page.set_viewport_size(size)
            self.found += [f"{label} at {size['width']}px: {v}" for v in violations(self.page)]
        self.page.set_viewport_size(SMALL_PHONE)
        self.pages += 1

    def visit(self, url: str, label: str | None = None) -> None:
        self.page.goto(self.base + url, wait_until="domcontentloaded")
        self.check(label or url)


def step_urls(answers) -> list[str]:
    urls = []
    for step in flow.applicable_steps(CATALOGUE, answers):
        urls.append(f"/q/{step.key}")
        if step.repeatable:
            urls.append(f"/q/{step.key}/add")
    first_work = answers["work"]["entries"][0]["id"]
    return urls + [f"/q/work/{first_work}", f"/q/work/{first_work}/remove"]


@pytest.mark.parametrize("locale", LOCALES)
def test_every_resident_page_passes_axe(browser, live_server, app, create_registration,
                                        axe_source, locale):
    registration_id, code, token = prepared(app, create_registration)
    # No service worker: it would keep pages ahead, which only slows the audit down.
    context, page = new_phone(browser, viewport=SMALL_PHONE, service_workers="block")
    context.add_init_script(script=axe_source)
    audit = Audit(page, live_server)

    # Signed out: the start page, also with a wrong code.
    audit.visit(f"/?lang={locale}")
    page.fill("#f-code", "ABCD-EFGH-JKMX")
    page.click("main form button[type=submit]")
    audit.check("/ (wrong code)")

    page.goto(f"{live_server}/l/{token}")
    audit.visit("/privacy")
    answers = stored(app, registration_id)[0]
    for url in step_urls(answers):
        audit.visit(url)

    # Search results (the Search button), an error, and a conflict.
    page.goto(f"{live_server}/q/work/add")
    page.fill('[name="occupation_text"]', "nurse")
    page.click('button[value="search:occupation"]')
    page.wait_for_selector('fieldset.search-results input[value="2221"]')
    audit.check("/q/work/add (search results)")
    page.goto(f"{live_server}/q/birth")
    fill(page, {"birth_date__year": "20"})
    page.click('button[value="continue"]')
    page.wait_for_selector(".error-summary")
    audit.check("/q/birth (error)")
    page.goto(f"{live_server}/q/name")
    other_device = app.test_client()
    sign_in(other_device, code)
    other_device.post("/q/name", data={"given_names": "Other", "family_name": "Device"})
    page.click('button[value="continue"]')
    page.wait_for_selector("#conflict-title")
    audit.check("/q/name (conflict)")

    audit.visit("/offline")
    audit.visit("/review")
    page.click("main form[action='/submit'] button[type=submit]")
    page.wait_for_url("**/receipt")
    audit.check("/receipt")

    assert audit.pages >= 34
    assert not audit.found, f"{locale}: {len(audit.found)} problems:\n" + "\n".join(audit.found)
    assert page.errors == []
    context.close()



def test_the_audit_would_see_a_problem(browser, live_server, axe_source):
    """The harness itself: an unlabelled field added to a page must be reported."""
    context, page = new_phone(browser, viewport=SMALL_PHONE, service_workers="block")
    context.add_init_script(script=axe_source)
    page.goto(f"{live_server}/offline")
    assert violations(page) == []
    page.evaluate("() => document.querySelector('main').append(document.createElement('input'))")
    assert any(found.startswith("label ") for found in violations(page))
    context.close()
