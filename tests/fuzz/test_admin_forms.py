"""Hostile input at every admin form: users (new, edit), centres and regions, export recipients
(pasted and uploaded keys), the retention setting, the audit trail's filters and the staff
export form. Admin data is no person's, but nothing stored may be lost or garbled either."""
from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from selfreg import accounts, db
from selfreg.crypto import sealed_keys
from selfreg.models import Centre, ExportRecipient, Region, Role, User
from selfreg.questionnaire.sanitise import clean_line

from .hostile import NUMBERISH, Long, extra_fields, fuzz_settings, hostile_text, pairs_for
from .support import assert_answered, assert_form_refused


def _public_key() -> str:
    _private, public = sealed_keys.generate_recipient_keypair()
    return sealed_keys.recipient_public_key_to_text(public)


PUBLIC_KEY = _public_key()


@pytest.fixture
def admin(app, world, make_user, login):
    """(client, admin id, a guide's id) with the two centres and regions of the staff world."""
    admin_id = make_user(Role.ADMIN)
    guide_id = make_user("guide", centres=[world.centre_a])
    return login(app.test_client(), admin_id), admin_id, guide_id


def _table(app) -> dict:
    """All admin data, as plain values (compared before and after each example)."""
    with app.app_context():
        session = db.session()
        return {
            "users": sorted((u.id, u.email, u.role, u.region_id, u.active,
                             tuple(sorted(c.id for c in u.centres)), u.password_hash)
                            for u in session.scalars(select(User))),
            "centres": sorted((c.id, c.name, c.municipality, c.region_id)
                              for c in session.scalars(select(Centre))),
            "regions": sorted((r.id, r.name) for r in session.scalars(select(Region))),
            "recipients": sorted((r.id, r.name, r.fingerprint, r.active, r.pull_token_hash)
                                 for r in session.scalars(select(ExportRecipient))),
        }


def _first(pairs, name):
    return next((value for field, value in pairs if field == name), None)


def _changed(before: dict, after: dict) -> set[str]:
    return {key for key in before if before[key] != after[key]}


NAMES = ["Mottak Nord", "  Mottak  Sør ", "Mottak A", "Region A", "Tromsø"]


@fuzz_settings(6)
@given(data=st.data())
def test_new_users(app, admin, data):
    client, _admin_id, _guide = admin
    pairs = data.draw(pairs_for({
        "email": ["new@example.no", " NEW2@Example.no ", "guide1@example.no", "a@b", "x\x00@y.no"],
        "role": ["guide", "counsellor", "admin"], "centres": ["1", "2", "3"],
        "region": ["", "1", "2", "3"],
    }))
    before = _table(app)
    response = client.post("/staff/admin/users/new", data=MultiDict(pairs))
    body = assert_answered(response)
    after = _table(app)
    if response.status_code != 200:
        assert_form_refused(response, body)
        assert after == before
        return
    assert _changed(before, after) == {"users"}
    (new,) = [user for user in after["users"] if user not in before["users"]]
    email = accounts.normalise_email(_first(pairs, "email"))
    assert new[1] == email and new[2] == _first(pairs, "role")
    assert all(char.isprintable() for char in new[1])


@fuzz_settings(6)
@given(data=st.data())
def test_user_changes(app, admin, data):
    client, admin_id, guide_id = admin
    user_id = data.draw(st.sampled_from([guide_id, admin_id]), label="user")
    pairs = data.draw(pairs_for({"role": ["guide", "counsellor", "admin"],
                                 "centres": ["1", "2", "3", "-1"],
                                 "region": ["", "1", "2", "3"]}))
    before = _table(app)
    response = client.post(f"/staff/admin/users/{user_id}", data=MultiDict(pairs))
    body = assert_answered(response)
    after = _table(app)
    if response.status_code != 303:
        assert_form_refused(response, body)
        assert after == before
        return
    assert _changed(before, after) <= {"users"}
    assert {user[0] for user in after["users"]} == {user[0] for user in before["users"]}
    others = [user for user in after["users"] if user[0] != user_id]
    assert others == [user for user in before["users"] if user[0] != user_id]
    changed = next(user for user in after["users"] if user[0] == user_id)
    assert changed[1] == next(user for user in before["users"] if user[0] == user_id)[1]
    assert changed[2] == (Role.ADMIN if user_id == admin_id else _first(pairs, "role"))


@fuzz_settings(8)
@given(data=st.data())
@example(data=None)
def test_centres_and_regions(app, admin, data):
    client, _admin_id, _guide = admin
    if data is None:
        target, pairs = "/staff/admin/centres/new", [("name", "Mottak\x00\u202e Nord"),
                                                     ("municipality", "Tromsø\x07")]
    else:
        target = data.draw(st.sampled_from(["/staff/admin/centres/new", "/staff/admin/centres/1",
                                            "/staff/admin/regions/new"]), label="form")
        pairs = data.draw(pairs_for({"name": NAMES, "municipality": NAMES, "region": ["", "1", "9"],
                                     "region_name": NAMES}))
    before = _table(app)
    response = client.post(target, data=MultiDict(pairs))
    body = assert_answered(response)
    after = _table(app)
    if response.status_code != 303:
        assert_form_refused(response, body)
        assert after == before
        return
    assert _changed(before, after) <= {"centres", "regions"}
    for _id, name, *rest in after["centres"] + after["regions"]:
        for text in (name, *[value for value in rest if isinstance(value, str)]):
            assert clean_line(text) == text, text  # typed names are cleaned like any text
    if target.startswith("/staff/admin/regions"):
        assert clean_line(_first(pairs, "region_name")) in {name for _id, name in after["regions"]}
    else:
        assert clean_line(_first(pairs, "name")) in {c[1] for c in after["centres"]}


