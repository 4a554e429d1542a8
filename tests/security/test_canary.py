"""Canary: unique markers typed into every field must never reach the disk in clear.

A resident walks the whole questionnaire through the test client with a marker in every
personal field. Then the raw bytes of the SQLite database, its write-ahead log and its journal
are searched for each marker (UTF-8 and UTF-16-LE), while the app runs, after its connections
are closed, and after a checkpoint. The markers must still be readable through the app.
"""
from __future__ import annotations

import logging

import sqlite3

from selfreg import access_codes, db, keys
from selfreg.models import Registration
from selfreg.storage import PersonalStore

from ..resident.walk import accept_privacy, sign_in, walk
from ..databases import stored_bytes
from .conftest import sqlite_path

MARKERS = {
    "given": "Zyqgivenamina",
    "family": "Zyqfamiliehåløy",
    "birth": "1987-03-19",
    "duf": "987654321098",
    "phone": "913 57 246",
    "municipality": "Zyqkommunevik",
    "mother_tongue": "Zyqtigrinyatext",
    "other_language": "Zyqarabictext",
    "upper_programme": "Zyqupperprogramme",
    "upper_school": "Zyqupperschool",
    "higher_programme": "Zyqhigherprogramme",
    "higher_school": "Zyqcollegeasmara",
    "how_far": "Zyqhowfarthree",
    "training": "Zyqweldingcourse",
    "occupation": "Zyqnurseoccupation",
    "tasks": "Zyqcaredforpatients",
    "skills": "Zyqcooking مهارة",
    "volunteering": "Zyqvolunteerwork",
    "wish_work": "Zyqwishwork",
    "work_more": "Zyqworkmore",
    "education": "Zyqeducationwish",
}
M = MARKERS

ANSWERS = {
    "name": {"given_names": M["given"], "family_name": M["family"]},
    "birth": {"birth_date__year": "1987", "birth_date__month": "3", "birth_date__day": "19"},
    "origin": {"country_of_origin": "ER", "duf_number": "9876 5432 1098"},
    "contact": {"phone": "+47 " + M["phone"], "municipality": M["municipality"]},
    "other_languages_any": {"any": "yes"},
    "upper_details": {
        "field": "053", "programme": M["upper_programme"], "institution": M["upper_school"],
        "country": "ER", "years": "3", "status": "completed", "end_year": "2005",
        "documents": "with_me",
    },
    "training_any": {"any": "yes"},
    "other_skills": {"skills": M["skills"], "volunteering": M["volunteering"]},
    "wishes_work": {"work_text": M["wish_work"], "work": "2221", "work_more": M["work_more"]},
    "wishes_education": {"education": M["education"], "need": "yes", "needs": ["norwegian"]},
}

ENTRIES = {
    "mother_tongue": [{"language": "ti", "language_text": M["mother_tongue"]}],
    "other_languages": [{"language": "ar", "language_text": M["other_language"],
                         "understand": "B2", "speak": "B1", "read": "A2", "write": "A1"}],
    "higher": [{
        "level": "6", "field": "091", "programme": M["higher_programme"],
        "institution": M["higher_school"], "country": "ER", "years": "4",
        "status": "interrupted", "end_year": "2012", "how_far": M["how_far"], "reason": "war",
        "documents": "lost",
    }],
    "training": [{"kind": "course", "name": M["training"], "country": "ER", "year": "2010",
                  "months": "3", "documents": "with_me"}],
    "work": [{
        "occupation_text": M["occupation"], "occupation": "2221", "arrangement": "employed",
        "tasks": M["tasks"], "years": "3", "country": "ER", "licence": "yes",
    }],
}

# Shown on the receipt (the others are kept, and read back, but the page shows a label instead,
# e.g. the language name for a language chosen from the list).
SHOWN = ("given", "family", "duf", "phone", "municipality", "upper_programme", "upper_school",
         "higher_programme", "higher_school", "how_far", "training", "tasks", "skills",
         "volunteering", "work_more", "education")


def _needles(secrets: list[str]) -> list[tuple[str, bytes]]:
    out = []
    for text in secrets:
        out.append((text, text.encode("utf-8")))
        out.append((text, text.encode("utf-16-le")))
    return out



def _assert_nothing_in_clear(app, secrets: list[str]) -> None:
    raw = stored_bytes(app)
    assert b"Testmottak" in raw  # the centre's name is stored in clear: the search can see
    for text, needle in _needles(secrets):
        assert needle not in raw, f"{text!r} found in clear in the database"


def _flatten(value) -> str:
    return repr(value)


def test_no_marker_reaches_the_disk_in_clear(app, client, create_registration, caplog,
                                             on_postgres):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("selfreg").debug("canary walk starts")  # proves capture is on
    registration_id, code, _token = create_registration()
    sign_in(client, access_codes.format_code(code))
    accept_privacy(client)
    visited = walk(client, answers=ANSWERS, entries=ENTRIES)
    for step in ("training", "other_languages", "higher", "work", "upper_details"):
        assert step in visited
    review = client.get("/review", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Not answered yet" not in review
    assert client.post("/submit").status_code == 303

    # Readable through the app: on the receipt, and every marker through the storage seam.
    receipt = client.get("/receipt", headers={"Accept-Language": "en"}).get_data(as_text=True)
    for key in SHOWN:
        assert M[key] in receipt, key
    with app.app_context():
        session = db.session()
        registration = session.get(Registration, registration_id)
        stored = _flatten(PersonalStore(session, keys.keyring()).load_all(registration))
    for key, marker in MARKERS.items():
        assert marker in stored, key

    # The resident's code is a secret as well: only its keyed hash is stored.
    secrets = list(MARKERS.values()) + [code, access_codes.format_code(code)]
    _assert_nothing_in_clear(app, secrets)  # while the app is running

    db.database(app).engine.dispose()  # all connections closed
    _assert_nothing_in_clear(app, secrets)

    if not on_postgres:  # SQLite: and once the WAL is written back into the file
        connection = sqlite3.connect(sqlite_path(app))
        try:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            _assert_nothing_in_clear(app, secrets)
        finally:
            connection.close()
        _assert_nothing_in_clear(app, secrets)

    # Nothing personal was logged on the way, at any level.
    assert "canary walk starts" in caplog.text
    for text in secrets:
        assert text not in caplog.text

    # The session cookie holds the registration id only.
    cookie = client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    assert cookie is not None
    decoded = app.session_interface.get_signing_serializer(app).loads(cookie.value)
    for text in secrets:
        assert text not in cookie.value and text not in repr(decoded)
