"""KEK rotation and retirement: data stays readable, runs resume, nothing is lost."""
from __future__ import annotations

import base64

import pytest
from sqlalchemy import select

from selfreg import db, keyops, keys
from selfreg.crypto import (
    ACTIVE,
    DECRYPT_ONLY,
    RETIRED,
    Keyring,
    KeyringError,
    new_dek,
    wrap_dek,
    wrapped_key_id,
)
from selfreg.models import Registration

from .conftest import read_all


def _timestamps(app) -> dict[str, object]:
    with app.app_context():
        rows = db.session().execute(select(Registration.id, Registration.updated_at))
        return {row.id: row.updated_at for row in rows}


def _usage(app) -> dict[str, int]:
    with app.app_context():
        return keyops.keys_in_use(db.session())


def test_rotation_rewraps_every_data_key_and_data_still_reads(app, add_person, save_keyring):
    people = [add_person() for _ in range(5)]
    before = {p.registration_id: read_all(app, p.registration_id) for p in people}
    stamps = _timestamps(app)
    calls = []
    with app.app_context():
        old = keys.keyring().active_kek.id
        stats = keyops.rotate(
            db.session(), keys.keyring(), save_keyring=save_keyring, batch_size=2,
            progress=lambda *args: calls.append(args),
        )
        assert stats.new_key_id == stats.active_key_id != old
        assert (stats.total, stats.rewrapped, stats.unavailable) == (5, 5, 0)
        assert stats.retired == () and stats.erasure_pending == ()
        assert keys.keyring().active_kek.id == stats.new_key_id
        assert keys.keyring().kek(old).status == DECRYPT_ONLY  # kept for older backups
        kek_ids = set(db.session().scalars(select(Registration.kek_id)))
    assert calls == [("re-wrapped", 2, 5), ("re-wrapped", 4, 5), ("re-wrapped", 5, 5)]
    assert _usage(app) == {stats.new_key_id: 5}
    assert kek_ids == {stats.new_key_id}
    assert {p.registration_id: read_all(app, p.registration_id) for p in people} == before
    # Maintenance is not activity: retention must still count from the last real change.
    assert _timestamps(app) == stamps
    # The saved file agrees with what the app uses.
    on_disk = Keyring.load(app.config["SELFREG_KEYRING"])
    assert on_disk.active_kek.id == stats.new_key_id


def test_interrupted_rotation_continues_without_another_key(app, add_person, save_keyring):
    people = [add_person() for _ in range(5)]

    def crash_after_first_batch(*_args):
        raise RuntimeError("power cut")

    with app.app_context():
        with pytest.raises(RuntimeError):
            keyops.rotate(db.session(), keys.keyring(), save_keyring=save_keyring,
                          batch_size=2, progress=crash_after_first_batch)
    # The app restarts from the files on disk.
    with app.app_context():
        restarted = Keyring.load(app.config["SELFREG_KEYRING"])
        new = restarted.active_kek.id
        assert sorted(_usage(app).values()) == [2, 3]  # first batch committed, rest pending
        assert keyops.unfinished_rotation(restarted, keyops.keys_in_use(db.session()))
        stats = keyops.rotate(db.session(), restarted, save_keyring=save_keyring, batch_size=2)
    assert stats.new_key_id is None and stats.active_key_id == new
    assert (stats.total, stats.rewrapped) == (3, 3)
    assert len(Keyring.load(app.config["SELFREG_KEYRING"]).keks) == 2  # no third key
    assert _usage(app) == {new: 5}
    for person in people:
        assert read_all(app, person.registration_id)["origin"]["duf_number"] == person.duf


def test_crash_right_after_saving_the_keyring_is_safe(app, add_person, save_keyring):
    person = add_person()

    def save_then_crash(updated: Keyring) -> None:
        save_keyring(updated)
        raise RuntimeError("killed")

    with app.app_context():
        with pytest.raises(RuntimeError):
            keyops.rotate(db.session(), keys.keyring(), save_keyring=save_then_crash)
    on_disk = Keyring.load(app.config["SELFREG_KEYRING"])
    assert [k.status for k in on_disk.keks] == [DECRYPT_ONLY, ACTIVE]
    assert read_all(app, person.registration_id)  # old key still there: nothing unreadable
    with app.app_context():
        stats = keyops.rotate(db.session(), on_disk, save_keyring=save_keyring)
    assert stats.new_key_id is None and stats.rewrapped == 1


