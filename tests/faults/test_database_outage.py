"""The database goes away for a moment while a resident is saving.

The app must answer with its translated "try again" page (503; no stack trace, no personal
data, in the person's language and direction), keep everything saved before, and save again
as soon as the database is back: a page sent again and a phone's queued save both work.
"""
from __future__ import annotations

import html
import re
import uuid

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy.engine import make_url

from tests.resident.walk import accept_privacy, sign_in

from .outages import SqliteWriteLock, TcpProxy

TITLE = "Try again in a moment"
MESSAGE = ("The service is busy right now. Your saved answers are safe. "
           "Wait a moment and try again.")
NAME = {"given_names": "Nadia Outage", "family_name": "Haddad"}
TYPED = {"skills": "Repairs fishing boats 4417", "volunteering": "Taught sewing 4417"}
# What an error page must never show: internals of the failure.
INTERNALS = ("Traceback", "OperationalError", "sqlalchemy", "psycopg", "sqlite3", "INSERT ",
             "SELECT ", "UPDATE ", "database is locked", "Connection refused")
SQLITE_BUSY_MS = 300


@pytest.fixture
def outage(instance, database_url, monkeypatch):
    """cut() / restore() the database under the app built by the ``app`` fixture below."""
    if database_url is None:
        lock = SqliteWriteLock(instance / "selfreg.sqlite")
        yield lock
        lock.close()
        return
    url = make_url(database_url)
    proxy = TcpProxy(url.host, url.port)
    monkeypatch.setenv("SELFREG_DATABASE_URL", url.set(host="127.0.0.1", port=proxy.port)
                       .render_as_string(hide_password=False))
    yield proxy
    proxy.close()


@pytest.fixture
def app(outage, make_app):
    # Overrides the shared ``app``: this one reaches the database through ``outage``, and on
    # SQLite gives up on a held lock quickly (the production default waits 15 s).
    return make_app(SELFREG_SQLITE_BUSY_TIMEOUT_MS=SQLITE_BUSY_MS)


def _assert_try_again_page(app, response, language: str, direction: str,
                           secrets: list[str]) -> None:
    assert response.status_code == 503
    page = response.get_data(as_text=True)
    with app.test_request_context(), force_locale(language):
        title, message = gettext(TITLE), gettext(MESSAGE)
    if language != "en":
        assert title != TITLE and message != MESSAGE  # the catalogue translates them
    assert html.escape(title, quote=False) in page
    assert html.escape(message, quote=False) in page
    assert re.search(rf'<html lang="{language}" dir="{direction}">', page)
    for text in INTERNALS + tuple(secrets):
        assert text not in page


def test_outage_answers_try_again_and_nothing_is_lost(
        app, outage, on_postgres, create_registration, stored, caplog):
    registration_id, code, _ = create_registration()
    client = app.test_client()
    sign_in(client, code)
    accept_privacy(client)
    first = client.post("/q/name/save", data={**NAME, "revision": "0",
                                               "idempotency_key": str(uuid.uuid4())})
    assert first.status_code == 200
    queued_key = str(uuid.uuid4())  # the phone's save that will meet the outage
    secrets = [*NAME.values(), *TYPED.values(), code, registration_id]

    outage.cut()
    try:
        for language, direction in (("ar", "rtl"), ("en", "ltr"), ("ti", "ltr")):
            refused = client.post("/q/other_skills", data={**TYPED, "revision": "0"},
                                  headers={"Accept-Language": language})
            _assert_try_again_page(app, refused, language, direction, secrets)
        queued = client.post("/q/other_skills/save", data={
            **TYPED, "revision": "0", "idempotency_key": queued_key})
        assert queued.status_code == 503  # the phone keeps it in its outbox
        if on_postgres:  # with the server gone, reading fails too
            _assert_try_again_page(app, client.get("/q/name", headers={"Accept-Language": "ar"}),
                                   "ar", "rtl", secrets)
            assert client.get("/healthz").status_code == 503
    finally:
        outage.restore()

    # Back: the phone's queued save goes through once, and nothing saved before is lost.
    replayed = client.post("/q/other_skills/save", data={
        **TYPED, "revision": "0", "idempotency_key": queued_key})
    assert replayed.status_code == 200, replayed.get_data(as_text=True)[:300]
    assert replayed.get_json()["duplicate"] is False  # the failed attempt left nothing behind
    now = stored(registration_id)
    assert now.answers["name"] == NAME and now.revisions["name"] == 1
    assert now.answers["other_skills"] == TYPED and now.revisions["other_skills"] == 1
    assert now.keys[queued_key] == ("other_skills", 1)

    # The person presses Save on the page again: a normal save on the stored revision.
    again = client.post("/q/other_skills", data={**TYPED, "revision": "1"})
    assert again.status_code == 303
    assert stored(registration_id).revisions["other_skills"] == 2
    page = client.get("/q/other_skills").get_data(as_text=True)
    assert html.escape(TYPED["skills"]) in page
    assert client.get("/healthz").status_code == 200

    # The failure was logged without personal data (only the exception type).
    assert "database unavailable" in caplog.text
    for text in secrets[:-1]:  # the log may name no person's words, code or name
        assert text not in caplog.text
