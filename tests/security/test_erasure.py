"""Erasure: nothing personal is left, the code stops working, and older backups go dark."""
from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, make_url, select, update
from sqlalchemy.orm import Session

from selfreg import access_codes, db, keyops, keys, registrations
from selfreg.crypto import RETIRED, CryptoError, Keyring, KeyUnavailableError, unwrap_dek
from selfreg.models import Answer, Base, Registration, RegistrationStatus, utcnow
from selfreg.storage import ErasedError, PersonalStore

from .conftest import Person, read_all, sqlite_path


def _erase(app, person: Person, save_keyring) -> keyops.ErasureReport:
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, person.registration_id)
        return keyops.erase_registrations(
            session, keys.keyring(), [registration], save_keyring=save_keyring
        )


def _backup(app, request, tmp_path: Path) -> str:
    """A consistent copy of the live database, as a backup job would take it; its URL."""
    url = make_url(app.config["SELFREG_DATABASE_URL"])
    if url.get_backend_name() == "postgresql":
        db.database(app).engine.dispose()  # a template database must have no connections
        server = request.getfixturevalue("postgres_server")
        copy_name = server.copy_database(url.database)
        request.addfinalizer(lambda: server.drop_database(copy_name))
        return server.url_for(copy_name)
    target = tmp_path / "backup.sqlite"
    source = sqlite3.connect(sqlite_path(app))
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return f"sqlite:///{target}"


def test_after_erasure_only_metadata_remains(app, client, add_person, save_keyring):
    person, other = add_person(), add_person()
    report = _erase(app, person, save_keyring)
    assert report.erased == 1 and report.complete
    with app.app_context():
        session = db.session()
        row = session.get(Registration, person.registration_id)
        assert row is not None and row.status == RegistrationStatus.ERASED
        assert row.erased_at is not None
        for column in Registration.__table__.columns:
            # code_lookup stays (NOT NULL, unique): a keyed hash of a code that now opens nothing.
            lookup = column.info.get("keyed_hash") and column.name != "code_lookup"
            if column.info["personal"] or lookup:
                assert getattr(row, column.name) is None, column.name
        assert row.wrapped_dek is None and row.duf_index is None and row.name_dob_index is None
        answers = session.scalar(
            select(func.count()).select_from(Answer)
            .where(Answer.registration_id == person.registration_id)
        )
        assert answers == 0
        with pytest.raises(ErasedError):
            PersonalStore(session, keys.keyring()).load_all(row)
        # The key that wrapped its data key is destroyed, and the row says which it was.
        assert keys.keyring().keks[0].id == row.kek_id
        assert keys.keyring().keks[0].status == RETIRED
    assert read_all(app, other.registration_id)["origin"]["duf_number"] == other.duf
    response = client.post("/", data={"code": access_codes.format_code(person.code)})
    assert response.status_code == 400
    assert client.get(f"/l/{person.link_token}").status_code == 303  # link is dead too


def test_backup_taken_before_erasure_cannot_be_read_afterwards(
    app, add_person, save_keyring, tmp_path, request
):
    erased, kept = add_person(), add_person()
    keyring_before = keys.keyring(app).to_json()  # what an old keyring backup holds
    backup = _backup(app, request, tmp_path)

    report = _erase(app, erased, save_keyring)
    assert report.rotation is not None and report.rotation.retired
    keyring_after = Keyring.load(app.config["SELFREG_KEYRING"])

    engine = create_engine(backup)
    try:
        with Session(engine) as copy:
            old_row = copy.get(Registration, erased.registration_id)
            assert old_row is not None and old_row.wrapped_dek is not None  # still in the copy
            assert copy.scalar(select(func.count()).select_from(Answer)) > 0
            with pytest.raises(KeyUnavailableError):
                unwrap_dek(keyring_after, old_row.wrapped_dek, old_row.id)
            with pytest.raises(CryptoError):
                PersonalStore(copy, keyring_after).load_all(old_row)
            # The price: the whole old backup is dark for everyone, not just for that person...
            kept_in_copy = copy.get(Registration, kept.registration_id)
            assert kept_in_copy is not None
            with pytest.raises(KeyUnavailableError):
                PersonalStore(copy, keyring_after).load_all(kept_in_copy)
            # ...and an old copy of the keyring would still open it: keyring backups must be
            # destroyed too (docs/SECURITY.md).
            old_keyring = Keyring.from_json(keyring_before)
            assert PersonalStore(copy, old_keyring).load_all(old_row)["origin"]
    finally:
        engine.dispose()
    # Everyone else's data in the live database still reads.
    assert read_all(app, kept.registration_id)["origin"]["duf_number"] == kept.duf