@fuzz_settings(6)
@given(name=st.one_of(st.sampled_from(NAMES), hostile_text(30)),
       key=st.one_of(st.just(PUBLIC_KEY), st.just(PUBLIC_KEY.replace("A", "B", 1)),
                     hostile_text(60), st.just(Long("k" * 5000))),
       upload=st.one_of(st.none(), st.binary(max_size=300), st.just(PUBLIC_KEY.encode())),
       extras=extra_fields())
@example(name="Case system", key="", upload=b"\xff\xfe\x00garbage", extras=[])
def test_recipients(app, admin, name, key, upload, extras):
    client, _admin_id, _guide = admin
    pairs = [("name", name), ("public_key", key), *extras]
    data = MultiDict(pairs)
    if upload is not None:
        data.add("key_file", (io.BytesIO(upload), "hostile.pub"))
    before = _table(app)
    response = client.post("/staff/admin/recipients", data=data, content_type="multipart/form-data")
    body = assert_answered(response)
    after = _table(app)
    if response.status_code != 303:
        assert_form_refused(response, body)
        assert after == before
        return
    assert _changed(before, after) == {"recipients"}
    assert clean_line(name) in {r[1] for r in after["recipients"]}


@fuzz_settings(6)
@given(target=hostile_text(12), extras=extra_fields())
@example(target="1\x00", extras=[])
def test_buttons_with_ids_no_page_links_to(app, admin, target, extras):
    """Users, centres and recipients are named by number: anything else is a 404."""
    client, _admin_id, _guide = admin
    before = _table(app)
    segment = quote(target, safe="")
    for path in ("users/{}", "users/{}/deactivate", "users/{}/reactivate", "users/{}/password",
                 "users/{}/second-factor", "centres/{}", "recipients/{}/token",
                 "recipients/{}/deactivate", "recipients/{}/reactivate"):
        response = client.post("/staff/admin/" + path.format(segment), data=MultiDict(extras))
        assert_answered(response)
        assert response.status_code in (404, 405, 308, 413), (path, response.status_code)
    assert _table(app) == before


@fuzz_settings(8)
@given(days=st.one_of(st.sampled_from(["30", "730", "3650", "0", "-1", "1e3", *NUMBERISH]),
                      hostile_text(10)),
       extras=extra_fields())
def test_retention_setting(app, admin, days, extras):
    client, _admin_id, _guide = admin
    response = client.post("/staff/admin/settings", data=MultiDict([("retention_days", days),
                                                                     *extras]))
    body = assert_answered(response)
    if response.status_code != 303:
        assert_form_refused(response, body)
    assert client.get("/staff/admin/settings").status_code == 200


@fuzz_settings(8)
@given(data=st.data())
@example(data=None)
def test_audit_filters(app, admin, data):
    client, _admin_id, _guide = admin
    if data is None:
        args = [("date_from", "9999-12-31"), ("date_to", "9999-12-31"), ("page", "²")]
    else:
        args = data.draw(pairs_for({
            "user": ["", "none", "1", "2", "99"], "registration": ["0" * 32, "abc", "ABC"],
            "action": ["", "login", "registration.erase"],
            "date_from": ["2025-01-31", "0001-01-01", "9999-12-31", "2025-02-30"],
            "date_to": ["2025-01-31", "0001-01-01", "9999-12-31", "31.01.2025"],
            "page": ["1", "2", "-1", *NUMBERISH]}))
    query = "&".join(f"{quote(name, safe='')}={quote(value, safe='')}" for name, value in args)
    response = client.get(f"/staff/admin/audit?{query}")
    body = assert_answered(response)
    assert response.status_code in (200, 400)
    if response.status_code == 400:
        assert 'class="error-summary"' in body


@fuzz_settings(6)
@given(recipient=st.one_of(st.sampled_from(["1", "2", ""]), hostile_text(8)),
       since=st.one_of(st.sampled_from(["", "2025-01-31", "0001-01-01", "9999-12-31"]),
                       hostile_text(12)),
       extras=extra_fields())
def test_export_form(app, admin, recipient, since, extras):
    """The download form for admins (counsellors use the same one); a bundle, or a refusal."""
    client, _admin_id, _guide = admin
    with app.app_context():
        if db.session().scalar(select(ExportRecipient)) is None:
            key = sealed_keys.recipient_public_key_from_text(PUBLIC_KEY)
            db.session().add(ExportRecipient(name="Case system", public_key=PUBLIC_KEY,
                                             fingerprint=key.fingerprint))
            db.session().commit()
    response = client.post("/staff/exports", data=MultiDict(
        [("recipient", recipient), ("since", since), *extras]))
    assert_answered(response)
    if response.status_code != 200:
        assert_form_refused(response, response.get_data(as_text=True))
    response.get_data()  # the whole bundle streams without an error
