"""The three staff roles at work in Chromium with JavaScript off, in Norwegian (nb).

A guide, a career counsellor and an administrator each log in (password, then a TOTP code) and
do their everyday work; every page they see is checked at 320 px and 1280 px wide: nothing may
scroll sideways and axe-core (WCAG 2.0/2.1/2.2 A and AA) must find nothing. A screenshot of each
page at 320 px is saved as test-output/screenshots/staff-<name>.png.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass

import pytest
from playwright.sync_api import expect

from selfreg import access_codes, accounts, db, keys, registrations
from selfreg.crypto import totp
from selfreg.models import Centre, Region, Registration, Role, User
from selfreg.storage import CAREER_NOTE, VERIFICATION, PersonalStore

from ..resident.walk import VALID, accept_privacy, sign_in, walk
from .test_accessibility import axe_source, violations  # noqa: F401 (axe_source: a fixture)

pytestmark = pytest.mark.browser

SMALL = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "correct horse battery staple"
DUF = "2023 1234 5678"
NOTE = "Anbefaler godkjenning av sykepleierutdanningen"


@dataclass
class Office:
    """What the tests set up in the database: ids and e-mail addresses."""

    centre_a: int
    centre_b: int
    region_a: int
    guide: str
    counsellor: str
    admin: str
    submitted: str  # a registration in centre A, answered and sent by its resident


def _submitted_registration(app, centre_id: int) -> str:
    """A registration answered in full through the residents' pages, as in
    tests/staff/test_counsellor_profile.py (`submitted_profile`); returns its id."""
    with app.app_context():
        session = db.session()
        centre = session.get(Centre, centre_id)
        item = registrations.create_registrations(session, keys.keyring(), centre, 1)[0]
        session.commit()
        registration_id, code = item.registration.id, item.code
    resident = app.test_client()  # outside the app context: requests get their own
    resident.get("/?lang=ar")
    sign_in(resident, access_codes.format_code(code))
    accept_privacy(resident)
    walk(resident, answers={"origin": {**VALID["origin"], "duf_number": DUF}})
    assert resident.post("/submit").status_code == 303
    return registration_id


@pytest.fixture
def office(app) -> Office:
    with app.app_context():
        session = db.session()
        region_a, region_b = Region(name="Region Vest"), Region(name="Region Nord")
        session.add_all([region_a, region_b])
        session.flush()
        centre_a = Centre(name="Mottak Fjord", municipality="Bergen", region_id=region_a.id)
        centre_b = Centre(name="Mottak Fjell", municipality="Tromsø", region_id=region_b.id)
        session.add_all([centre_a, centre_b])
        session.flush()
        accounts.create_user(session, "veiledning@mottak.no", Role.GUIDE, PASSWORD,
                             centres=[centre_a])
        accounts.create_user(session, "karriere@fylke.no", Role.COUNSELLOR, PASSWORD,
                             region=region_a)
        accounts.create_user(session, "admin@selfreg.no", Role.ADMIN, PASSWORD)
        session.commit()
        ids = centre_a.id, centre_b.id, region_a.id
    return Office(*ids, "veiledning@mottak.no", "karriere@fylke.no", "admin@selfreg.no",
                  _submitted_registration(app, ids[0]))


# What sticks out on the right: the outermost elements wider than the page, for the message.
WIDEST = """width => [...document.querySelectorAll('body *')]
  .filter(el => el.getBoundingClientRect().right > width + 1
                && el.parentElement.getBoundingClientRect().right <= width + 1)
  .slice(0, 3)
  .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : '')
             + ' (' + Math.round(el.getBoundingClientRect().right) + 'px)')
  .join(', ')"""


class Audit:
    """Checks each page at 320 px and 1280 px (overflow and axe) and saves a screenshot.

    The pages are loaded and rendered with JavaScript off. axe-core needs timers and promises,
    which do not run then, so scripts are switched on through devtools for the audit only, once
    the page is shown, and off again before anything else happens: a page's own scripts (the
    staff pages have none) were never run, and <noscript> content stays as it was rendered.
    """

    def __init__(self, page, axe: str, folder) -> None:
        self.page, self.axe, self.folder = page, axe, folder
        self.found: list[str] = []
        self.checked: list[str] = []
        self.devtools = page.context.new_cdp_session(page)
        self._scripts(False)

    def _scripts(self, on: bool) -> None:
        self.devtools.send("Emulation.setScriptExecutionDisabled", {"value": not on})

    def check(self, name: str) -> None:
        page = self.page
        page.wait_for_load_state("domcontentloaded")
        for size in (SMALL, DESKTOP):
            page.set_viewport_size(size)
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if scroll > client + 1:
                self.found.append(f"{name} at {size['width']}px: {scroll}px wide, "
                                  f"{client}px visible (scrolls sideways): "
                                  + page.evaluate(WIDEST, client))
            self._scripts(True)
            try:
                if not page.evaluate("typeof window.axe !== 'undefined'"):
                    page.evaluate(self.axe)  # by devtools, not a script tag: the CSP stays
                self.found += [f"{name} at {size['width']}px: {v}" for v in violations(page)]
            finally:
                self._scripts(False)
        page.set_viewport_size(SMALL)
        page.screenshot(path=str(self.folder / f"staff-{name}.png"), full_page=True)
        self.checked.append(name)

    def assert_clean(self) -> None:
        assert not self.found, f"{len(self.found)} problems:\n" + "\n".join(self.found)


def _user(app, email: str) -> User:
    with app.app_context():
        session = db.session()
        user = session.query(User).filter_by(email=email).one()
        session.expunge(user)
        return user


def _totp_code(app, email: str) -> str:
    """The code the authenticator app would show now (a fresh time step if this one is used)."""
    with app.app_context():
        user = db.session().query(User).filter_by(email=email).one()
        secret = accounts.totp_secret(keys.keyring(), user)
        last = user.totp_last_step
    now = time.time()
    if last >= int(now) // totp.STEP_SECONDS:
        now += totp.STEP_SECONDS
    return totp.code_at(secret, now)


def log_in(page, base: str, app, email: str, audit: Audit | None = None) -> None:
    page.goto(f"{base}/staff/?lang=nb")
    assert page.locator("html").get_attribute("lang") == "nb"
    if audit:
        audit.check("login")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.click("main form button[type=submit]")
    assert page.url.endswith("/staff/totp")
    expect(page.locator(".qr svg")).to_be_visible()  # first login: set up the authenticator
    if audit:
        audit.check("totp-setup")
    page.fill("#code", _totp_code(app, email))
    page.click("main form button[type=submit]")
    assert page.url.endswith("/staff/home"), page.url
    assert page.locator("h1").inner_text() == "Velkommen"


def new_context(browser):
    context = browser.new_context(viewport=SMALL, java_script_enabled=False, locale="nb-NO")
    context.set_default_timeout(10_000)
    return context, context.new_page()


def test_guide_creates_prints_corrects_and_guides(browser, live_server, app, office, axe_source,
                                                  screenshots):
    context, page = new_context(browser)
    audit = Audit(page, axe_source, screenshots)
    log_in(page, live_server, app, office.guide, audit)
    audit.check("guide-home")

    page.goto(f"{live_server}/staff/guide")
    # Not started, in progress, submitted, exported: the one registration was sent in.
    assert page.locator("ul.counts li strong").all_inner_texts() == ["0", "0", "1", "0"]
    assert "Sendt inn: 1" in page.locator("ul.counts").inner_text()
    assert page.locator("table.data-table tbody tr").count() == 1
    audit.check("dashboard")

    page.click("main a.button[href$='/staff/guide/new']")
    audit.check("create")
    page.select_option("#centre", str(office.centre_a))
    page.fill("#count", "2")
    page.click("main form button[type=submit]")
    codes = page.locator("td.code")
    assert codes.count() == 2
    shown = [codes.nth(i).inner_text() for i in range(2)]
    assert all(re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code) for code in shown)
    assert "/staff/guide/new" in page.url and not any(code in page.url for code in shown)
    audit.check("codes")

    page.click("form[action$='/staff/guide/slips'] button[type=submit]")
    slips = page.locator("li.slip")
    assert slips.count() == 2
    expect(page.locator("li.slip .slip-qr svg").first).to_be_visible()
    assert {slips.nth(i).locator(".slip-code").inner_text() for i in range(2)} == set(shown)
    audit.check("slips")

    page.goto(f"{live_server}/staff/guide")
    assert page.locator("ul.counts li strong").all_inner_texts() == ["2", "0", "1", "0"]
    assert page.locator("table.data-table tbody tr").count() == 3
    # A new one (not submitted): its status page, then correct the name.
    with app.app_context():
        new_id = db.session().query(Registration.id).filter(
            Registration.status == "new").order_by(Registration.created_at).first()[0]
    page.click(f"a[href$='/staff/guide/{new_id}']")
    assert page.url.endswith(f"/staff/guide/{new_id}")
    audit.check("status")
    page.click(f"a[href$='/staff/guide/{new_id}/identity/name']")
    audit.check("identity")
    page.fill('[name="given_names"]', "Selam")
    page.fill('[name="family_name"]', "Tesfay")
    page.click("main form button[type=submit]")
    assert page.url.endswith(f"/staff/guide/{new_id}"), page.url
    assert "Selam" in page.locator("#main").inner_text()
    with app.app_context():
        registration = db.session().get(Registration, new_id)
        answers = PersonalStore(db.session(), keys.keyring()).load_all(registration)
    assert answers["name"]["given_names"] == "Selam"
    audit.check("status-corrected")

    # Guided mode: the residents' questionnaire in this browser, with the banner for the guide.
    page.select_option('[name="language"]', "ti")
    page.click(f"form[action$='/staff/guide/{new_id}/guided'] button[type=submit]")
    assert "/privacy" in page.url
    banner = page.locator("main .guided-banner")
    expect(banner).to_be_visible()
    assert banner.get_attribute("lang") == "nb"
    assert page.locator("html").get_attribute("lang") == "ti"
    audit.check("guided-privacy")
    page.check("#f-accept")
    page.click("main form:has(#f-accept) button[type=submit]")
    assert page.url.endswith("/q/birth"), page.url  # the name is answered (corrected) already
    expect(page.locator("main .guided-banner")).to_be_visible()
    audit.check("guided-questionnaire")
    page.goto(f"{live_server}/q/name")
    assert page.locator('[name="given_names"]').input_value() == "Selam"
    expect(page.locator("main .guided-banner")).to_be_visible()
    page.click("main .guided-banner button[type=submit]")
    assert page.url.endswith(f"/staff/guide/{new_id}"), page.url
    page.goto(f"{live_server}/q/name")
    assert page.locator(".guided-banner").count() == 0  # the residents' session is gone

    # Restriction (GDPR art. 18): confirmation, the restricted status page, lifting it again.
    page.goto(f"{live_server}/staff/guide/{new_id}")
    page.click(f"a[href$='/staff/guide/{new_id}/restrict']")
    audit.check("restrict")
    page.click("main form button[type=submit]")
    assert page.url.endswith(f"/staff/guide/{new_id}"), page.url
    expect(page.locator("main .restricted-notice")).to_be_visible()
    assert page.locator(f"form[action$='/staff/guide/{new_id}/guided']").count() == 0
    audit.check("status-restricted")
    page.click(f"a[href$='/staff/guide/{new_id}/restriction/lift']")
    audit.check("lift-restriction")
    page.click("main form button[type=submit]")
    assert page.url.endswith(f"/staff/guide/{new_id}"), page.url
    assert page.locator("main .restricted-notice").count() == 0

    audit.assert_clean()
    context.close()


def test_counsellor_finds_reads_verifies_and_writes_the_note(browser, live_server, app, office,
                                                             axe_source, screenshots):
    context, page = new_context(browser)
    audit = Audit(page, axe_source, screenshots)
    log_in(page, live_server, app, office.counsellor)
    page.goto(f"{live_server}/staff/counsellor?lang=nb")
    audit.check("counsellor-home")
    page.fill("#duf_number", DUF)
    page.click("form[action$='/staff/counsellor/find'] button[type=submit]")
    profile_url = f"/staff/counsellor/profile/{office.submitted}"
    assert page.url.endswith(profile_url), page.url
    text = page.locator("#main").inner_text()
    # Norwegian labels (ISCO 2221, the first language, an answer option), whatever the language.
    assert "Spesialsykepleiere" in text and "tigrinja" in text and "Jeg var ansatt" in text
    assert "202312345678" not in page.url
    audit.check("profile")

    page.check('input[name="v:name"][value="confirmed_in_interview"]')
    page.click("form#verification > .actions button[type=submit]")
    expect(page.locator("p.notice[role=status]")).to_be_visible()
    assert page.locator('input[name="v:name"][value="confirmed_in_interview"]').is_checked()

    page.click(f"a[href$='{profile_url}/note']")
    audit.check("note")
    page.fill("#competence", "Sykepleier i tre år")
    page.check('input[name="needs"][value="recognition"]')
    page.fill("#recommendation", NOTE)
    page.click(f"form[action$='{profile_url}/note'] button[type=submit]")
    assert page.url.split("#")[0].split("?")[0].endswith(profile_url), page.url
    assert NOTE in page.locator("#career-note").inner_text()
    page.click(f"form[action$='{profile_url}/followed-up'] button[type=submit]")
    assert page.url.split("#")[0].split("?")[0].endswith(profile_url)
    audit.check("profile-followed-up")

    page.click(f"a[href$='{profile_url}/summary']")
    expect(page.locator("article.summary h1")).to_be_visible()
    assert "Amina" in page.locator("article.summary").inner_text()
    audit.check("summary")

    with app.app_context():
        registration = db.session().get(Registration, office.submitted)
        store = PersonalStore(db.session(), keys.keyring())
        assert store.load_record(registration, VERIFICATION).values == {
            "name": "confirmed_in_interview"}
        assert store.load_record(registration, CAREER_NOTE).values["recommendation"] == NOTE
        assert registration.followed_up_at is not None

    audit.assert_clean()
    context.close()


def test_admin_adds_a_user_and_reads_the_admin_pages(browser, live_server, app, office,
                                                      axe_source, screenshots):
    context, page = new_context(browser)
    audit = Audit(page, axe_source, screenshots)
    log_in(page, live_server, app, office.admin)
    audit.check("admin-home")

    page.goto(f"{live_server}/staff/admin/users")
    audit.check("admin-users")
    page.goto(f"{live_server}/staff/admin/users/new")
    audit.check("admin-user-new")
    page.fill("#email", "ny.veileder@mottak.no")
    page.check(f'input[name="role"][value="{Role.GUIDE}"]')
    page.check(f'input[name="centres"][value="{office.centre_a}"]')
    page.click("main form button[type=submit]")
    password = page.locator("#temporary-password").inner_text().strip()
    assert len(password) >= 12
    assert password not in page.url
    created = _user(app, "ny.veileder@mottak.no")
    assert created.role == Role.GUIDE and created.must_change_password
    audit.check("admin-temporary-password")

    for name in ("centres", "recipients", "settings", "keys", "audit"):
        page.goto(f"{live_server}/staff/admin/{name}")
        expect(page.locator("h1")).to_be_visible()
        audit.check(f"admin-{name}")
    page.select_option("#action", "user.create")
    page.click("form.filters button[type=submit]")
    assert "action=user.create" in page.url
    rows = page.locator("table.data-table tbody tr")
    assert rows.count() == 1 and "user.create" in rows.first.inner_text()
    audit.check("admin-audit-filtered")

    page.goto(f"{live_server}/staff/statistics")
    assert page.locator("svg.stat-chart").count() >= 1
    audit.check("statistics")

    audit.assert_clean()
    context.close()


def test_the_audit_sees_problems_and_leaves_javascript_off(browser, live_server, axe_source,
                                                           tmp_path):
    """The harness itself: an unlabelled field and a too wide element are reported, and after
    an audit the next page still runs without JavaScript."""
    context, page = new_context(browser)
    audit = Audit(page, axe_source, tmp_path)
    page.goto(f"{live_server}/staff/?lang=nb")
    page.evaluate("""() => {
        document.querySelector('main').append(document.createElement('input'));
        const wide = document.createElement('p');
        wide.className = 'too-wide';
        wide.style.width = '500px';
        wide.textContent = 'x';
        document.querySelector('main').append(wide);
    }""")
    audit.check("broken-login")
    assert any("320px: label " in found for found in audit.found), audit.found
    assert any("scrolls sideways" in found and "p.too-wide" in found
               for found in audit.found), audit.found
    page.route(f"{live_server}/probe", lambda route: route.fulfill(
        content_type="text/html",
        body="<!doctype html><title>off</title><script>document.title = 'on'</script>"))
    page.goto(f"{live_server}/probe")
    assert page.title() == "off"
    context.close()