def test_erasure_cut_off_before_the_key_work_is_finished_later(app, add_person, save_keyring):
    person, other = add_person(), add_person()
    with app.app_context():
        session = db.session()
        keyring = keys.keyring()
        # As a staff view would: shred now, leave the key work to the next scheduled job.
        registrations.erase(session, keyring, session.get(Registration, person.registration_id))
        session.commit()
        active = keyring.active_kek.id
        assert keyops.erasure_pending_keys(session, keyring) == {active}
        rotation = keyops.complete_erasures(session, keyring, save_keyring=save_keyring)
        assert rotation is not None and rotation.retired == (active,)
        assert rotation.erasure_pending == ()
        assert keyops.erasure_pending_keys(session, keys.keyring()) == set()
        assert keyops.complete_erasures(session, keys.keyring(), save_keyring=save_keyring) is None
    assert read_all(app, other.registration_id)


def test_erasure_also_destroys_older_decrypt_only_keys(app, add_person, save_keyring):
    person, other = add_person(), add_person()
    with app.app_context():
        keyops.rotate(db.session(), keys.keyring(), save_keyring=save_keyring)
        assert len(keys.keyring().keks) == 2
    report = _erase(app, person, save_keyring)
    assert report.rotation is not None
    statuses = [kek.status for kek in keys.keyring(app).keks]
    assert statuses == [RETIRED, RETIRED, "active"]
    assert read_all(app, other.registration_id)


def _age(app, registration_id: str, days: int, *, submitted: bool = False) -> None:
    then = utcnow() - timedelta(days=days)
    table = Registration.__table__
    values = {"updated_at": then}
    if submitted:
        values["submitted_at"] = then
    with app.app_context():
        db.session().execute(update(table).where(table.c.id == registration_id).values(**values))
        db.session().commit()


def test_purge_erases_only_what_is_past_retention(app, add_person, save_keyring):
    old, old_submitted, recent = add_person(), add_person(), add_person()
    _age(app, old.registration_id, 400)
    _age(app, old_submitted.registration_id, 400, submitted=True)
    progress = []
    with app.app_context():
        report = keyops.purge(
            db.session(), keys.keyring(), 365, save_keyring=save_keyring,
            progress=lambda *args: progress.append(args),
        )
    assert report.erased == 2 and report.complete
    assert ("erased", 2, 2) in progress
    with app.app_context():
        statuses = dict(db.session().execute(select(Registration.id, Registration.status)).all())
    assert statuses[old.registration_id] == statuses[old_submitted.registration_id] == "erased"
    assert statuses[recent.registration_id] != "erased"
    assert read_all(app, recent.registration_id)["origin"]["duf_number"] == recent.duf
    with app.app_context():
        again = keyops.purge(db.session(), keys.keyring(), 365, save_keyring=save_keyring)
    assert again.erased == 0 and again.rotation is None  # nothing to do, no new key


def test_purge_counts_from_the_later_of_change_and_submission(app, add_person, save_keyring):
    person = add_person()
    _age(app, person.registration_id, 400)
    with app.app_context():
        table = Registration.__table__
        db.session().execute(
            update(table).where(table.c.id == person.registration_id)
            .values(submitted_at=utcnow() - timedelta(days=10))
        )
        db.session().commit()
        assert keyops.expired(db.session(), 365) == []
        assert keyops.expired(db.session(), 365, now=utcnow() + timedelta(days=400)) == [
            person.registration_id
        ]
        with pytest.raises(ValueError):
            keyops.expired(db.session(), -1)


def test_every_table_of_a_persons_data_is_covered_by_erasure():
    # A new table holding personal data about a registration must be cleared by
    # PersonalStore.shred, and checked above; this fails until both are done.
    registrations_id = Registration.__table__.c.id
    with_personal = {
        table.name for table in Base.metadata.tables.values()
        if any(fk.references(registrations_id.table) for fk in table.foreign_keys)
        and any(column.info.get("personal") for column in table.columns)
    }
    assert with_personal == {"answers", "staff_records"}


def test_erasure_shreds_what_staff_added(app, add_person, save_keyring):
    from selfreg.models import StaffRecord

    person = add_person()
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, person.registration_id)
        store = PersonalStore(session, keys.keyring())
        store.save_record(registration, "career_note", {"summary": "note"}, user_id=None)
        store.save_record(registration, "verification", {"name": "document_seen"}, user_id=None)
        session.commit()
    _erase(app, person, save_keyring)
    with app.app_context():
        assert db.session().scalar(select(func.count()).select_from(StaffRecord)) == 0


def test_erasures_by_command_and_by_purge_are_in_the_audit_trail(app, add_person, save_keyring):
    from selfreg import audit
    from selfreg.models import AuditEvent

    first, second = add_person(), add_person()
    _erase(app, first, save_keyring)
    with app.app_context():
        session = db.session()
        later = utcnow() + timedelta(days=4000)
        keyops.purge(session, keys.keyring(), 365, save_keyring=save_keyring, now=later)
        events = {(e.registration_id, e.detail) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "registration.erase"))}
        assert events == {(first.registration_id, "erase command"),
                          (second.registration_id, "retention purge")}
        assert audit.verify(session).intact
