"""Staff fixtures: users of each role in two centres and regions, and a full two-factor login."""
from __future__ import annotations

import time
from dataclasses import dataclass

import pytest

from selfreg import accounts, db, keys, registrations
from selfreg.crypto import totp
from selfreg.models import Centre, Region, Registration, User

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class World:
    """Two regions, each with one centre; registrations are made per centre by the tests."""

    centre_a: int
    centre_b: int
    region_a: int
    region_b: int


@pytest.fixture
def world(app) -> World:
    with app.app_context():
        session = db.session()
        region_a, region_b = Region(name="Region A"), Region(name="Region B")
        session.add_all([region_a, region_b])
        session.flush()
        centre_a = Centre(name="Mottak A", municipality="Kommune A", region_id=region_a.id)
        centre_b = Centre(name="Mottak B", municipality="Kommune B", region_id=region_b.id)
        session.add_all([centre_a, centre_b])
        session.commit()
        return World(centre_a.id, centre_b.id, region_a.id, region_b.id)


@pytest.fixture
def make_user(app):
    """Factory: a user of ``role`` with centres/region by id; returns the user id."""
    counter = iter(range(1, 1000))

    def factory(role: str, *, centres: list[int] = (), region: int | None = None,
                email: str | None = None) -> int:
        with app.app_context():
            session = db.session()
            user = accounts.create_user(
                session, email or f"{role}{next(counter)}@example.no", role, PASSWORD,
                centres=[session.get(Centre, cid) for cid in centres],
                region=session.get(Region, region) if region else None,
            )
            session.commit()
            return user.id

    return factory


def current_code(app, user_id: int, *, offset_steps: int = 0) -> str:
    with app.app_context():
        user = db.session().get(User, user_id)
        secret = accounts.totp_secret(keys.keyring(), user)
    return totp.code_at(secret, time.time() + offset_steps * totp.STEP_SECONDS)


@pytest.fixture
def login(app):
    """Log a client in with password and TOTP (setting up the authenticator if needed)."""

    def do_login(client, user_id: int, *, language: str = "en"):
        # Staff pages default to Bokmål; tests read the English source texts unless asked.
        client.set_cookie("selfreg_staff_lang", language, path="/staff")
        with app.app_context():
            email = db.session().get(User, user_id).email
        response = client.post("/staff/", data={"email": email, "password": PASSWORD})
        assert response.status_code == 303, response.status_code
        client.get("/staff/totp")  # makes the secret on the first login
        with app.app_context():
            last = db.session().get(User, user_id).totp_last_step
        # A code not used before: the next time step if this one is used up.
        offset = 0 if last < int(time.time()) // totp.STEP_SECONDS else 1
        response = client.post("/staff/totp", data={"code": current_code(app, user_id, offset_steps=offset)})
        assert response.status_code == 303, response.get_data(as_text=True)[:500]
        return client

    return do_login


@pytest.fixture
def registration_in(app):
    """Factory: a new registration in the centre with this id; returns (id, code, token)."""

    def factory(centre_id: int):
        with app.app_context():
            session = db.session()
            centre = session.get(Centre, centre_id)
            item = registrations.create_registrations(session, keys.keyring(), centre, 1)[0]
            session.commit()
            return item.registration.id, item.code, item.link_token

    return factory


@pytest.fixture
def submitted_in_a(app, world, registration_in):
    """A submitted registration in centre A without answers (quick; the pages must cope)."""
    registration_id, _, _ = registration_in(world.centre_a)
    with app.app_context():
        registrations.submit(db.session().get(Registration, registration_id))
        db.session().commit()
    return registration_id
