"""Tampering below the app: every read fails loudly, never returns someone else's data."""
from __future__ import annotations

from typing import Callable

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from selfreg import access_codes, db, keys
from selfreg.crypto import CryptoError, DecryptionError, KeyUnavailableError
from selfreg.models import Answer, Registration
from selfreg.storage import PersonalStore

from ..resident.walk import accept_privacy, sign_in
from .conftest import Person

ANSWERS = Answer.__table__
REGISTRATIONS = Registration.__table__


def _payload(session: Session, registration_id: str, step: str) -> bytes:
    found = session.scalar(
        select(ANSWERS.c.payload).where(ANSWERS.c.registration_id == registration_id,
                                        ANSWERS.c.step == step)
    )
    assert found is not None
    return found


def _set_payload(session: Session, registration_id: str, step: str, payload: bytes) -> None:
    session.execute(
        update(ANSWERS).where(ANSWERS.c.registration_id == registration_id, ANSWERS.c.step == step)
        .values(payload=payload)
    )


def _wrapped(session: Session, registration_id: str) -> bytes:
    found = session.scalar(select(REGISTRATIONS.c.wrapped_dek)
                           .where(REGISTRATIONS.c.id == registration_id))
    assert found is not None
    return found


def _set_wrapped(session: Session, registration_id: str, wrapped: bytes) -> None:
    session.execute(update(REGISTRATIONS).where(REGISTRATIONS.c.id == registration_id)
                    .values(wrapped_dek=wrapped))


def _flip(blob: bytes, position: int) -> bytes:
    return blob[:position] + bytes([blob[position] ^ 0x01]) + blob[position + 1:]


def _swap_steps_within(session: Session, a: Person, _b: Person) -> str:
    name = _payload(session, a.registration_id, "name")
    origin = _payload(session, a.registration_id, "origin")
    _set_payload(session, a.registration_id, "name", origin)
    _set_payload(session, a.registration_id, "origin", name)
    return a.registration_id


def _swap_across_people(session: Session, a: Person, b: Person) -> str:
    mine = _payload(session, a.registration_id, "origin")
    theirs = _payload(session, b.registration_id, "origin")
    _set_payload(session, a.registration_id, "origin", theirs)
    _set_payload(session, b.registration_id, "origin", mine)
    return a.registration_id


def _flip_payload_bit(session: Session, a: Person, _b: Person) -> str:
    payload = _payload(session, a.registration_id, "origin")
    _set_payload(session, a.registration_id, "origin", _flip(payload, len(payload) - 20))
    return a.registration_id


def _flip_payload_header(session: Session, a: Person, _b: Person) -> str:
    payload = _payload(session, a.registration_id, "origin")
    _set_payload(session, a.registration_id, "origin", _flip(payload, 5))  # inside the DEK id
    return a.registration_id


def _swap_wrapped_keys(session: Session, a: Person, b: Person) -> str:
    mine, theirs = _wrapped(session, a.registration_id), _wrapped(session, b.registration_id)
    _set_wrapped(session, a.registration_id, theirs)
    _set_wrapped(session, b.registration_id, mine)
    return a.registration_id


def _flip_wrapped_bit(session: Session, a: Person, _b: Person) -> str:
    wrapped = _wrapped(session, a.registration_id)
    _set_wrapped(session, a.registration_id, _flip(wrapped, len(wrapped) - 1))
    return a.registration_id


def _unknown_key_in_header(session: Session, a: Person, _b: Person) -> str:
    wrapped = _wrapped(session, a.registration_id)
    n = wrapped[1]  # same length, so only the id differs: a well-formed header naming no key
    unknown = b"k-deadbeef"[:n].ljust(n, b"0")
    _set_wrapped(session, a.registration_id, wrapped[:2] + unknown + wrapped[2 + n:])
    return a.registration_id


TAMPERINGS: dict[str, tuple[Callable[[Session, Person, Person], str], type[CryptoError]]] = {
    "two answers of one person swapped": (_swap_steps_within, DecryptionError),
    "answers of two people swapped": (_swap_across_people, DecryptionError),
    "bit flipped in a payload": (_flip_payload_bit, DecryptionError),
    "bit flipped in a payload header": (_flip_payload_header, DecryptionError),
    "wrapped data keys of two people swapped": (_swap_wrapped_keys, DecryptionError),
    "bit flipped in a wrapped data key": (_flip_wrapped_bit, DecryptionError),
    "unknown key id in a wrapped data key": (_unknown_key_in_header, KeyUnavailableError),
}


@pytest.mark.parametrize("how", list(TAMPERINGS))
def test_tampering_is_detected_on_every_read(app, add_person, how: str) -> None:
    a, b = add_person(), add_person()
    tamper, expected = TAMPERINGS[how]
    with app.app_context():
        session = db.session()
        victim = tamper(session, a, b)
        session.commit()
        registration = session.get(Registration, victim)
        assert registration is not None
        store = PersonalStore(session, keys.keyring())
        with pytest.raises(expected):
            store.load_all(registration)
        with pytest.raises(CryptoError):
            store.load_step(registration, "origin")


def test_kek_id_column_is_not_trusted_over_the_header(app, add_person) -> None:
    person = add_person()
    with app.app_context():
        session = db.session()
        session.execute(update(REGISTRATIONS).where(REGISTRATIONS.c.id == person.registration_id)
                        .values(kek_id="k-deadbeef"))
        session.commit()
        registration = session.get(Registration, person.registration_id)
        assert registration is not None
        # The header (authenticated) decides which key unwraps: the right data, or nothing.
        values = PersonalStore(session, keys.keyring()).load_all(registration)
        assert values["origin"]["duf_number"] == person.duf


def test_resident_sees_an_error_page_without_details(app, add_person) -> None:
    person = add_person()
    client = app.test_client()
    sign_in(client, access_codes.format_code(person.code))
    accept_privacy(client)
    with app.app_context():
        session = db.session()
        _flip_payload_bit(session, person, person)
        session.commit()
    response = client.get("/review", headers={"Accept-Language": "en"})
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "We could not open the saved answers" in page
    for leak in ("Traceback", "DecryptionError", "answers.payload", person.duf, "Given",
                 person.registration_id):
        assert leak not in page
