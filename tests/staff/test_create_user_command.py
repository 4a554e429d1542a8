"""`flask --app selfreg create-user EMAIL --role ROLE [--centre NAME]`, password on stdin."""
from __future__ import annotations

from selfreg import accounts, db
from selfreg.models import AuditEvent, User


def test_create_the_first_admin_with_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "Admin@Example.no", "--role", "admin"],
                           input="a long enough password\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session().query(User).one()
        assert user.email == "admin@example.no" and user.role == "admin"
        assert "a long enough password" not in user.password_hash
        assert accounts.find_by_password(db.session(), "admin@example.no", "a long enough password")
        assert db.session().query(AuditEvent).filter_by(action="user.create").count() == 1


def test_guides_need_a_known_centre_and_counsellors_a_region(app, centre):
    runner = app.test_cli_runner()
    password = "a long enough password\n"
    assert runner.invoke(args=["create-user", "g@example.no", "--role", "guide"], input=password).exit_code != 0
    result = runner.invoke(args=["create-user", "g@example.no", "--role", "guide", "--centre", "Nowhere"], input=password)
    assert result.exit_code != 0 and "No centre" in result.output
    result = runner.invoke(args=["create-user", "g@example.no", "--role", "guide", "--centre", centre], input=password)
    assert result.exit_code == 0
    assert runner.invoke(args=["create-user", "c@example.no", "--role", "counsellor"], input=password).exit_code != 0
    result = runner.invoke(args=["create-user", "c@example.no", "--role", "counsellor", "--region", "Vest"], input=password)
    assert result.exit_code == 0
    with app.app_context():
        guide = db.session().query(User).filter_by(email="g@example.no").one()
        assert [c.name for c in guide.centres] == [centre]
        assert db.session().query(User).filter_by(email="c@example.no").one().region.name == "Vest"


def test_short_passwords_duplicates_and_bad_addresses_are_refused(app):
    runner = app.test_cli_runner()
    assert "at least 12" in runner.invoke(args=["create-user", "a@example.no", "--role", "admin"], input="short\n").output
    assert "e-mail" in runner.invoke(args=["create-user", "not-an-address", "--role", "admin"], input="a long enough password\n").output
    runner.invoke(args=["create-user", "a@example.no", "--role", "admin"], input="a long enough password\n")
    assert "exists" in runner.invoke(args=["create-user", "A@example.no", "--role", "admin"], input="a long enough password\n").output
