"""Residents for ``bench.load``: registrations with answers, signed in, ready to be replayed.

Each resident has answered every step (``crypto_bench.FULL_REGISTRATION``: all branches open,
so every page loads and decrypts the most answers a person has: the heavy end of a walk), has
accepted the privacy notice, and is signed in through the real start page with the test
client. What the load generator needs is kept per resident: the session cookie, a CSRF token
that belongs to that session, the owner tag the pages carry, and each step's revision.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Flask

from .crypto_bench import FULL_REGISTRATION
from .page_weight import ANSWERS

CENTRE = "Lastmottak"
COOKIE = "selfreg_resident"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_OWNER = re.compile(r'data-owner="([0-9a-f]+)"')


@dataclass
class Resident:
    cookie: str  # the Cookie header value
    csrf_token: str
    owner: str
    revisions: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Walk:
    """What the residents do: the pages of a whole walk, and the steps a save goes to."""

    pages: tuple[str, ...]  # every step page that applies, in questionnaire order
    saves: dict[str, str]  # plain step -> its form fields, urlencoded as the page posts them


def walk() -> Walk:
    from selfreg.questionnaire import flow
    from selfreg.questionnaire.catalogue import CATALOGUE

    steps = flow.applicable_steps(CATALOGUE, FULL_REGISTRATION)
    saves = {step.key: urlencode(_form_pairs(ANSWERS[step.key]))
             for step in steps if not step.repeatable and step.key in ANSWERS}
    return Walk(tuple(f"/q/{step.key}" for step in steps), saves)


def _form_pairs(values: dict[str, Any]) -> list[tuple[str, str]]:
    pairs = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((name, str(item)))
    return pairs


def save_body(walk_: Walk, resident: Resident, step: str, idempotency_key: str) -> str:
    """The body ``POST /q/<step>/save`` gets from the page's script (what the Lua script sends)."""
    return (f"{walk_.saves[step]}&csrf_token={resident.csrf_token}&owner={resident.owner}"
            f"&revision={resident.revisions.get(step, 0)}&idempotency_key={idempotency_key}")


def create(app: Flask, count: int, centre_name: str = CENTRE) -> list[str]:
    """``count`` consented registrations with every step answered, in the centre of that name
    (made when missing); returns their codes."""
    from selfreg import db, keys, registrations
    from selfreg.exports.bulk import save_new_answers
    from selfreg.questionnaire import flow
    from selfreg.questionnaire.catalogue import CATALOGUE, VERSION
    from selfreg.storage import PersonalStore

    with app.app_context():
        session = db.session()
        try:
            centre = registrations.centre_by_name(session, centre_name)
        except registrations.CentreNotFound:
            centre = registrations.create_centre(session, centre_name)
        created = registrations.create_registrations(session, keys.keyring(), centre, count)
        steps_done = len(flow.applicable_steps(CATALOGUE, FULL_REGISTRATION))
        for item in created:
            registrations.record_consent(item.registration, "nb", VERSION)
            item.registration.steps_done = steps_done
        save_new_answers(session, PersonalStore(session, keys.keyring()),
                         [(item.registration, FULL_REGISTRATION, {}) for item in created])
        session.commit()
        return [item.code for item in created]


def sign_in(app: Flask, code: str) -> Resident:
    """Sign in through the start page; the CSRF token and owner tag come from a step page."""
    client = app.test_client()
    start = client.get("/").get_data(as_text=True)
    response = client.post("/", data={"code": code, "csrf_token": _CSRF.search(start).group(1)})
    assert response.status_code in (302, 303), response.status_code
    page = client.get("/q/name")
    assert page.status_code == 200, page.status_code
    html = page.get_data(as_text=True)
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return Resident(f"{COOKIE}={cookie.value}", _CSRF.search(html).group(1),
                    _OWNER.search(html).group(1))


def read_revisions(app: Flask, residents: list[Resident], codes: list[str]) -> None:
    from selfreg import db, keys, registrations
    from selfreg.access_codes import normalise
    from selfreg.storage import PersonalStore

    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        for resident, code in zip(residents, codes):
            registration = registrations.find_by_code(session, keys.keyring(), normalise(code))
            resident.revisions = store.revisions(registration)


def preflight(app: Flask, resident: Resident, walk_: Walk) -> None:
    """Every page answers 200 and every save is accepted, before any load is sent."""
    client = app.test_client()
    client.set_cookie(COOKIE, resident.cookie.split("=", 1)[1])
    for page in walk_.pages:
        response = client.get(page)
        assert response.status_code == 200, (page, response.status_code)
    for number, step in enumerate(walk_.saves):
        body = save_body(walk_, resident, step, f"00000000-0000-4000-8000-{number:012x}")
        response = client.post(f"/q/{step}/save", data=body, headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        assert response.status_code == 200, (step, response.status_code, response.get_json())
        resident.revisions[step] = response.get_json()["revision"]


def prepare(app: Flask, count: int) -> tuple[list[Resident], Walk, list[str]]:
    """Residents, what they do, and their codes (to read their revisions again after saves)."""
    walk_ = walk()
    codes = create(app, count)
    residents = [sign_in(app, code) for code in codes]
    read_revisions(app, residents, codes)
    preflight(app, residents[0], walk_)
    return residents, walk_, codes
