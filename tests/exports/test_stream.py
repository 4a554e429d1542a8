"""Many case files in pages: every registration once, in a stable order, erased ones left out."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from selfreg import db, keys, registrations
from selfreg.demo import add_demo_people
from selfreg.exports import exportable, iter_case_file_lines, iter_case_files, stream
from selfreg.models import Registration, utcnow


def _people(app, count: int) -> list[str]:
    with app.app_context():
        session = db.session()
        centre = registrations.create_centre(session, "Demo mottak")
        add_demo_people(session, keys.keyring(), centre, count, batch_size=count)
        return sorted(session.scalars(select(Registration.id)))


def test_pages_cover_every_registration_once_in_id_order(app, monkeypatch):
    ids = _people(app, 7)
    stores = []
    real_store = stream.PersonalStore

    def counting_store(*args):
        stores.append(real_store(*args))
        return stores[-1]

    monkeypatch.setattr(stream, "PersonalStore", counting_store)
    with app.app_context():
        documents = list(iter_case_files(db.session(), keys.keyring(), exportable(), batch_size=3))
    assert [document["registration"]["id"] for document in documents] == ids
    assert len(stores) == 3  # a fresh store (and its ciphers) per page of 3
    assert all(len(store._ciphers) <= 3 for store in stores)


def test_ids_come_in_the_order_given_and_unknown_ones_are_skipped(app):
    ids = _people(app, 3)
    wanted = [ids[2], "0" * 32, ids[0]]
    with app.app_context():
        documents = list(iter_case_files(db.session(), keys.keyring(), iter(wanted), batch_size=2))
    assert [document["registration"]["id"] for document in documents] == [ids[2], ids[0]]


def test_erased_and_unsubmitted_registrations_are_not_exported(app):
    ids = _people(app, 3)
    with app.app_context():
        session = db.session()
        registrations.erase(session, keys.keyring(), session.get(Registration, ids[0]))
        centre = registrations.centre_by_name(session, "Demo mottak")
        registrations.create_registrations(session, keys.keyring(), centre, 1)  # not started
        session.commit()
        exported = [
            document["registration"]["id"]
            for document in iter_case_files(session, keys.keyring(), exportable())
        ]
        everything = list(iter_case_files(session, keys.keyring(), select(Registration)))
    assert exported == ids[1:]
    assert len(everything) == 3  # erased: nothing to export; the new one: an empty case file


def test_since_selects_what_changed_since(app):
    ids = _people(app, 2)
    with app.app_context():
        session = db.session()
        latest = max(session.get(Registration, item).updated_at for item in ids)
        newest = [d["registration"]["id"] for d in iter_case_files(
            session, keys.keyring(), exportable(since=latest))]
        later = exportable(since=utcnow() + timedelta(days=1))
        none = list(iter_case_files(session, keys.keyring(), later))
    assert len(newest) == 1 and none == []


def test_lines_are_utf8_json_one_per_line_in_the_persons_script(app):
    _people(app, 3)
    with app.app_context():
        lines = list(iter_case_file_lines(db.session(), keys.keyring(), exportable()))
    assert len(lines) == 3 and all(line.endswith(b"\n") and line.count(b"\n") == 1 for line in lines)
    assert any("ف".encode() in line or "ا".encode() in line for line in lines)  # ar / fa: unescaped
