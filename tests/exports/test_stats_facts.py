"""Kept statistics facts: the same counts as from the answers, one decryption a person, never
stale, and ciphertext under the person's own key."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from selfreg import access_codes, db, keys
from selfreg.crypto import DecryptionError
from selfreg.exports import stats, stats_facts
from selfreg.models import Registration, RegistrationStatus
from selfreg.storage import PersonalStore
from tests.exports.test_stats import BIRTHS, EXPECTED, TODAY, people  # noqa: F401  (fixture)
from tests.resident.walk import accept_privacy, sign_in, walk
from tests.staff.conftest import world  # noqa: F401  (fixture)


def _counts(app, *, commit: bool = True) -> stats.Counts:
    with app.app_context():
        session = db.session()
        counted = stats.count(session, keys.keyring(), today=TODAY, batch_size=5)
        if commit:
            session.commit()
        return counted


def _submitted(session) -> list[Registration]:
    return list(session.scalars(select(Registration).where(
        Registration.status == RegistrationStatus.SUBMITTED).order_by(Registration.id)))


def _by_dimension(counts: stats.Counts) -> dict[str, dict[str, int]]:
    return {dimension: {key: value for key, value in counter.items() if value}
            for dimension, counter in counts.by_dimension.items()}


def test_a_second_run_counts_the_same_from_the_kept_facts_alone(app, people, monkeypatch):
    first = _counts(app)  # nobody has facts yet: from the answers, and kept
    with app.app_context():
        assert all(row.stats_facts is not None for row in _submitted(db.session()))

    def no_answers(self, registration):
        raise AssertionError("answers decrypted although facts were kept")

    monkeypatch.setattr(PersonalStore, "load_all", no_answers)
    second = _counts(app)
    assert second.people == first.people == 12 and second.unreadable == 0
    assert _by_dimension(second) == _by_dimension(first)
    for dimension in ("age_band", "education_nus", "mother_tongue", "training_needs"):
        assert _by_dimension(second)[dimension] == EXPECTED[dimension]


def test_the_facts_are_ciphertext_under_the_persons_key(app, people):
    _counts(app)
    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        rows = _submitted(session)
        births = set()
        for row in rows:
            assert b"birth_date" not in row.stats_facts and b"education_nus" not in row.stats_facts
            facts = store.load_stats_facts(row)
            assert facts["version"] == stats_facts.version()
            births.add(facts["birth_date"])
        assert births == set(BIRTHS)
        # Bound to its own row and key: moved to another person's row, it does not decrypt.
        moved = session.get(Registration, rows[0].id)
        moved.stats_facts = rows[1].stats_facts
        with pytest.raises(DecryptionError):
            store.load_stats_facts(moved)
        session.commit()
    # A run meets facts it cannot decrypt: it works that person out from the answers again.
    again = _counts(app)
    assert again.people == 12 and again.unreadable == 0
    with app.app_context():
        session = db.session()
        fixed = session.get(Registration, rows[0].id)
        assert PersonalStore(session, keys.keyring()).load_stats_facts(fixed)["version"]


def test_a_correction_empties_the_facts_and_the_next_run_counts_it(app, people):
    _counts(app)
    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        arabic = next(row for row in _submitted(session)
                      if store.load_all(row)["mother_tongue"]["entries"][0].get("language") == "ar"
                      and len(store.load_all(row)["mother_tongue"]["entries"]) == 1)
        changed = dict(store.load_all(arabic)["mother_tongue"])
        changed["entries"] = [{**changed["entries"][0], "language": "so"}]
        store.save_step(arabic, "mother_tongue", changed, changed_by_user_id=None)
        assert arabic.stats_facts is None
        session.commit()
    mother_tongue = _by_dimension(_counts(app))["mother_tongue"]
    assert mother_tongue == {"ar": 6, "ti": 5, "so": 1, "uncoded": 1}


def test_facts_made_by_other_code_are_worked_out_again(app, people):
    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        for row in _submitted(session):
            old = {"version": "an-earlier-release", "birth_date": "1900",
                   "categories": {"mother_tongue": ["xx"]}}
            row.stats_facts = store.encrypt_stats_facts(row, old)
        session.commit()
    counted = _by_dimension(_counts(app))
    assert counted["mother_tongue"] == EXPECTED["mother_tongue"]
    assert counted["age_band"] == EXPECTED["age_band"]
    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        assert {store.load_stats_facts(row)["version"] for row in _submitted(session)} == {
            stats_facts.version()}


def test_keeping_facts_is_not_a_change_to_the_registration(app, people):
    with app.app_context():
        before = {row.id: row.updated_at for row in _submitted(db.session())}
    _counts(app)
    with app.app_context():
        rows = _submitted(db.session())
        assert all(row.stats_facts is not None for row in rows)
        assert {row.id: row.updated_at for row in rows} == before


def test_facts_of_answers_changed_since_they_were_read_are_not_kept(app, people):
    with app.app_context():
        session = db.session()
        rows = next(stats._pages(session, 100))  # what a statistics run has read
        store = PersonalStore(session, keys.keyring())
        changed = session.get(Registration, rows[0].id)
        store.save_step(changed, "other_skills", {"skills": "Changed meanwhile", "volunteering": ""})
        session.commit()  # a save (another worker) after the run read its page
        stats._facts_from_answers(session, PersonalStore(session, keys.keyring()), rows)
        session.commit()
        kept = {row.id: row.stats_facts is not None for row in _submitted(session)}
    assert kept.pop(rows[0].id) is False
    assert all(kept.values()) and len(kept) == 11


def test_submitting_keeps_the_facts(app, client, create_registration):
    registration_id, code, _token = create_registration()
    sign_in(client, access_codes.format_code(code))
    accept_privacy(client)
    walk(client)
    assert client.post("/submit").status_code == 303
    with app.app_context():
        session = db.session()
        store = PersonalStore(session, keys.keyring())
        registration = session.get(Registration, registration_id)
        assert registration.is_submitted
        kept = store.load_stats_facts(registration)
        assert kept == stats_facts.of_answers(store.load_all(registration))
        assert kept["categories"]["mother_tongue"]  # something real was classified


def test_a_fault_in_the_counting_code_does_not_stop_a_submission(
        app, client, create_registration, monkeypatch, caplog):
    registration_id, code, _token = create_registration()
    sign_in(client, access_codes.format_code(code))
    accept_privacy(client)
    walk(client)

    def broken(answers):
        raise ValueError("cannot count Amina")  # a message that quotes an answer

    monkeypatch.setattr(stats_facts, "lasting_categories", broken)
    assert client.post("/submit").status_code == 303
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        assert registration.is_submitted and registration.stats_facts is None
    assert "ValueError" in caplog.text and "Amina" not in caplog.text
