"""Hostile input at every guide form: create, identity corrections, reopen, erase, guided mode,
code slips and the dashboard's filters; and registration ids no page links to."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from selfreg import db
from selfreg.i18n import SUPPORTED_LOCALES
from selfreg.models import Registration
from selfreg.questionnaire.catalogue import CATALOGUE

from .expected import check_accepted, form_fields
from .hostile import extra_fields, fuzz_settings, hostile_ids, hostile_text, pairs_for
from .support import Resident, assert_answered, assert_form_refused, snapshot, walk_every_branch


@dataclass
class GuideCase:
    client: FlaskClient
    submitted: str  # a registration with every step answered, submitted
    code: str  # its code
    token: str  # its one-time link (unused)
    other_centre: str  # a registration in a centre the guide does not work in


@pytest.fixture
def guide(app, world, make_user, login) -> FlaskClient:
    """A guide of centre A, logged in."""
    return login(app.test_client(), make_user("guide", centres=[world.centre_a]))


@pytest.fixture
def case(app, world, guide, registration_in) -> GuideCase:
    submitted, code, token = registration_in(world.centre_a)
    walk_every_branch(app, code, submit=True)
    other, _code, _token = registration_in(world.centre_b)
    return GuideCase(guide, submitted, code, token, other)


def _count(app) -> int:
    with app.app_context():
        return db.session().scalar(select(func.count()).select_from(Registration))


@fuzz_settings(8)
@given(centre=st.one_of(st.sampled_from(["1", "2", "", "-1", "1.0"]), hostile_text(10)),
       count=st.one_of(st.sampled_from(["1", "3", "0", "101", "١", "²", "1_0", " 2 "]),
                       hostile_text(10)),
       extras=extra_fields())
@example(centre="1", count="9" * 5000, extras=[])
def test_create_registrations(app, guide, world, centre, count, extras):
    before = _count(app)
    response = guide.post("/staff/guide/new",
                          data=MultiDict([("centre", centre), ("count", count), *extras]))
    body = assert_answered(response)
    if response.status_code == 200:
        assert int(centre) == world.centre_a  # how the form reads it (int(" ١ ") is 1)
        made = body.count('name="code"')
        assert made == _count(app) - before and 1 <= made <= 100
    else:
        assert_form_refused(response, body)
        assert _count(app) == before


@fuzz_settings(4)
@given(data=st.data())
def test_identity_corrections(app, case, data):
    resident = Resident(app, case.client, case.submitted)
    for key in ("name", "birth", "origin"):
        step = CATALOGUE.step(key)
        pairs = data.draw(pairs_for({**form_fields(step), "revision": ["0", "1", "2", "²"]}),
                          label=key)
        before = snapshot(app, case.submitted)
        response = case.client.post(f"/staff/guide/{case.submitted}/identity/{key}",
                                    data=MultiDict(pairs))
        body = assert_answered(response)
        after = snapshot(app, case.submitted)
        if response.status_code == 303:
            check_accepted(step, pairs, after["answers"][key])
            others = {k: v for k, v in after["answers"].items() if k != key}
            assert others == {k: v for k, v in before["answers"].items() if k != key}
            resident.put_back(key, before["answers"][key])
        else:
            assert_form_refused(response, body, (400, 409))
            assert after == before


@fuzz_settings(8)
@given(data=st.data(), extras=extra_fields())
def test_buttons_with_ids_no_page_links_to(app, case, data, extras):
    """Reopen, erase, guided mode, corrections, status: a 404 (or a refusal), nothing changed."""
    rid = data.draw(st.one_of(hostile_ids(case.submitted), st.just(case.other_centre)), label="id")
    before = [snapshot(app, case.submitted), snapshot(app, case.other_centre), _count(app)]
    segment = quote(rid, safe="")
    step = data.draw(st.one_of(st.sampled_from(["name", "birth", "origin", "work"]),
                               hostile_text(12)), label="step")
    for method, path in [
        ("get", f"/staff/guide/{segment}"), ("post", f"/staff/guide/{segment}/reopen"),
        ("get", f"/staff/guide/{segment}/erase"), ("post", f"/staff/guide/{segment}/erase"),
        ("post", f"/staff/guide/{segment}/guided"),
        ("get", f"/staff/guide/{segment}/identity/{quote(step, safe='')}"),
        ("post", f"/staff/guide/{segment}/identity/{quote(step, safe='')}"),
    ]:
        response = getattr(case.client, method)(path, data=MultiDict(extras))
        assert_answered(response)
        assert response.status_code in (404, 405, 308), (method, path, response.status_code)
    assert [snapshot(app, case.submitted), snapshot(app, case.other_centre), _count(app)] == before


@fuzz_settings(4)
@given(extras=extra_fields())
def test_reopen_and_erase_with_extra_fields(app, case, world, registration_in, extras):
    """Fields the buttons do not ask for change nothing: reopening keeps every answer, erasing
    shreds that registration and no other."""
    before = snapshot(app, case.submitted)
    response = case.client.post(f"/staff/guide/{case.submitted}/reopen", data=MultiDict(extras))
    assert_answered(response)
    after = snapshot(app, case.submitted)
    if response.status_code == 413:
        assert after == before
    else:
        assert response.status_code == 303
        assert (after["answers"], after["revisions"]) == (before["answers"], before["revisions"])
        assert after["status"][0] == "in_progress"
    doomed, _code, _token = registration_in(world.centre_a)
    response = case.client.post(f"/staff/guide/{doomed}/erase", data=MultiDict(extras))
    assert_answered(response)
    assert response.status_code in (303, 413)
    assert snapshot(app, doomed)["status"][4] == (response.status_code == 303)
    assert {k: v for k, v in snapshot(app, case.submitted).items() if k != "status"} == {
        k: v for k, v in after.items() if k != "status"}


@fuzz_settings(8)
@given(registration_id=st.one_of(hostile_text(40), st.just("")), token=hostile_text(70),
       extras=extra_fields())
@example(registration_id="é", token="x", extras=[])
@example(registration_id="0" * 32, token="é", extras=[])
def test_guided_end_with_forged_fields(guide, registration_id, token, extras):
    """The banner's End button carries a keyed tag: anything forged is refused."""
    response = guide.post("/staff/guide/guided/end", data=MultiDict(
        [("registration_id", registration_id), ("guided_token", token), *extras]))
    assert_answered(response)
    assert response.status_code in (400, 404, 413)


