"""Saves from phones that lose their connection: once each, never over newer answers.

Covers ``POST /q/<step>/save`` (what the page's JavaScript and the offline replay use) and the
same rules on the plain form posts (revision and entry id rendered into every form).
"""
from __future__ import annotations

import re
import uuid

import pytest
from sqlalchemy import func, select

from selfreg import db
from selfreg.models import IdempotencyKey, Registration

from .walk import ENTRIES, VALID, accept_privacy, sign_in, walk

EN = {"Accept-Language": "en"}


@pytest.fixture
def person(client, create_registration):
    registration_id, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    return registration_id


def stored(app, registration_id):
    """(answers, revisions) straight from the store."""
    from selfreg import keys
    from selfreg.storage import PersonalStore

    with app.app_context():
        store = PersonalStore(db.session(), keys.keyring())
        registration = db.session().get(Registration, registration_id)
        return store.load_all(registration), store.revisions(registration)


def key_rows(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(IdempotencyKey))


def save(client, step, data, **meta):
    return client.post(f"/q/{step}/save", data={**data, **meta}, headers={"Accept": "application/json"})


def test_json_save_answers_with_revision_and_next_page(client, app, person):
    response = save(client, "name", VALID["name"], revision="0", idempotency_key=str(uuid.uuid4()))
    assert response.status_code == 200
    body = response.get_json()
    assert body == {"revision": 1, "duplicate": False, "entry_id": None, "next": "/q/birth"}
    answers, revisions = stored(app, person)
    assert answers["name"] == {"given_names": "Amina", "family_name": "Haile"}
    assert revisions["name"] == 1
    assert key_rows(app) == 1


def test_a_replay_with_the_same_key_changes_nothing(client, app, person):
    key = str(uuid.uuid4())
    assert save(client, "name", VALID["name"], revision="0", idempotency_key=key).status_code == 200
    again = save(client, "name", VALID["name"], revision="0", idempotency_key=key)
    assert again.status_code == 200 and again.get_json()["duplicate"] is True
    assert stored(app, person)[1]["name"] == 1
    assert key_rows(app) == 1


def test_a_save_based_on_an_older_revision_is_refused_with_the_stored_one(client, app, person):
    assert save(client, "name", VALID["name"], revision="0").status_code == 200
    other = {"given_names": "Amena", "family_name": "Haile"}
    assert save(client, "name", other, revision="1").status_code == 200  # another device, newer
    late = save(client, "name", {"given_names": "Old", "family_name": "Phone"}, revision="1",
                idempotency_key=str(uuid.uuid4()))
    assert late.status_code == 409
    assert late.get_json() == {"error": "conflict", "revision": 2}
    assert stored(app, person)[0]["name"]["given_names"] == "Amena"
    assert key_rows(app) == 0  # a refused save leaves no key behind: the person may retry it


def test_the_plain_form_shows_a_conflict_and_then_keeps_the_persons_choice(client, app, person):
    form = client.get("/q/name", headers=EN).get_data(as_text=True)
    assert 'name="revision" value="0"' in form
    client.post("/q/name", data={**VALID["name"], "revision": "0"})
    mine = {"given_names": "Amina Tesfay", "family_name": "Haile"}
    refused = client.post("/q/name", data={**mine, "revision": "0"}, headers=EN)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409
    assert "These answers were changed on another device" in page
    assert 'value="Amina Tesfay"' in page  # what the person typed is not lost
    assert 'name="revision" value="1"' in page  # pressing again means "keep mine"
    assert stored(app, person)[0]["name"]["given_names"] == "Amina"
    kept = client.post("/q/name", data={**mine, "revision": "1"})
    assert kept.status_code == 303
    assert stored(app, person)[0]["name"]["given_names"] == "Amina Tesfay"


def test_posts_without_a_revision_still_save(client, app, person):
    # Older pages and scripts that do not send a revision are not checked (nothing to compare).
    assert client.post("/q/name", data=VALID["name"]).status_code == 303
    assert client.post("/q/name", data=VALID["name"]).status_code == 303
    assert stored(app, person)[1]["name"] == 2


def test_invalid_answers_come_back_as_field_messages(client, person):
    response = save(client, "birth", {"birth_date__year": "20"}, revision="0")
    assert response.status_code == 400
    body = response.get_json()
    assert body["error"] == "invalid" and list(body["fields"]) == ["birth_date__year"]


def test_json_body_is_accepted(client, app, person):
    response = client.post("/q/driving/save", json={
        "fields": {"classes": ["B", "C1"], "country": "ER"}, "revision": 0,
        "idempotency_key": str(uuid.uuid4()),
    })
    assert response.status_code == 200, response.get_data(as_text=True)
    assert stored(app, person)[0]["driving"] == {"classes": ["B", "C1"], "country": "ER"}


def test_answers_kept_for_another_person_are_refused(client, app, person):
    response = save(client, "name", VALID["name"], owner="0123456789abcdef")
    assert response.status_code == 403
    assert "name" not in stored(app, person)[0]


def test_signed_out_and_submitted_are_told_apart(client, app, person):
    walk(client)
    client.post("/submit")
    assert save(client, "name", VALID["name"]).status_code == 410
    client.post("/signout")
    assert save(client, "name", VALID["name"]).status_code == 401


