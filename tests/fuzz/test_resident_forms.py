"""Hostile posts to every step of the questionnaire: plain steps, repeatable entries (add, change)
and the JSON save, each step taken from the catalogue.

For every example: never a 5xx; a refusal re-shows the form with an error in the person's
language and leaves every stored answer as it was; an accepted save stores exactly what the
sanitiser and the form keep (tests/fuzz/expected.py) and the review page still renders.
"""
from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from selfreg.questionnaire.catalogue import CATALOGUE
from selfreg.questionnaire.flow import ENTRIES

from .expected import check_accepted, form_fields, json_pairs
from .hostile import (
    extra_fields,
    fuzz_settings,
    hostile_text,
    is_clean,
    json_values,
    pairs_for,
)
from .support import assert_answered

PLAIN_STEPS = [step for step in CATALOGUE.steps if not step.repeatable]
REPEATABLE_STEPS = [step for step in CATALOGUE.steps if step.repeatable]
# (Accept-Language, the <html lang> it must give)
LANGUAGES = [("en", "en"), ("nb", "nb"), ("ar", "ar"), ("ti", "ti"), ("fa-AF", "fa-AF")]


def _others(answers: dict, step_key: str) -> dict:
    return {key: value for key, value in answers.items() if key != step_key}


def _post(resident, path, pairs, language):
    accept, html_lang = language
    response = resident.client.post(path, data=MultiDict(pairs),
                                    headers={"Accept-Language": accept})
    assert_answered(response, html_lang=html_lang)
    return response


def _review_still_renders(resident) -> None:
    review = resident.client.get("/review")
    assert_answered(review)
    assert review.status_code == 200


@fuzz_settings(4)
@given(data=st.data())
def test_every_plain_step(resident, data):
    for step in PLAIN_STEPS:
        pairs = data.draw(pairs_for(form_fields(step)), label=step.key)
        language = data.draw(st.sampled_from(LANGUAGES))
        before, revisions = resident.stored()
        response = _post(resident, f"/q/{step.key}", pairs, language)
        after, after_revisions = resident.stored()
        if response.status_code == 303:
            check_accepted(step, pairs, after[step.key])
            assert _others(after, step.key) == _others(before, step.key)
            _review_still_renders(resident)
            resident.put_back(step.key, before[step.key])
        else:
            assert response.status_code in (200, 400, 409, 413), response.status_code
            assert (after, after_revisions) == (before, revisions)


@fuzz_settings(3)
@given(data=st.data())
def test_every_repeatable_step_add_and_change(resident, data):
    for step in REPEATABLE_STEPS:
        for change in (False, True):
            before, revisions = resident.stored()
            entries = before[step.key][ENTRIES]
            path = f"/q/{step.key}/{entries[0]['id']}" if change else f"/q/{step.key}/add"
            pairs = data.draw(pairs_for(form_fields(step)), label=path)
            response = _post(resident, path, pairs, data.draw(st.sampled_from(LANGUAGES)))
            after, after_revisions = resident.stored()
            if response.status_code != 303:
                assert (after, after_revisions) == (before, revisions)
                continue
            stored = after[step.key][ENTRIES]
            assert _others(after, step.key) == _others(before, step.key)
            if change:
                assert stored[1:] == entries[1:] and stored[0]["id"] == entries[0]["id"]
                check_accepted(step, pairs, stored[0])
            elif stored != entries:  # unchanged: an entry id posted again, or the list is full
                assert stored[:-1] == entries and len(stored) == len(entries) + 1
                check_accepted(step, pairs, stored[-1])
            _review_still_renders(resident)
            resident.put_back(step.key, before[step.key])


def _json_body(data, step) -> dict:
    """A save as the page's script (or a forged replay) sends it."""
    pairs = data.draw(pairs_for(form_fields(step)))
    fields: dict = {}
    for name, value in pairs:
        fields.setdefault(name, []).append(value)
    fields = {name: values[0] if len(values) == 1 else values for name, values in fields.items()}
    body = {"fields": data.draw(st.one_of(st.just(fields), json_values()), label="fields")}
    for meta in ("revision", "idempotency_key", "entry_id", "entry_digest", "owner"):
        if data.draw(st.booleans()):
            body[meta] = data.draw(json_values(), label=meta)
    return body


