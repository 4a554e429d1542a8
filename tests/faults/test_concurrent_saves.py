"""Two devices save the same step of the same registration at the same moment.

The same code is used in two browsers (the person's phone and a computer at the centre). Both
pages show the same revision; a barrier releases both saves together, many rounds. Exactly one
wins; the other gets the conflict answer (409: JSON for the page's script, the form again with
what was typed for a phone without JavaScript); pressing again on the new revision keeps that
device's answers, and nothing acknowledged is lost on the way.
"""
from __future__ import annotations

import html
import re
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial

from tests.resident.walk import accept_privacy, sign_in

ROUNDS = 12
ENTRY_ROUNDS = 9  # two entries a round; the step holds at most 20
EN = {"Accept-Language": "en"}
CONFLICT_TITLE = "These answers were changed on another device"
BARRIER_SECONDS = 20


def _input_value(page: str, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    assert found, f"no input {name}"
    return html.unescape(found.group(1))


def _name(device: str, round_number: int) -> dict[str, str]:
    return {"given_names": f"Given {device} {round_number}", "family_name": f"Family {device}"}


def _two_devices(app, create_registration):
    registration_id, code, _ = create_registration()
    devices = {"phone": app.test_client(), "centre": app.test_client()}
    for client in devices.values():
        sign_in(client, code)
    accept_privacy(devices["phone"])  # once for the registration
    return registration_id, devices


def _at_once(work: dict, barrier: threading.Barrier) -> dict:
    """Run each device's save in its own thread, released together by the barrier."""

    def run(item):
        device, save = item
        barrier.wait(timeout=BARRIER_SECONDS)
        return device, save()

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        return dict(pool.map(run, work.items()))


def test_same_step_same_revision_one_wins_and_a_retry_keeps_the_other(
        app, create_registration, stored):
    registration_id, devices = _two_devices(app, create_registration)
    barrier = threading.Barrier(len(devices))
    for round_number in range(ROUNDS):
        plain_form = round_number % 2 == 1  # alternate: the page's script, and no JavaScript
        shown = {device: client.get("/q/name", headers=EN).get_data(as_text=True)
                 for device, client in devices.items()}
        revision = int(_input_value(shown["phone"], "revision"))
        assert int(_input_value(shown["centre"], "revision")) == revision
        typed = {device: _name(device, round_number) for device in devices}
        keys = {device: str(uuid.uuid4()) for device in devices}

        path = "/q/name" if plain_form else "/q/name/save"
        posts = {device: partial(client.post, path, headers=EN, data={
            **typed[device], "revision": str(revision),
            # A page without JavaScript sends the key field empty.
            "idempotency_key": "" if plain_form else keys[device],
        }) for device, client in devices.items()}
        answers = _at_once(posts, barrier)
        won = 303 if plain_form else 200
        statuses = sorted(response.status_code for response in answers.values())
        assert statuses == [won, 409], f"round {round_number}: {statuses}"
        winner = next(d for d, response in answers.items() if response.status_code == won)
        loser = next(d for d in devices if d != winner)
        now = stored(registration_id)
        assert now.revisions["name"] == revision + 1
        assert now.answers["name"] == typed[winner]
        refused = answers[loser]

        if plain_form:
            page = refused.get_data(as_text=True)
            assert CONFLICT_TITLE in page
            # The form comes back with what this device typed and the new revision.
            kept = {field: _input_value(page, field) for field in typed[loser]}
            assert kept == typed[loser]
            assert int(_input_value(page, "revision")) == revision + 1
            retry = devices[loser].post("/q/name", data={
                **kept, "revision": _input_value(page, "revision"), "idempotency_key": ""})
            assert retry.status_code == 303
        else:
            assert refused.get_json() == {"error": "conflict", "revision": revision + 1}
            assert keys[loser] not in now.keys  # refused: the phone may send it again
            assert now.keys[keys[winner]] == ("name", revision + 1)
            retry = devices[loser].post("/q/name/save", data={
                **typed[loser], "revision": str(refused.get_json()["revision"]),
                "idempotency_key": keys[loser]})
            assert retry.status_code == 200
            assert retry.get_json()["revision"] == revision + 2

        after = stored(registration_id)
        assert after.revisions["name"] == revision + 2
        assert after.answers["name"] == typed[loser]  # the retry kept the loser's answers
        if not plain_form:
            assert after.keys[keys[winner]] == ("name", revision + 1)
            assert after.keys[keys[loser]] == ("name", revision + 2)


def test_entries_added_at_the_same_moment_are_both_kept(app, create_registration, stored):
    """Adding an entry never conflicts with other entries: both devices' additions stay."""
    registration_id, devices = _two_devices(app, create_registration)
    assert devices["phone"].post("/q/training_any", data={"any": "yes"}).status_code == 303
    barrier = threading.Barrier(len(devices))
    added: dict[str, dict[str, str]] = {}
    for round_number in range(ENTRY_ROUNDS):
        revision = stored(registration_id).revisions.get("training", 0)
        entries = {device: {
            "kind": "course", "name": f"Course {device} {round_number}", "country": "ER",
            "year": "", "months": "", "documents": "lost",
            "entry_id": uuid.uuid4().hex[:12], "revision": str(revision),
        } for device in devices}

        answers = _at_once({device: partial(client.post, "/q/training/add", data=entries[device])
                            for device, client in devices.items()}, barrier)
        assert sorted(r.status_code for r in answers.values()) == [303, 303], round_number
        added.update({entry["entry_id"]: entry for entry in entries.values()})
    stored_entries = stored(registration_id).answers["training"]["entries"]
    assert {entry["id"]: entry["name"] for entry in stored_entries} == {
        entry_id: entry["name"] for entry_id, entry in added.items()}
