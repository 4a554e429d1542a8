"""Hostile input at every counsellor form: find by DUF number, verification statuses, the career
note, corrections of every step (plain steps, adding and changing entries), followed up."""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import example, given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from selfreg.models import Role
from selfreg.questionnaire.catalogue import CATALOGUE
from selfreg.questionnaire.flow import ENTRIES
from selfreg.questionnaire.sanitise import clean_multiline
from selfreg.staff.counsellor.forms import NOTE_NEED_CODES, NOTE_TEXT_FIELDS
from selfreg.storage import CAREER_NOTE, VERIFICATION
from selfreg.verification import SELF_REPORTED, STATUSES

from .expected import check_accepted, form_fields
from .hostile import (
    NUMBERISH,
    extra_fields,
    fuzz_settings,
    hostile_ids,
    hostile_text,
    pairs_for,
)
from .support import Resident, assert_answered, assert_form_refused, snapshot, walk_every_branch

DUF = "202312345678"  # tests/resident/walk.py's VALID["origin"]


@dataclass
class CounsellorCase:
    client: FlaskClient
    registration_id: str  # submitted in the counsellor's region, every step answered
    items: list[str]  # verification item keys on the profile page


@pytest.fixture
def case(app, world, make_user, login, registration_in) -> CounsellorCase:
    registration_id, code, _token = registration_in(world.centre_a)
    walk_every_branch(app, code, submit=True)
    client = login(app.test_client(), make_user(Role.COUNSELLOR, region=world.region_a))
    page = client.get(f"/staff/counsellor/profile/{registration_id}").get_data(as_text=True)
    items = sorted(set(re.findall(r'name="v:([^"]+)"', page)))
    assert items
    return CounsellorCase(client, registration_id, items)


REVISIONS = ["0", "1", "2", *NUMBERISH]


@fuzz_settings(8)
@given(duf=st.one_of(st.sampled_from([DUF, "2023 1234 5678", "۲۰۲۳۱۲۳۴۵۶۷۸", DUF + "\x00"]),
                     hostile_text(50)),
       extras=extra_fields())
def test_find_by_duf_number(app, case, duf, extras):
    before = snapshot(app, case.registration_id)
    response = case.client.post("/staff/counsellor/find",
                                data=MultiDict([("duf_number", duf), *extras]))
    assert_answered(response)
    assert response.status_code in (200, 303, 400, 413)
    if response.status_code == 303:
        assert response.headers["Location"].endswith(case.registration_id)
    assert snapshot(app, case.registration_id) == before


def _note_pairs(data) -> list[tuple[str, str]]:
    fields = {name: ["Needs a Norwegian course.", "Linje 1\r\n\r\n\r\nLinje 2"]
              for name in NOTE_TEXT_FIELDS}
    fields["needs"] = list(NOTE_NEED_CODES)
    fields["revision"] = REVISIONS
    return data.draw(pairs_for(fields), label="note")


@fuzz_settings(8)
@given(data=st.data())
def test_career_note(app, case, data):
    pairs = _note_pairs(data)
    before = snapshot(app, case.registration_id)
    response = case.client.post(f"/staff/counsellor/profile/{case.registration_id}/note",
                                data=MultiDict(pairs))
    body = assert_answered(response)
    after = snapshot(app, case.registration_id)
    if response.status_code != 303:
        assert_form_refused(response, body, (400, 409))
        assert after == before
        return
    values, _revision = after["records"][CAREER_NOTE]
    first = {name: next((v for n, v in pairs if n == name), None) for name in NOTE_TEXT_FIELDS}
    assert {name: values[name] for name in NOTE_TEXT_FIELDS} == {
        name: clean_multiline(first[name]) or "" for name in NOTE_TEXT_FIELDS}
    posted_needs = {v for n, v in pairs if n == "needs"}
    assert values["needs"] == [code for code in NOTE_NEED_CODES if code in posted_needs]
    assert {k: v for k, v in after.items() if k != "records"} == {
        k: v for k, v in before.items() if k != "records"}


