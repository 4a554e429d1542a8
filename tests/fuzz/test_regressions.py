"""The failing examples the fuzz tests found, kept as plain tests: each was a 500, lost or
garbled data, or an answer that depended on the database."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

from sqlalchemy import select

from selfreg import db
from selfreg.models import Centre, Region, Registration, Role

from .cases import fresh_case_file, import_lines, pull_state, records_in
from .support import assert_answered, snapshot, walk_every_branch

# --- the questionnaire's forms -------------------------------------------------------------------


NUMBERS_INT_CANNOT_READ = [
    # "²" passes str.isdigit() but int() refuses it; 5000 digits exceed int()'s limit.
    ("school_details", {"years": "²", "country": "SY", "completed": "yes"}),
    ("school_details", {"years": "9" * 5000, "country": "SY", "completed": "yes"}),
    ("birth", {"birth_date__year": "²²²²"}),
    ("birth", {"birth_date__year": "1990", "birth_date__month": "²"}),
    ("birth", {"birth_date__year": "1990", "birth_date__month": "3",
               "birth_date__day": "9" * 5000}),
]


def test_numbers_int_cannot_read_are_refused_with_a_message(resident):
    before = resident.stored()
    for step, data in NUMBERS_INT_CANNOT_READ:
        response = resident.client.post(f"/q/{step}", data=data,
                                        headers={"Accept-Language": "en"})
        body = assert_answered(response)
        assert response.status_code == 400 and 'class="error-summary"' in body, data
    assert resident.stored() == before


def test_a_superscript_revision_is_no_revision(resident):
    """The hidden revision field is only a check: an odd value means "no check", not a 500."""
    data = {"given_names": "Amina", "family_name": "Haile", "revision": "²"}
    assert resident.client.post("/q/name", data=data).status_code == 303
    response = resident.client.post("/q/name/save", json={"fields": data, "revision": "²"})
    assert response.status_code == 200


JSON_NO_FORM_CAN_READ = [
    "[" * 3000 + "]" * 3000,  # deeper than Python's parser goes
    "[1, 2]", '"text"', "7", '{"given_names": {"nested": 1}, "family_name": [1, [2]]}',
]


def test_json_no_form_can_read_is_refused(resident):
    before = resident.stored()
    for body in JSON_NO_FORM_CAN_READ:
        for path in ("/q/name", "/", "/privacy", "/q/work/add", "/q/name/save"):
            response = resident.client.post(path, data=body, content_type="application/json")
            assert_answered(response)
            assert response.status_code == 400, (path, body[:20])
    assert resident.stored() == before


# --- staff ---------------------------------------------------------------------------------------


def test_staff_login_with_a_nul_in_the_address(app, client, world, make_user):
    """PostgreSQL refuses text holding NUL with an error: the address is cleaned first."""
    make_user("guide", centres=[world.centre_a])
    response = client.post("/staff/", data={"email": "a\x00@example.no", "password": "x" * 12})
    body = assert_answered(response)
    assert response.status_code == 401 and 'class="error-summary"' in body


def test_registration_ids_that_cannot_be_one(app, world, make_user, login):
    """In a URL: 404 (PostgreSQL refused the NUL with an error); in guided mode's End button,
    which carries a keyed tag of the id: 400 (non-ASCII broke the tag and the comparison)."""
    client = login(app.test_client(), make_user("guide", centres=[world.centre_a]))
    for registration_id in ("\x00", "0" * 31 + "\x00", "é", "ABC"):
        for path in ("/staff/guide/{}", "/staff/guide/{}/erase", "/staff/guide/{}/identity/name"):
            response = client.get(path.format(quote(registration_id, safe="")))
            assert_answered(response)
            assert response.status_code == 404
    for registration_id, token in [("é", "x"), ("0" * 32, "é"), ("\x00", "")]:
        response = client.post("/staff/guide/guided/end",
                               data={"registration_id": registration_id, "guided_token": token})
        assert_answered(response)
        assert response.status_code == 400


def test_superscript_page_numbers_and_revisions_in_staff_pages(app, world, make_user, login,
                                                               registration_in):
    guide = login(app.test_client(), make_user("guide", centres=[world.centre_a]))
    assert guide.get("/staff/guide?page=²").status_code == 200
    registration_id, code, _token = registration_in(world.centre_a)
    walk_every_branch(app, code, submit=True)
    counsellor = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    assert counsellor.get("/staff/counsellor?page=²").status_code == 200
    response = counsellor.post(f"/staff/counsellor/profile/{registration_id}/note",
                               data={"recommendation": "Norwegian course", "revision": "²"})
    assert response.status_code == 303


def test_admin_names_are_cleaned_like_any_typed_text(app, world, make_user, login):
    client = login(app.test_client(), make_user(Role.ADMIN))
    hostile = "Mottak\x00 \u202eNord"
    assert client.post("/staff/admin/centres/new",
                       data={"name": hostile, "municipality": "Tromsø\x07"}).status_code == 303
    assert client.post("/staff/admin/regions/new",
                       data={"region_name": "Region\u2066 Nord\x00"}).status_code == 303
    with app.app_context():
        session = db.session()
        centre = session.scalar(select(Centre).where(Centre.name == "Mottak Nord"))
        assert centre is not None and centre.municipality == "Tromsø"
        assert session.scalar(select(Region).where(Region.name == "Region Nord")) is not None
    # The audit trail up to the last day there is (the day after it overflowed).
    response = client.get("/staff/admin/audit?date_from=0001-01-01&date_to=9999-12-31")
    assert_answered(response)
    assert response.status_code == 200


# --- the pull API --------------------------------------------------------------------------------


def test_since_means_the_same_instant_on_every_database(app, puller):
    """SQLite stores times as text without an offset: "13:00+01:00" must be read as 12:00 UTC;
    and a time before the calendar starts in UTC is refused without moving the cursor."""
    _cursor, changed_at = pull_state(app, puller)
    auth = {"Authorization": f"Bearer {puller.token}"}
    for offset, shift, expected in [(1, 0, 1), (-1, 30, 0), (14, -1, 1)]:
        zone = timezone(timedelta(hours=offset))
        since = (changed_at + timedelta(minutes=shift)).astimezone(zone)
        response = puller.client.get(f"/api/v1/case-files?since={quote(since.isoformat())}",
                                     headers=auth)
        assert response.status_code == 200
        assert records_in(response.get_data(), puller) == expected, since
    cursor = pull_state(app, puller)[0]
    response = puller.client.get("/api/v1/case-files?since=0001-01-01T00:00:00%2B01:00",
                                 headers=auth)
    assert_answered(response)
    assert response.status_code == 400
    assert pull_state(app, puller)[0] == cursor


# --- import --------------------------------------------------------------------------------------


def test_a_line_nested_too_deeply_is_refused_and_the_rest_imported(exported):
    good = json.dumps(fresh_case_file(exported.document, 3)).encode() + b"\n"
    counts, refusals = import_lines(exported.app, [b"[" * 100_000 + b"\n", good])
    assert (counts.imported, counts.refused) == (1, 1)
    assert refusals[0].messages() == ["line 1: not valid JSON: nested too deeply"]


HIDDEN = "contains a control or text-direction character"
CENTRES_WITH_HIDDEN_TEXT = [
    ("name", "Mottak\x00A", f"centre.name: {HIDDEN} (U+0000)"),
    ("name", "Mottak\u202eA", f"centre.name: {HIDDEN} (U+202E)"),
    ("name", "   ", "centre.name: is not cleaned text"),
    ("municipality", "Bergen\x00", f"centre.municipality: {HIDDEN} (U+0000)"),
]


def test_centre_names_are_text_like_any_other(exported):
    before = snapshot(exported.app, exported.registration_id)
    lines = []
    for field, value, _message in CENTRES_WITH_HIDDEN_TEXT:
        document = fresh_case_file(exported.document, 4)
        document["centre"][field] = value
        lines.append(json.dumps(document).encode() + b"\n")
    counts, refusals = import_lines(exported.app, lines)
    assert counts.refused == len(lines)
    for refusal, (_field, _value, message) in zip(refusals, CENTRES_WITH_HIDDEN_TEXT):
        assert refusal.messages()[0].startswith(f"line {refusal.line}: {message}")
    assert snapshot(exported.app, exported.registration_id) == before


def test_times_with_an_offset_are_stored_as_the_same_instant(exported):
    document = fresh_case_file(exported.document, 5)
    document["registration"]["updated_at"] = "2025-01-01T12:00:00+14:00"
    document["registration"]["created_at"] = "0001-01-01T00:00:00+14:00"
    counts, refusals = import_lines(exported.app, [json.dumps(document).encode() + b"\n"])
    assert refusals[0].messages() == ["line 1: registration.created_at: no such time in UTC"]
    document["registration"]["created_at"] = "2024-12-31T23:00:00-01:00"
    counts, refusals = import_lines(exported.app, [json.dumps(document).encode() + b"\n"])
    assert (counts.imported, refusals) == (1, [])
    with exported.app.app_context():
        imported = db.session().get(Registration, document["registration"]["id"])
        assert imported.updated_at == datetime(2024, 12, 31, 22, 0, tzinfo=UTC)
        assert imported.created_at == datetime(2025, 1, 1, 0, 0, tzinfo=UTC)