@fuzz_settings(2)
@given(data=st.data())
def test_every_step_json_save(resident, data):
    for step in CATALOGUE.steps:
        body = _json_body(data, step)
        before, revisions = resident.stored()
        response = resident.client.post(f"/q/{step.key}/save", json=body)
        assert_answered(response)
        after, after_revisions = resident.stored()
        saved = response.status_code == 200 and not response.get_json()["duplicate"]
        if not saved:
            assert response.status_code in (200, 400, 403, 404, 409, 413), response.status_code
            assert (after, after_revisions) == (before, revisions)
            continue
        pairs = json_pairs(body["fields"])
        assert _others(after, step.key) == _others(before, step.key)
        if step.repeatable:
            old, new = before[step.key][ENTRIES], after[step.key][ENTRIES]
            changed = [entry for entry in new if entry not in old]
            assert len(changed) <= 1 and len(new) in (len(old), len(old) + 1)
            if changed:
                check_accepted(step, pairs, changed[0])
        else:
            check_accepted(step, pairs, after[step.key])
        _review_still_renders(resident)
        resident.put_back(step.key, before[step.key])


RAW_BODIES = [
    ("application/x-www-form-urlencoded", b"given_names=%FF%FE%00&family_name=%C0%AF&revision=%B2"),
    ("application/x-www-form-urlencoded", b"\xff\xfe\x00=\xc3\x28&&&==&%"),
    ("application/x-www-form-urlencoded", b"a=1&" * 1000),
    ("application/json", b"\xff\xfe{\"fields\": 1}"),
    ("application/json", b"[" * 5000),
    ("application/json", b'{"fields": {"given_names": "\\ud800"}, "revision": 1e999}'),
    ("application/json", b'{"fields": {"family_name": "A", "family_name": "B"}}'),
    ("multipart/form-data; boundary=x",
     b'--x\r\nContent-Disposition: form-data; name="given_names"\r\n\r\n\xff\r\n--x--'),
    ("multipart/form-data; boundary=", b"garbage"),
    ("multipart/form-data", b"--\r\n"),
    ("text/plain", b"given_names=Amina"),
]


def test_raw_bodies(resident):
    """Bodies no browser sends: invalid UTF-8, broken multipart, deep or odd JSON."""
    before, _revisions = resident.stored()
    for content_type, body in RAW_BODIES:
        for path in ("/q/name", "/q/name/save", "/", "/privacy", "/q/work/add"):
            response = resident.client.post(path, data=body, content_type=content_type)
            assert_answered(response)
            if response.status_code in (200, 303) and path.startswith("/q/name"):
                name = resident.stored()[0]["name"]
                assert all(isinstance(v, str) and is_clean(v, multiline=False)
                           for v in name.values())
                resident.put_back("name", before["name"])
    after, _ = resident.stored()
    assert _others(after, "name") == _others(before, "name")


@fuzz_settings(4)
@given(step_key=hostile_text(20), entry_id=hostile_text(40), extras=extra_fields())
def test_hostile_path_segments(resident, step_key, entry_id, extras):
    """Step keys and entry ids no page links to: 404 (or the way back), nothing changed."""
    before = resident.stored()
    segment, entry = quote(step_key, safe=""), quote(entry_id, safe="")
    for method, path in [("get", f"/q/{segment}"), ("post", f"/q/{segment}"),
                         ("get", f"/q/work/{entry}"), ("post", f"/q/work/{entry}"),
                         ("post", f"/q/work/{entry}/remove"), ("get", f"/q/{segment}/add"),
                         ("post", f"/q/{segment}/save"), ("post", f"/q/higher/{entry}/remove")]:
        response = getattr(resident.client, method)(path, data=MultiDict(extras))
        assert_answered(response)
    assert resident.stored() == before
