"""Creating registrations and printing code slips: codes shown once, never in a URL."""
from __future__ import annotations

import re

import segno
from sqlalchemy import select

from selfreg import access_codes, accounts, audit, db
from selfreg.models import Answer, AuditEvent, Centre, Registration

from .conftest import PASSWORD, current_code


def _events(app, action):
    with app.app_context():
        return [(e.user_id, e.registration_id, e.detail) for e in db.session().scalars(
            select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.seq))]


def _urls(page: str) -> list[str]:
    return re.findall(r'(?:href|action|src)="([^"]*)"', page)


def _posted(page: str) -> tuple[list[str], list[str]]:
    return (re.findall(r'name="code" value="([^"]+)"', page),
            re.findall(r'name="token" value="([^"]+)"', page))


def _create(client, centre, count):
    return client.post("/staff/guide/new", data={"centre": centre, "count": count})


def test_create_shows_each_code_once_without_caching_or_urls(app, client, world, make_user,
                                                             login):
    guide = make_user("guide", centres=[world.centre_a])
    login(client, guide)
    response = _create(client, world.centre_a, 3)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    codes, tokens = _posted(page)
    assert len(codes) == len(set(codes)) == 3 and len(tokens) == 3
    for code, token in zip(codes, tokens):
        assert access_codes.format_code(code) in page
        for url in _urls(page):
            assert code not in url and access_codes.format_code(code) not in url
            assert token not in url
    with app.app_context():
        created = list(db.session().scalars(select(Registration)))
        assert len(created) == 3 and {r.centre_id for r in created} == {world.centre_a}
        # Only keyed hashes are stored, never the codes or links themselves.
        for registration in created:
            for code, token in zip(codes, tokens):
                assert code.encode() not in registration.code_lookup
    events = _events(app, audit.Action.REGISTRATION_CREATE)
    assert len(events) == 3 and {(uid, detail) for uid, _, detail in events} == {(guide, "3")}


def test_count_and_centre_are_checked(app, client, world, make_user, login):
    guide = make_user("guide", centres=[world.centre_a])
    login(client, guide)
    for count in ("0", "101", "many"):
        response = _create(client, world.centre_a, count)
        assert response.status_code == 400
        assert "Write a number from 1 to 100." in response.get_data(as_text=True)
    assert _create(client, world.centre_b, 1).status_code == 400  # not the guide's centre
    with app.app_context():
        assert db.session().scalars(select(Registration)).first() is None
    assert _events(app, audit.Action.REGISTRATION_CREATE) == []


def test_code_slips_have_codes_qr_links_and_instructions(app, client, world, make_user, login):
    guide = make_user("guide", centres=[world.centre_a])
    login(client, guide)
    codes, tokens = _posted(_create(client, world.centre_a, 2).get_data(as_text=True))
    response = client.post("/staff/guide/slips",
                           data={"code": codes, "token": tokens, "language": ["nb", "ar"]})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    assert "css/slips." in page
    for code, token in zip(codes, tokens):
        assert access_codes.format_code(code) in page
        expected = segno.make(f"http://localhost/l/{token}", error="m").svg_inline(scale=3)
        path = re.search(r'd="([^"]+)"', expected).group(1)
        assert path in page  # the QR code of exactly this one-time link
        assert not any(token in url for url in _urls(page))
    assert page.count('<svg') == 2 and "style=" not in page
    # Residents' texts in the chosen languages, from their catalogues.
    assert "Registrer det du vet og kan" in page
    assert 'lang="ar" dir="rtl"' in page
    assert "Register what you know and can do" not in page  # English was not chosen
    events = _events(app, audit.Action.CODE_SLIPS)
    assert len(events) == 2 and {(uid, detail) for uid, _, detail in events} == {(guide, "nb,ar")}
    with app.app_context():
        assert audit.verify(db.session()).intact


