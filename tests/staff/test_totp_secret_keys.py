"""Staff TOTP secrets are ciphertext at rest and follow KEK rotation and retirement."""
from __future__ import annotations

from selfreg import accounts, db, keys
from selfreg.keyops.usage import keys_in_use
from selfreg.models import Role, User

from ..databases import stored_bytes
from .conftest import PASSWORD


def _user(app, user_id):
    with app.app_context():
        return db.session().get(User, user_id)


def test_the_secret_is_not_in_the_database_file(app, world, make_user, login):
    user_id = make_user(Role.ADMIN)
    login(app.test_client(), user_id)
    with app.app_context():
        secret = accounts.totp_secret(keys.keyring(), db.session().get(User, user_id))
    raw = stored_bytes(app)  # the file and its WAL on SQLite
    assert secret[:20] not in raw and PASSWORD.encode() not in raw


def test_rotation_rewraps_it_and_the_old_key_can_be_retired(app, world, make_user, login):
    user_id = make_user(Role.ADMIN)
    login(app.test_client(), user_id)
    old_key = _user(app, user_id).totp_kek_id
    runner = app.test_cli_runner()
    with app.app_context():
        assert keys_in_use(db.session()).get(old_key) == 1  # counted, so retire-key refuses
    assert runner.invoke(args=["retire-key", old_key]).exit_code != 0
    assert runner.invoke(args=["rotate-keys"]).exit_code == 0
    rotated = _user(app, user_id)
    assert rotated.totp_kek_id != old_key
    result = runner.invoke(args=["retire-key", old_key])
    assert result.exit_code == 0, result.output
    # The secret still opens with the new keyring, so the user can still log in.
    login(app.test_client(), user_id)