@fuzz_settings(8)
@given(language=st.one_of(st.sampled_from(SUPPORTED_LOCALES), hostile_text(12)),
       extras=extra_fields())
def test_guided_start_language(app, case, language, extras):
    before = snapshot(app, case.submitted)
    response = case.client.post(f"/staff/guide/{case.submitted}/guided",
                                data=MultiDict([("language", language), *extras]))
    assert_answered(response)
    assert response.status_code in (303, 400, 413)
    assert snapshot(app, case.submitted) == before


@fuzz_settings(8)
@given(data=st.data())
def test_code_slips(app, case, data):
    """Codes and links posted back from the codes page: only real ones of the guide's centres
    are printed; nothing is changed."""
    codes = data.draw(st.lists(st.one_of(st.just(case.code), hostile_text(20)), max_size=3))
    tokens = data.draw(st.lists(st.one_of(st.just(case.token), hostile_text(70)), max_size=3))
    languages = data.draw(st.lists(st.one_of(st.sampled_from(SUPPORTED_LOCALES),
                                             hostile_text(8)), max_size=3))
    before = snapshot(app, case.submitted)
    pairs = ([("code", c) for c in codes] + [("token", t) for t in tokens]
             + [("language", lang) for lang in languages] + data.draw(extra_fields()))
    response = case.client.post("/staff/guide/slips", data=MultiDict(pairs))
    assert_answered(response)
    assert response.status_code in (200, 400, 413)
    assert snapshot(app, case.submitted) == before


@fuzz_settings(8)
@given(status=hostile_text(12), centre=hostile_text(8),
       inactive=st.one_of(st.sampled_from(["1", "3650", "3651", "0", "²", "9" * 5000]),
                          hostile_text(8)),
       page=st.one_of(st.sampled_from(["1", "2", "0", "-1", "²", "9" * 5000]), hostile_text(8)))
def test_dashboard_filters(guide, status, centre, inactive, page):
    query = "&".join(f"{name}={quote(value, safe='')}" for name, value in
                     [("status", status), ("centre", centre), ("inactive", inactive),
                      ("page", page)])
    response = guide.get(f"/staff/guide?{query}")
    assert_answered(response)
    assert response.status_code == 200