@fuzz_settings(8)
@given(data=st.data())
def test_verification_statuses(app, case, data):
    fields = {f"v:{key}": list(STATUSES) for key in data.draw(
        st.lists(st.sampled_from(case.items), max_size=4, unique=True))}
    fields["revision"] = REVISIONS
    pairs = data.draw(pairs_for(fields), label="statuses")
    before = snapshot(app, case.registration_id)
    response = case.client.post(
        f"/staff/counsellor/profile/{case.registration_id}/verification", data=MultiDict(pairs))
    body = assert_answered(response)
    after = snapshot(app, case.registration_id)
    assert {k: v for k, v in after.items() if k != "records"} == {
        k: v for k, v in before.items() if k != "records"}
    if response.status_code != 303:
        assert_form_refused(response, body, (400, 409))
        assert after == before
        return
    # Each item posted with a known status takes it (self-reported is not stored); the rest stay.
    expected = dict((before["records"][VERIFICATION] or ({}, 0))[0])
    for key in case.items:
        posted = next((value for name, value in pairs if name == f"v:{key}"), None)
        if posted == SELF_REPORTED:
            expected.pop(key, None)
        elif posted in STATUSES:
            expected[key] = posted
    record = after["records"][VERIFICATION]
    assert (record[0] if record else {}) == expected


@fuzz_settings(2)
@given(data=st.data())
def test_corrections_of_every_step(app, case, data):
    """The questionnaire's forms as the counsellor uses them: the same checks, the same cleaning."""
    resident = Resident(app, case.client, case.registration_id)
    base = f"/staff/counsellor/profile/{case.registration_id}/step"
    for step in CATALOGUE.steps:
        before = snapshot(app, case.registration_id)
        stored = before["answers"][step.key]
        if step.repeatable:
            entry = stored[ENTRIES][0]["id"]
            path = data.draw(st.sampled_from([f"{base}/{step.key}/add",
                                              f"{base}/{step.key}/entry/{entry}"]), label=step.key)
        else:
            path = f"{base}/{step.key}"
        extra = {"revision": REVISIONS, "entry_digest": ["", "0" * 16]}
        pairs = data.draw(pairs_for({**form_fields(step), **extra}), label=path)
        response = case.client.post(path, data=MultiDict(pairs))
        body = assert_answered(response)
        after = snapshot(app, case.registration_id)
        if response.status_code != 303:
            if response.status_code != 200:  # 200: search results, nothing saved
                assert_form_refused(response, body, (400, 409))
            assert after == before
            continue
        others = {k: v for k, v in after["answers"].items() if k != step.key}
        assert others == {k: v for k, v in before["answers"].items() if k != step.key}
        new = after["answers"][step.key]
        if step.repeatable:
            changed = [e for e in new[ENTRIES] if e not in stored[ENTRIES]]
            assert len(changed) <= 1
            if changed:
                check_accepted(step, pairs, changed[0])
        else:
            check_accepted(step, pairs, new)
        resident.put_back(step.key, stored)


@fuzz_settings(6)
@given(data=st.data(), extras=extra_fields(), done=hostile_text(12))
@example(data=None, extras=[], done="note")
def test_ids_and_arguments_no_page_links_to(app, case, data, extras, done):
    """Profile pages, summary, PDF and the buttons with ids that name nothing: 404."""
    before = snapshot(app, case.registration_id)
    rid = data.draw(hostile_ids(case.registration_id), label="id") if data else "0" * 31
    segment = quote(rid, safe="")
    profile = f"/staff/counsellor/profile/{case.registration_id}"
    paths = [("get", f"/staff/counsellor/profile/{segment}"),
             ("get", f"/staff/counsellor/profile/{segment}/summary"),
             ("get", f"/staff/counsellor/profile/{segment}/summary.pdf"),
             ("post", f"/staff/counsellor/profile/{segment}/followed-up"),
             ("post", f"/staff/counsellor/profile/{segment}/note"),
             ("post", f"/staff/counsellor/profile/{segment}/verification"),
             ("post", f"/staff/counsellor/profile/{segment}/step/name"),
             ("get", f"{profile}/step/{segment}"),
             ("get", f"{profile}/step/work/entry/{segment}")]
    for method, path in paths:
        response = getattr(case.client, method)(path, data=MultiDict(extras))
        assert_answered(response)
        assert response.status_code in (404, 405, 308), (path, response.status_code)
    shown = case.client.get(
        f"/staff/counsellor/profile/{case.registration_id}?done={quote(done, safe='')}")
    assert_answered(shown)
    assert shown.status_code == 200
    listed = case.client.get(f"/staff/counsellor?page={quote(done, safe='')}&filter={segment}")
    assert_answered(listed)
    assert listed.status_code == 200
    assert snapshot(app, case.registration_id) == before
