"""Index-key rotation: DUF lookups keep working, codes survive (or are invalidated on purpose)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from selfreg import access_codes, db, keyops, keys
from selfreg.crypto import Keyring
from selfreg.models import Registration
from selfreg.storage import PersonalStore

from ..resident.walk import path_of
from .conftest import Person


def _row(app, registration_id: str) -> Registration:
    with app.app_context():
        found = db.session().get(Registration, registration_id)
        assert found is not None
        return found


def _find_by_duf(app, duf: str) -> list[str]:
    with app.app_context():
        session = db.session()
        index = PersonalStore(session, keys.keyring()).duf_lookup(duf)
        return list(session.scalars(select(Registration.id).where(Registration.duf_index == index)))


def _signs_in(app, person: Person) -> bool:
    response = app.test_client().post("/", data={"code": access_codes.format_code(person.code)})
    return response.status_code == 302


def test_reindex_recomputes_indexes_under_a_new_key(app, add_person, save_keyring):
    people = [add_person() for _ in range(3)]
    before = {p.registration_id: _row(app, p.registration_id) for p in people}
    with app.app_context():
        old_id = keys.keyring().index_key_id
        calls = []
        stats = keyops.reindex(db.session(), keys.keyring(), save_keyring=save_keyring,
                               batch_size=2, progress=lambda *args: calls.append(args))
        assert keyops.indexed_with(db.session(), keys.keyring()) == stats.index_key_id
    assert stats.new_key and stats.index_key_id != old_id
    assert (stats.total, stats.reindexed, stats.unreadable) == (3, 3, 0)
    assert calls == [("re-indexed", 2, 3), ("re-indexed", 3, 3)]
    assert not stats.codes_invalidated
    for person in people:
        after = _row(app, person.registration_id)
        old = before[person.registration_id]
        assert after.duf_index != old.duf_index and after.name_dob_index != old.name_dob_index
        assert after.updated_at == old.updated_at  # maintenance is not activity
        assert _find_by_duf(app, person.duf) == [person.registration_id]


def test_codes_and_links_survive_and_migrate_on_sign_in(app, add_person, save_keyring):
    person, linked = add_person(), add_person()
    with app.app_context():
        keyops.reindex(db.session(), keys.keyring(), save_keyring=save_keyring)
    stale_lookup = _row(app, person.registration_id).code_lookup
    assert _signs_in(app, person)
    assert _row(app, person.registration_id).code_lookup != stale_lookup  # re-hashed
    # A second reindex drops the first key: only the migrated code still works.
    with app.app_context():
        keyops.reindex(db.session(), keys.keyring(), save_keyring=save_keyring)
    assert _signs_in(app, person)
    assert not _signs_in(app, linked)
    assert path_of(app.test_client().get(f"/l/{linked.link_token}")) == "/"


def test_one_time_link_survives_one_reindex(app, add_person, save_keyring):
    person = add_person()
    with app.app_context():
        keyops.reindex(db.session(), keys.keyring(), save_keyring=save_keyring)
    response = app.test_client().get(f"/l/{person.link_token}")
    assert path_of(response) == "/privacy"


def test_invalidate_codes_forgets_the_old_key_at_once(app, add_person, save_keyring):
    person = add_person()
    with app.app_context():
        stats = keyops.reindex(db.session(), keys.keyring(), save_keyring=save_keyring,
                               invalidate_codes=True)
    assert stats.codes_invalidated and keys.keyring(app).previous_index_key is None
    assert not _signs_in(app, person)
    assert _find_by_duf(app, person.duf) == [person.registration_id]


def test_interrupted_reindex_continues_with_the_same_key(app, add_person, save_keyring):
    people = [add_person() for _ in range(3)]

    def crash(*_args):
        raise RuntimeError("power cut")

    with app.app_context():
        original = keys.keyring().index_key_id
        with pytest.raises(RuntimeError):
            keyops.reindex(db.session(), keys.keyring(), save_keyring=save_keyring,
                           batch_size=1, progress=crash)
        restarted = Keyring.load(app.config["SELFREG_KEYRING"])
        assert keyops.indexed_with(db.session(), restarted) == original  # unfinished
        stats = keyops.reindex(db.session(), restarted, save_keyring=save_keyring)
    assert not stats.new_key and stats.index_key_id == restarted.index_key_id
    previous = keys.keyring(app).previous_index_key
    assert previous is not None and previous.id == original  # codes still work
    for person in people:
        assert _find_by_duf(app, person.duf) == [person.registration_id]
        assert _signs_in(app, person)


def test_unreadable_registration_gets_its_indexes_cleared(app, add_person, save_keyring):
    person, other = add_person(), add_person()
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, person.registration_id)
        assert registration is not None
        wrapped = bytes(registration.wrapped_dek or b"")
        registration.wrapped_dek = wrapped[:-1] + bytes([wrapped[-1] ^ 1])
        session.commit()
        stats = keyops.reindex(session, keys.keyring(), save_keyring=save_keyring)
    assert stats.unreadable == 1
    assert _row(app, person.registration_id).duf_index is None
    assert _find_by_duf(app, other.duf) == [other.registration_id]