def test_a_step_that_is_not_asked_is_not_saved(client, person):
    walk(client, answers={"work_any": {"any": "no"}}, stop_before="digital")
    response = save(client, "work", ENTRIES["work"][0], entry_id="a" * 12)
    assert response.status_code == 404


def test_csrf_token_is_required(make_app, create_registration):
    app = make_app(csrf=True)
    client = app.test_client()
    _rid, code, _ = create_registration()
    page = client.get("/").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/", data={"code": code, "csrf_token": token})  # a new session, a new token
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/privacy").get_data(as_text=True)).group(1)
    client.post("/privacy", data={"accept": "y", "csrf_token": token})
    assert save(client, "name", VALID["name"]).get_json() == {"error": "csrf"}
    assert save(client, "name", VALID["name"], csrf_token=token).status_code == 200
    header = client.post("/q/birth/save", json={"fields": VALID["birth"]},
                         headers={"X-CSRFToken": token})
    assert header.status_code == 200


# --- repeatable entries ----------------------------------------------------------------------


@pytest.fixture
def at_work(client, person):
    walk(client, stop_before="work")
    return client


def entries(app, person, step="work"):
    return stored(app, person)[0].get(step, {}).get("entries", [])


def test_adding_the_same_entry_twice_keeps_one(at_work, app, person):
    entry = dict(ENTRIES["work"][0], entry_id="0123456789ab")
    first = save(at_work, "work", entry)
    assert first.status_code == 200 and first.get_json()["next"] == "/q/work"
    assert save(at_work, "work", entry).get_json()["duplicate"] is True
    assert at_work.post("/q/work/add", data=entry).status_code == 303  # the plain form, too
    assert [e["id"] for e in entries(app, person)] == ["0123456789ab"]


def test_entries_added_on_two_devices_do_not_conflict(at_work, app, person):
    first = dict(ENTRIES["work"][0], entry_id="aaaaaaaaaaaa", revision="0")
    second = dict(ENTRIES["work"][0], entry_id="bbbbbbbbbbbb", revision="0", occupation_text="cook",
                  occupation="5120")
    assert save(at_work, "work", first).status_code == 200
    assert save(at_work, "work", second).status_code == 200  # based on revision 0 too: still added
    assert [e["id"] for e in entries(app, person)] == ["aaaaaaaaaaaa", "bbbbbbbbbbbb"]


def test_changing_an_entry_conflicts_only_when_that_entry_changed(at_work, app, person):
    for entry_id in ("aaaaaaaaaaaa", "bbbbbbbbbbbb"):
        save(at_work, "work", dict(ENTRIES["work"][0], entry_id=entry_id))
    page = at_work.get("/q/work/aaaaaaaaaaaa").get_data(as_text=True)
    digest_a = re.search(r'name="entry_digest" value="([0-9a-f]+)"', page).group(1)
    revision = re.search(r'name="revision" value="(\d+)"', page).group(1)
    digest_b = re.search(r'name="entry_digest" value="([0-9a-f]+)"',
                         at_work.get("/q/work/bbbbbbbbbbbb").get_data(as_text=True)).group(1)
    # Another device changes entry b: a change to entry a based on the older page still goes in.
    changed_b = dict(ENTRIES["work"][0], years="9", entry_id="bbbbbbbbbbbb", entry_digest=digest_b,
                     revision=revision)
    assert save(at_work, "work", changed_b).status_code == 200
    changed_a = dict(ENTRIES["work"][0], years="5", entry_id="aaaaaaaaaaaa", entry_digest=digest_a,
                     revision=revision)
    assert save(at_work, "work", changed_a).status_code == 200
    # ... but a second change to entry a from that same old page would overwrite: refused.
    again = dict(changed_a, years="1")
    refused = save(at_work, "work", again)
    assert refused.status_code == 409
    assert [e["years"] for e in entries(app, person)] == [5, 9]
    plain = at_work.post("/q/work/aaaaaaaaaaaa", data=again, headers=EN)
    assert plain.status_code == 409 and "changed on another device" in plain.get_data(as_text=True)


def test_the_add_form_carries_a_fresh_entry_id(at_work):
    page = at_work.get("/q/work/add").get_data(as_text=True)
    first = re.search(r'name="entry_id" value="([0-9a-f]{12})" data-fresh', page).group(1)
    second = re.search(r'name="entry_id" value="([0-9a-f]{12})"',
                       at_work.get("/q/work/add").get_data(as_text=True)).group(1)
    assert first != second


def test_offline_routes_follow_the_branching(client, person):
    walk(client, stop_before="work_any")
    page = client.get("/q/work_any").get_data(as_text=True)
    routes = re.search(r"data-next='([^']+)'", page).group(1)
    import json

    parsed = json.loads(routes)
    assert parsed["by"]["any"] == {"yes": "/q/work", "no": "/q/digital"}
    assert parsed["default"] == "/q/digital"
    ahead = re.search(r'data-ahead="([^"]*)"', page).group(1).split()
    assert ahead == ["/q/digital", "/q/other_skills", "/q/wishes_work"]
