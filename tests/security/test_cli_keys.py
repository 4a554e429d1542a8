"""The key, erasure and retention commands: what they print and how they fail."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from selfreg import access_codes, db, keyops, keys
from selfreg.crypto import ACTIVE, DECRYPT_ONLY, RETIRED, Keyring
from selfreg.models import Registration, utcnow

from .conftest import answers_for, read_all


def _invoke(app, *args: str, input: str | None = None):
    return app.test_cli_runner().invoke(args=list(args), input=input)


def _statuses(app) -> list[str]:
    return [kek.status for kek in Keyring.load(app.config["SELFREG_KEYRING"]).keks]


def _personal_texts(n: int) -> list[str]:
    values = answers_for(n)
    return [values["name"]["given_names"], values["name"]["family_name"],
            values["origin"]["duf_number"], values["other_skills"]["skills"]]


def _assert_no_personal_data(output: str) -> None:
    for n in range(1, 5):
        for text in _personal_texts(n):
            assert text not in output


def test_rotate_keys_shows_progress_and_resumes(app, add_person):
    people = [add_person() for _ in range(3)]
    result = _invoke(app, "rotate-keys", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    assert "re-wrapped 2/3" in result.output and "re-wrapped 3/3" in result.output
    assert "New active key: k-" in result.output
    assert _statuses(app) == [DECRYPT_ONLY, ACTIVE]
    _assert_no_personal_data(result.output)
    for person in people:
        assert read_all(app, person.registration_id)


def test_retire_key_command(app, add_person):
    add_person()
    old = keys.keyring(app).active_kek.id
    refused = _invoke(app, "retire-key", old)
    assert refused.exit_code == 1 and "active" in refused.output
    unknown = _invoke(app, "retire-key", "k-00000000")
    assert unknown.exit_code == 1 and "not in keyring" in unknown.output
    with app.app_context():
        updated = keys.keyring().copy()
        updated.add_kek()
        keys.save(app, updated)
    in_use = _invoke(app, "retire-key", old)
    assert in_use.exit_code == 1 and "still wraps 1" in in_use.output
    assert _invoke(app, "rotate-keys").exit_code == 0
    done = _invoke(app, "retire-key", old)
    assert done.exit_code == 0 and f"Key {old} is retired" in done.output
    assert _statuses(app)[0] == RETIRED


def test_reindex_command(app, add_person):
    add_person()
    result = _invoke(app, "reindex")
    assert result.exit_code == 0, result.output
    assert "New index key: ix-" in result.output and "Re-indexed 1" in result.output
    invalidated = _invoke(app, "reindex", "--invalidate-codes")
    assert invalidated.exit_code == 0
    assert "no longer work" in invalidated.output


def test_erase_asks_for_confirmation(app, add_person):
    person = add_person()
    code = access_codes.format_code(person.code)
    declined = _invoke(app, "erase", "--code", code, input="n\n")
    assert declined.exit_code == 1 and "Aborted" in declined.output
    assert read_all(app, person.registration_id)
    no_stdin = _invoke(app, "erase", "--code", code)
    assert no_stdin.exit_code == 1
    confirmed = _invoke(app, "erase", "--code", code, input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert f"Erased registration {person.registration_id}" in confirmed.output
    assert "Destroyed keys: k-" in confirmed.output
    _assert_no_personal_data(confirmed.output)


def test_erase_with_yes_and_its_errors(app, add_person):
    person, other = add_person(), add_person()
    code = access_codes.format_code(person.code)
    result = _invoke(app, "erase", "--code", code.lower(), "--yes")
    assert result.exit_code == 0, result.output
    assert _statuses(app) == [RETIRED, ACTIVE]
    again = _invoke(app, "erase", "--code", code, "--yes")
    assert again.exit_code == 1 and "erased already" in again.output
    malformed = _invoke(app, "erase", "--code", "ABC", "--yes")
    assert malformed.exit_code == 1 and "not a valid resident code" in malformed.output
    unknown = _invoke(app, "erase", "--code", access_codes.generate(), "--yes")
    assert unknown.exit_code == 1 and "No registration has this code" in unknown.output
    assert read_all(app, other.registration_id)


@pytest.fixture
def short_retention(make_app):
    return make_app(SELFREG_RETENTION_DAYS=30)


def test_purge_command_uses_the_configured_retention(short_retention, centre):
    app = short_retention
    from selfreg import registrations

    with app.app_context():
        session = db.session()
        found = registrations.centre_by_name(session, centre)
        made = registrations.create_registrations(session, keys.keyring(), found, 2)
        session.commit()
        old_id = made[0].registration.id
        table = Registration.__table__
        session.execute(update(table).where(table.c.id == old_id)
                        .values(updated_at=utcnow() - timedelta(days=31)))
        session.commit()
    result = _invoke(app, "purge")
    assert result.exit_code == 0, result.output
    assert "Erased 1 registration(s) older than 30 days." in result.output
    assert "Destroyed keys" in result.output
    nothing = _invoke(app, "purge", "--older-than", "365")
    assert nothing.exit_code == 0 and "Erased 0" in nothing.output
    assert "Destroyed" not in nothing.output
    assert _invoke(app, "purge", "--older-than", "0").exit_code == 2


def test_key_status_lists_keys_and_unfinished_work(app, add_person):
    add_person()
    add_person()
    status = _invoke(app, "key-status")
    assert status.exit_code == 0
    active = keys.keyring(app).active_kek.id
    assert f"{active}  active" in status.output and "2 data keys" in status.output
    _assert_no_personal_data(status.output)
    with app.app_context():
        from selfreg import registrations

        session = db.session()
        person = session.query(Registration).first()
        registrations.erase(session, keys.keyring(), person)
        session.commit()
    pending = _invoke(app, "key-status")
    assert "Erasure unfinished" in pending.output and active in pending.output
    finished = _invoke(app, "rotate-keys")
    assert finished.exit_code == 0 and "Destroyed keys" in finished.output
    assert "unfinished" not in _invoke(app, "key-status").output


def test_keyring_from_environment_cannot_be_rotated(make_app):
    keyring = Keyring.generate()
    app = make_app(SELFREG_KEYRING_JSON=keyring.to_json())
    result = _invoke(app, "rotate-keys")
    assert result.exit_code == 1
    assert "SELFREG_KEYRING_JSON" in result.output
    assert keys.keyring(app).to_json() == keyring.to_json()


def test_only_one_key_operation_at_a_time(app, add_person):
    add_person()
    before = keys.keyring(app).to_json()
    with keyops.exclusive(app.config["SELFREG_KEYRING"]):
        result = _invoke(app, "rotate-keys")
    assert result.exit_code == 1 and "another key operation" in result.output
    assert keys.keyring(app).to_json() == before
    assert _invoke(app, "rotate-keys").exit_code == 0  # the lock is gone with its holder


def test_erasure_blocked_by_a_damaged_data_key_is_reported(app, add_person):
    person, damaged = add_person(), add_person()
    with app.app_context():
        session = db.session()
        row = session.get(Registration, damaged.registration_id)
        assert row is not None and row.wrapped_dek is not None
        row.wrapped_dek = row.wrapped_dek[:-1] + bytes([row.wrapped_dek[-1] ^ 1])
        session.commit()
    result = _invoke(app, "erase", "--code", person.code, "--yes")
    assert result.exit_code == 1
    assert "could not be re-wrapped" in result.output
    assert "erasure not complete" in result.output
    assert "Erasure unfinished" in _invoke(app, "key-status").output
