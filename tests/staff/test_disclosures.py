"""Recipients that hold a case file (GDPR art. 19): when a guide erases or restricts a
registration, or the operator erases it, they are told which recipients already have its case
file and must be told; from the audit trail's export events, pulled through the real API."""
from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import delete, select

from selfreg import access_codes, audit, db, registrations
from selfreg.crypto.sealed_keys import generate_recipient_keypair, recipient_public_key_to_text
from selfreg.exports.disclosures import recipients_holding
from selfreg.models import ExportRecipient, Registration, Role

from .test_guide_restriction import _demo_people

TELL_ERASED = "tell them that the registration is erased (GDPR article 19)"
TELL_RESTRICTED = "tell them that the registration is restricted (GDPR article 19)"
HEADING = "Recipients that have the case file"


def _recipient(app, name: str) -> str:
    """A registered recipient with a pull token; returns the token."""
    _private, public = generate_recipient_keypair()
    token = secrets.token_urlsafe(32)
    with app.app_context():
        db.session().add(ExportRecipient(
            name=name, public_key=recipient_public_key_to_text(public),
            fingerprint=public.fingerprint,
            pull_token_hash=hashlib.sha256(token.encode()).digest()))
        db.session().commit()
    return token


def _pull(app, token: str) -> None:
    response = app.test_client().get("/api/v1/case-files",
                                     headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    response.get_data()  # the bundle is marked as sent once it has been read to the end
    response.close()


def test_the_recipients_come_from_the_export_events(app, world):
    sent, other = _demo_people(app, world.centre_a, 2)
    _pull(app, _recipient(app, "NAV Bergen"))
    _pull(app, _recipient(app, "Bergen kommune"))
    with app.app_context():
        session = db.session()
        # The counsellor's own PDF is not a disclosure to a recipient.
        audit.record(session, audit.Action.EXPORT, registration_id=sent, detail="summary pdf")
        session.commit()
        holding = recipients_holding(session, sent)
        assert sorted(item.recipient for item in holding) == ["Bergen kommune", "NAV Bergen"]
        assert holding[0].last_at >= holding[1].last_at  # newest first
        assert {item.recipient for item in recipients_holding(session, other)} == {
            "Bergen kommune", "NAV Bergen"}
        assert recipients_holding(session, "0" * 32) == []
        # A recipient removed since is still named, by its key.
        gone = session.scalar(select(ExportRecipient).where(ExportRecipient.name == "NAV Bergen"))
        prefix = gone.fingerprint[:16]
        session.execute(delete(ExportRecipient).where(ExportRecipient.id == gone.id))
        session.commit()
        unnamed = [item for item in recipients_holding(session, sent) if item.recipient is None]
        assert [item.fingerprint for item in unnamed] == [prefix]


def _confirm_and_do(guide, url: str, tell: str, done: str) -> None:
    """The confirmation page lists the recipient; the message after doing it names it."""
    page = guide.get(url).get_data(as_text=True)
    assert HEADING in page and tell in page and "NAV Bergen, last sent" in page
    response = guide.post(url)
    shown = guide.get(response.headers["Location"]).get_data(as_text=True)
    assert (f"Its case file was sent to NAV Bergen: tell them that it is {done} (GDPR "
            "article 19).") in shown


def test_a_guide_erasing_or_restricting_is_told_whom_to_tell(app, world, make_user, login):
    sent, erased = _demo_people(app, world.centre_a, 2)
    _pull(app, _recipient(app, "NAV Bergen"))
    fresh = _demo_people(app, world.centre_b, 1)[0]  # submitted after the pull: never sent
    guide = login(app.test_client(), make_user(Role.GUIDE, centres=[world.centre_a]))

    status = guide.get(f"/staff/guide/{sent}").get_data(as_text=True)
    assert "<dt>Sent to</dt>" in status and "NAV Bergen, last sent" in status
    _confirm_and_do(guide, f"/staff/guide/{sent}/restrict", TELL_RESTRICTED, "restricted")
    lift = guide.get(f"/staff/guide/{sent}/restriction/lift").get_data(as_text=True)
    assert HEADING not in lift  # lifting is not passed on

    _confirm_and_do(guide, f"/staff/guide/{erased}/erase", TELL_ERASED, "erased")

    other_guide = login(app.test_client(), make_user(Role.GUIDE, centres=[world.centre_b]))
    for url in (f"/staff/guide/{fresh}", f"/staff/guide/{fresh}/erase",
                f"/staff/guide/{fresh}/restrict"):
        page = other_guide.get(url).get_data(as_text=True)
        assert HEADING not in page and "last sent" not in page and "Sent to" not in page


def test_the_staff_pages_say_it_in_bokmal(app, world, make_user, login):
    rid = _demo_people(app, world.centre_a, 1)[0]
    _pull(app, _recipient(app, "NAV Bergen"))
    guide = login(app.test_client(), make_user(Role.GUIDE, centres=[world.centre_a]),
                  language="nb")
    page = guide.get(f"/staff/guide/{rid}/erase").get_data(as_text=True)
    assert "Eksportmottakere som har saksfilen" in page and "NAV Bergen, sist sendt" in page


def test_the_erase_command_names_the_recipients(app, world, registration_in):
    rid, code, _ = registration_in(world.centre_a)
    with app.app_context():
        registrations.submit(db.session().get(Registration, rid))
        db.session().commit()
    _pull(app, _recipient(app, "Bergen kommune"))
    result = app.test_cli_runner().invoke(
        args=["erase", "--code", access_codes.format_code(code), "--yes"])
    assert result.exit_code == 0, result.output
    assert "tell them that it is erased (GDPR article 19)" in result.output
    assert "Bergen kommune, last sent" in result.output
    with app.app_context():  # the record of the disclosure outlives the data
        assert [item.recipient for item in recipients_holding(db.session(), rid)] == [
            "Bergen kommune"]