def test_failed_save_changes_nothing(app, add_person):
    add_person()

    def refuse(_updated: Keyring) -> None:
        raise KeyringError("read-only secret")

    with app.app_context():
        before = keys.keyring().to_json()
        usage = keyops.keys_in_use(db.session())
        with pytest.raises(KeyringError):
            keyops.rotate(db.session(), keys.keyring(), save_keyring=refuse)
        assert keys.keyring().to_json() == before  # the keyring in use was not touched
        assert keyops.keys_in_use(db.session()) == usage


def test_retire_refuses_while_the_key_is_in_use(app, add_person, save_keyring):
    add_person()
    with app.app_context():
        keyring = keys.keyring()
        old = keyring.active_kek.id
        with pytest.raises(KeyringError, match="active"):
            keyops.retire(keyring, old, db.session(), save_keyring=save_keyring)
        updated = keyring.copy()
        updated.add_kek()
        save_keyring(updated)
        with pytest.raises(keyops.KeyStillInUse) as refused:
            keyops.retire(keys.keyring(), old, db.session(), save_keyring=save_keyring)
        assert refused.value.count == 1
        assert keys.keyring().kek(old).status == DECRYPT_ONLY
        with pytest.raises(KeyringError, match="not in keyring"):
            keyops.retire(keys.keyring(), "k-00000000", db.session(), save_keyring=save_keyring)


def test_rotate_then_retire_then_read(app, add_person, save_keyring):
    person = add_person()
    before = read_all(app, person.registration_id)
    with app.app_context():
        old_key = keys.keyring().active_kek.key
        old = keys.keyring().active_kek.id
        keyops.rotate(db.session(), keys.keyring(), save_keyring=save_keyring)
        after = keyops.retire(keys.keyring(), old, db.session(), save_keyring=save_keyring)
        assert after.keks[0].status == RETIRED and after.keks[0].key is None
    assert read_all(app, person.registration_id) == before
    saved = open(app.config["SELFREG_KEYRING"], encoding="utf-8").read()
    assert old_key is not None and old_key.hex() not in saved
    assert base64.b64encode(old_key).decode() not in saved


def test_retirement_rescues_a_data_key_wrapped_late_by_a_stale_worker(
    app, add_person, create_registration, save_keyring
):
    add_person()
    with app.app_context():
        stale = keys.keyring().copy()  # a worker that has not re-read the keyring yet
        keyops.rotate(db.session(), keys.keyring(), save_keyring=save_keyring)
        old = stale.active_kek.id
        current = keys.keyring()
        # The stale worker wraps a new registration's key with the old active key...
        late_id = create_registration()[0]
        registration = db.session().get(Registration, late_id)
        assert registration is not None
        registration.wrapped_dek = wrap_dek(stale, new_dek(), late_id)
        registration.kek_id = old
        db.session().commit()
        # ...after the in-use check passed (simulated by calling the unchecked step directly).
        keyops.retirement.retire_unused(current, [old], db.session(), save_keyring=save_keyring)
        row = db.session().get(Registration, late_id)
        assert row is not None and row.wrapped_dek is not None
        assert wrapped_key_id(row.wrapped_dek) == current.active_kek.id
        assert keys.keyring().kek(current.active_kek.id)
    assert read_all(app, late_id) == {}  # its (new, empty) data key unwraps


def test_other_workers_pick_up_the_rotated_keyring(make_app, app, add_person, save_keyring):
    worker = make_app()  # a second app on the same instance, like another gunicorn worker
    with worker.app_context():
        before = keys.keyring().active_kek.id
    with app.app_context():
        stats = keyops.rotate(db.session(), keys.keyring(), save_keyring=save_keyring)
    with worker.app_context():
        assert keys.keyring().active_kek.id == stats.new_key_id != before


def test_a_different_keyring_put_in_place_is_refused(app):
    Keyring.generate().save(app.config["SELFREG_KEYRING"])
    with app.app_context(), pytest.raises(KeyringError, match="mismatch"):
        keys.keyring()


def test_keys_in_use_reads_headers_and_counts_damage(app, add_person):
    first, second = add_person(), add_person()
    with app.app_context():
        session = db.session()
        active = keys.keyring().active_kek.id
        assert keyops.keys_in_use(session) == {active: 2}
        registration = session.get(Registration, second.registration_id)
        assert registration is not None
        registration.wrapped_dek = b"\x07garbage"
        session.commit()
        assert keyops.keys_in_use(session) == {active: 1, keyops.MALFORMED: 1}
    assert read_all(app, first.registration_id)