def test_the_qr_link_signs_the_person_in_once(app, client, world, make_user, login):
    guide = make_user("guide", centres=[world.centre_a])
    login(client, guide)
    codes, tokens = _posted(_create(client, world.centre_a, 1).get_data(as_text=True))
    resident = app.test_client()
    assert resident.get(f"/l/{tokens[0]}").status_code == 302
    # A used link is left off the slip; the code still works.
    page = client.post("/staff/guide/slips", data={
        "code": codes, "token": tokens, "language": ["en"]}).get_data(as_text=True)
    assert access_codes.format_code(codes[0]) in page and "<svg" not in page
    assert "Some links have already been used" in page


def test_slips_need_a_language_and_keep_the_codes(app, client, world, make_user, login):
    guide = make_user("guide", centres=[world.centre_a])
    login(client, guide)
    codes, tokens = _posted(_create(client, world.centre_a, 2).get_data(as_text=True))
    response = client.post("/staff/guide/slips", data={"code": codes, "token": tokens})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Choose at least one language" in page
    assert _posted(page) == (codes, tokens)
    assert _events(app, audit.Action.CODE_SLIPS) == []


def test_slips_only_for_the_guides_own_registrations(app, client, world, make_user, login,
                                                     registration_in):
    guide = make_user("guide", centres=[world.centre_a])
    _rid, code, token = registration_in(world.centre_b)
    login(client, guide)
    response = client.post("/staff/guide/slips",
                           data={"code": [code], "token": [token], "language": ["nb"]})
    assert response.status_code == 404
    made_up = client.post("/staff/guide/slips", data={
        "code": ["ABCDEFGHJKMN"], "token": ["x"], "language": ["nb"]})
    assert "<svg" not in made_up.get_data(as_text=True)
    assert _events(app, audit.Action.CODE_SLIPS) == []


def test_forms_refuse_a_missing_csrf_token(make_app):
    app = make_app(csrf=True)
    with app.app_context():
        centre = Centre(name="Mottak C")
        db.session().add(centre)
        db.session().flush()
        user = accounts.create_user(db.session(), "g@example.no", "guide", PASSWORD,
                                    centres=[centre])
        db.session().commit()
        user_id, centre_id = user.id, centre.id
    client = app.test_client()

    def token(path):
        page = client.get(path).get_data(as_text=True)
        return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    client.post("/staff/", data={"email": "g@example.no", "password": PASSWORD,
                                 "csrf_token": token("/staff/")})
    totp_token = token("/staff/totp")  # makes the authenticator secret
    assert client.post("/staff/totp", data={"code": current_code(app, user_id),
                                            "csrf_token": totp_token}).status_code == 303
    refused = client.post("/staff/guide/new", data={"centre": centre_id, "count": 1})
    assert refused.status_code == 400
    assert client.post("/staff/guide/slips", data={
        "code": ["ABCDEFGHJKMN"], "token": ["x"], "language": ["nb"]}).status_code == 400
    with app.app_context():
        assert db.session().scalars(select(Registration)).first() is None
    created = client.post("/staff/guide/new", data={
        "centre": centre_id, "count": 1, "csrf_token": token("/staff/guide/new")})
    assert created.status_code == 200
    with app.app_context():
        rid = db.session().scalar(select(Registration.id))
    # Every change to one registration refuses a post without the token, and changes nothing.
    for path, data in ((f"/staff/guide/{rid}/reopen", {}),
                       (f"/staff/guide/{rid}/identity/name", {"given_names": "Mallory",
                                                              "family_name": "X"}),
                       (f"/staff/guide/{rid}/erase", {}),
                       (f"/staff/guide/{rid}/guided", {"language": "nb"}),
                       ("/staff/guide/guided/end", {"registration_id": rid})):
        response = client.post(path, data=data)
        assert response.status_code == 400, path
        assert "selfreg_resident=" not in response.headers.get("Set-Cookie", "")
    with app.app_context():
        registration = db.session().get(Registration, rid)
        assert registration.status == "new" and registration.wrapped_dek is not None
        assert db.session().scalars(select(Answer)).first() is None
        actions = set(db.session().scalars(select(AuditEvent.action)))
    assert actions == {"login", "totp.enrolled", "registration.create"}
