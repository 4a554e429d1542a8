"""A counsellor finds a submitted profile by DUF number, reads it in Norwegian, verifies,
corrects, writes the career note and marks it followed up; every step is audited."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from selfreg import access_codes, audit, db, keys
from selfreg.models import AuditEvent, Registration, Role
from selfreg.questionnaire.catalogue import CATALOGUE
from selfreg.staff.counsellor.profile_nb import SECTIONS, interpreter_need
from selfreg.storage import CAREER_NOTE, VERIFICATION, PersonalStore

from ..databases import stored_bytes
from ..resident.walk import VALID, accept_privacy, sign_in, walk

# Written in Arabic on an Arabic page: kept exactly, shown right to left.
ARABIC_SKILLS = "أطبخ لعدد كبير من الناس"
DUF = "2023 1234 5678"
DUF_DIGITS = "202312345678"


def submitted_profile(app, registration_in, centre_id: int, *, lang: str = "ar",
                      duf: str = DUF, submit: bool = True) -> str:
    """A registration in this centre, answered in full by its resident; returns its id."""
    registration_id, code, _token = registration_in(centre_id)
    resident = app.test_client()
    resident.get(f"/?lang={lang}")
    sign_in(resident, access_codes.format_code(code))
    accept_privacy(resident)
    walk(resident, answers={
        "origin": {**VALID["origin"], "duf_number": duf},
        "other_skills": {"skills": ARABIC_SKILLS, "volunteering": ""},
    })
    if submit:
        assert resident.post("/submit").status_code == 303
    return registration_id


NOTE_MARKER = "Zyqkarrierenotat anbefaling"


@pytest.fixture
def case(app, world, make_user, login, registration_in):
    """(registration id, logged-in counsellor client, counsellor id) in region A."""
    registration_id = submitted_profile(app, registration_in, world.centre_a)
    counsellor_id = make_user(Role.COUNSELLOR, region=world.region_a, email="veileder@example.no")
    return registration_id, login(app.test_client(), counsellor_id), counsellor_id


def _store(app):
    return PersonalStore(db.session(), keys.keyring())


def _load(app, registration_id):
    with app.app_context():
        registration = db.session().get(Registration, registration_id)
        store = _store(app)
        return (store.load_all(registration), store.load_record(registration, VERIFICATION),
                store.load_record(registration, CAREER_NOTE), store.changed_by(registration),
                registration.followed_up_at)


def _hidden(page: str, name: str) -> str:
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def _urls(page: str) -> list[str]:
    return re.findall(r'(?:href|action)="([^"]*)"', page)


def _events(app, registration_id=None):
    with app.app_context():
        query = select(AuditEvent).order_by(AuditEvent.seq)
        rows = db.session().scalars(query).all()
        return [(e.action, e.detail, e.registration_id) for e in rows
                if registration_id is None or e.registration_id in (registration_id, None)]


def test_find_by_duf_is_a_post_and_reads_the_profile_in_norwegian(app, case):
    registration_id, client, counsellor_id = case
    home = client.get("/staff/counsellor")
    assert home.status_code == 200
    listing = home.get_data(as_text=True)
    assert registration_id[:4].upper() in listing and "Mottak A" in listing
    assert 'method="post"' in listing and DUF_DIGITS not in listing

    arabic_digits = "٢٠٢٣١٢٣٤٥٦٧٨"
    found = client.post("/staff/counsellor/find", data={"duf_number": arabic_digits})
    assert found.status_code == 303
    location = found.headers["Location"]
    assert location.endswith(f"/staff/counsellor/profile/{registration_id}")
    assert DUF_DIGITS not in location and "2023" not in location

    missing = client.post("/staff/counsellor/find", data={"duf_number": "2020 0000 0001"})
    assert missing.status_code == 200 and "Location" not in missing.headers
    assert "No submitted profile in your region" in missing.get_data(as_text=True)
    short = client.post("/staff/counsellor/find", data={"duf_number": "2023 1234"})
    assert short.status_code == 400 and "12 digits" in short.get_data(as_text=True)

    response = client.get(location)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    # Norwegian labels whatever the staff language: ISCO 2221, the first language, an option.
    assert "Spesialsykepleiere" in page and "tigrinja" in page and "Jeg var ansatt" in page
    assert "B1 – Vanlige samtaler" in page  # English understood: CEFR code and its words
    # The person's words exactly as written, in their language and direction, with a note.
    assert f'<span class="own-words" lang="ar" dir="rtl">{ARABIC_SKILLS}</span>' in page
    assert "(written in Arabic)" in page
    # Language and interpreter need come first, before identity.
    assert page.index("Interpreter") < page.index("Amina")
    assert "Most likely needed" in page  # Norwegian A1
    assert all(DUF_DIGITS not in url for url in _urls(page))

    events = _events(app)
    assert ("profile.search", "found", registration_id) in events
    assert ("profile.search", "not found", None) in events
    assert any(action == "registration.list" for action, _d, _r in events)
    assert ("profile.view", "profile", registration_id) in events
    assert all(DUF_DIGITS not in detail and "2023" not in detail for _a, detail, _r in events)


def test_verification_statuses_are_saved_once_and_a_stale_form_keeps_its_choices(app, case):
    registration_id, client, _ = case
    answers, *_ = _load(app, registration_id)
    work_id = answers["work"]["entries"][0]["id"]
    url = f"/staff/counsellor/profile/{registration_id}"
    page = client.get(url).get_data(as_text=True)
    assert _hidden(page, "revision") == "0"
    assert f'name="v:work/{work_id}"' in page and 'name="v:name"' in page
    assert 'name="v:work_any"' not in page  # "Have you worked?" only opens the list
    assert "<legend" in page and "Confirmed in interview" in page

    saved = client.post(f"{url}/verification", data={
        "revision": "0", f"v:work/{work_id}": "document_seen", "v:name": "confirmed_in_interview",
        "v:birth": "self_reported", "v:origin": "bogus",
    })
    assert saved.status_code == 303 and "/verification" not in saved.headers["Location"]
    _answers, verification, *_ = _load(app, registration_id)
    assert verification.values == {f"work/{work_id}": "document_seen",
                                   "name": "confirmed_in_interview"}
    assert ("verification.save", "2", registration_id) in _events(app, registration_id)
    shown = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert re.search(rf'name="v:work/{work_id}" value="document_seen" checked', shown)
    assert "The verification statuses are saved." in shown

    stale = client.post(f"{url}/verification", data={"revision": "0", "v:name": "document_seen"})
    assert stale.status_code == 409
    stale_page = stale.get_data(as_text=True)
    assert "Someone else saved verification statuses" in stale_page
    assert re.search(r'name="v:name" value="document_seen" checked', stale_page)  # kept as posted
    assert _hidden(stale_page, "revision") == "1"  # saving again keeps these choices
    assert _load(app, registration_id)[1].values["name"] == "confirmed_in_interview"


def test_corrections_reuse_the_questionnaire_forms_and_are_recorded_as_the_counsellors(app, case):
    registration_id, client, counsellor_id = case
    answers, *_ = _load(app, registration_id)
    work_id = answers["work"]["entries"][0]["id"]
    base = f"/staff/counsellor/profile/{registration_id}/step"

    form_page = client.get(f"{base}/work/entry/{work_id}").get_data(as_text=True)
    assert "Hva gjorde du på jobben?" in form_page  # the questionnaire's own question, in nb
    assert "Cared for patients" in form_page
    entry = {
        "occupation_text": "nurse", "occupation": "2221", "arrangement": "employed",
        "tasks": "Cared for patients\u202e and trained nurses", "years": "5", "country": "ER",
        "licence": "yes", "revision": _hidden(form_page, "revision"),
        "entry_digest": _hidden(form_page, "entry_digest"),
    }
    bad = client.post(f"{base}/work/entry/{work_id}", data={**entry, "years": "many"})
    assert bad.status_code == 400 and 'value="many"' in bad.get_data(as_text=True)
    changed = client.post(f"{base}/work/entry/{work_id}", data=entry)
    assert changed.status_code == 303, changed.get_data(as_text=True)[:2000]

    add_page = client.get(f"{base}/higher/add").get_data(as_text=True)
    added = client.post(f"{base}/higher/add", data={
        "entry_id": _hidden(add_page, "entry_id"), "revision": _hidden(add_page, "revision"),
        "level": "7", "field": "091", "programme": "Public health", "institution": "Makerere",
        "country": "UG", "years": "2", "status": "completed", "end_year": "2018",
        "documents": "can_get",
    })
    assert added.status_code == 303
    again = client.post(f"{base}/higher/add", data={  # the same form sent twice adds once
        "entry_id": _hidden(add_page, "entry_id"), "revision": _hidden(add_page, "revision"),
        "level": "7", "field": "091", "institution": "Makerere", "country": "UG", "years": "2",
        "status": "completed", "documents": "can_get",
    })
    assert again.status_code == 303

    # A plain step, with the search button (no JavaScript) and then a save.
    searched = client.post(f"{base}/wishes_work", data={
        "work_text": "sykepleier", "action": "search:work", "revision": "1"})
    assert searched.status_code == 200 and 'value="2221"' in searched.get_data(as_text=True)
    stale = client.post(f"{base}/wishes_work",
                        data={"work_text": "Helsefagarbeider", "revision": "0"})
    assert stale.status_code == 409 and 'value="Helsefagarbeider"' in stale.get_data(as_text=True)
    saved = client.post(f"{base}/wishes_work", data={
        "work_text": "sykepleier", "work": "2221", "work_more": "Vil ta norsk autorisasjon",
        "revision": "1"})
    assert saved.status_code == 303

    answers, _v, _n, changed_by, _f = _load(app, registration_id)
    work = answers["work"]["entries"]
    assert len(work) == 1 and work[0]["id"] == work_id
    assert work[0]["tasks"] == "Cared for patients and trained nurses"  # bidi override dropped
    assert work[0]["years"] == 5
    assert [e["programme"] for e in answers["higher"]["entries"]] == ["Nursing", "Public health"]
    assert answers["wishes_work"]["work_more"] == "Vil ta norsk autorisasjon"
    assert changed_by["work"] == changed_by["higher"] == changed_by["wishes_work"] == counsellor_id
    assert changed_by["name"] is None

    profile = client.get(f"/staff/counsellor/profile/{registration_id}").get_data(as_text=True)
    assert "Changed by veileder@example.no" in profile and "Public health" in profile
    corrections = [d for a, d, _r in _events(app, registration_id) if a == "entry.correct"]
    assert corrections == ["work", "higher", "wishes_work"]


def test_career_note_is_stored_encrypted_and_followed_up_is_marked(app, case):
    registration_id, client, counsellor_id = case
    url = f"/staff/counsellor/profile/{registration_id}/note"
    page = client.get(url).get_data(as_text=True)
    assert "Recognition of education (godkjenning)" in page and "<legend" in page
    note = {
        "revision": _hidden(page, "revision"), "competence": "Sykepleier i tre år",
        "wishes": "Vil jobbe som sykepleier", "needs": ["recognition", "authorisation"],
        "needs_text": "Søke godkjenning hos HK-dir", "obstacles": "",
        "recommendation": NOTE_MARKER,
    }
    too_long = client.post(url, data={**note, "obstacles": "x" * 4001})
    assert too_long.status_code == 400
    assert NOTE_MARKER in too_long.get_data(as_text=True)  # what was typed stays
    assert client.post(url, data={**note, "needs": ["recognition", "unknown"]}).status_code == 400
    saved = client.post(url, data={**note, "recommendation": "\u2067" + NOTE_MARKER + "\x07"})
    assert saved.status_code == 303
    stale = client.post(url, data={**note, "recommendation": "Another text"})
    assert stale.status_code == 409
    assert "Someone else saved a career note" in stale.get_data(as_text=True)

    _a, _v, stored, _c, _f = _load(app, registration_id)
    assert stored.values["recommendation"] == NOTE_MARKER  # cleaned of bidi and control chars
    assert stored.values["needs"] == ["recognition", "authorisation"]
    raw = stored_bytes(app)
    assert NOTE_MARKER.encode() not in raw and "Søke godkjenning".encode() not in raw

    profile = client.get(f"/staff/counsellor/profile/{registration_id}").get_data(as_text=True)
    assert NOTE_MARKER in profile and "veileder@example.no" in profile

    listed = client.get("/staff/counsellor?filter=open").get_data(as_text=True)
    assert registration_id[:4].upper() in listed
    marked = client.post(f"/staff/counsellor/profile/{registration_id}/followed-up")
    assert marked.status_code == 303
    assert _load(app, registration_id)[4] is not None
    still_open = client.get("/staff/counsellor?filter=open").get_data(as_text=True)
    assert registration_id[:4].upper() not in still_open
    assert registration_id[:4].upper() in client.get("/staff/counsellor").get_data(as_text=True)

    actions = [a for a, _d, r in _events(app) if r == registration_id]
    assert {"profile.view", "career_note.save", "profile.followed_up"} <= set(actions)
    assert actions.count("career_note.save") == 1
    lists = [d for a, d, _r in _events(app) if a == "registration.list"]
    assert len(lists) == 3 and all("counsellor page 1" in d for d in lists)
    with app.app_context():
        assert audit.verify(db.session()).intact


def test_every_catalogue_step_has_its_place_in_the_profile_once():
    placed = [key for _key, _title, keys in SECTIONS for key in keys]
    assert sorted(placed) == sorted(step.key for step in CATALOGUE.steps)


@pytest.mark.parametrize("understand, speak, expected", [
    ("B2", "none", ("none", "yes")), ("A2", "B1", ("A2", "yes")), ("B1", "C1", ("B1", "maybe")),
    ("B2", "C1", ("B2", "no")), (None, None, (None, "unknown")),
])
def test_interpreter_need_follows_the_lower_of_understanding_and_speaking(understand, speak,
                                                                          expected):
    answers = {"norwegian": {"understand": understand, "speak": speak}}
    assert interpreter_need(answers) == expected


def test_a_restriction_landing_during_a_correction_answers_404_and_saves_nothing(
    app, case, monkeypatch
):
    """Restricted between the scope check and the write (the row lock sees it): out of scope."""
    from selfreg import saves

    registration_id, client, _counsellor_id = case
    before, *_ = _load(app, registration_id)
    work_id = before["work"]["entries"][0]["id"]
    url = f"/staff/counsellor/profile/{registration_id}/step/work/entry/{work_id}"
    form_page = client.get(url).get_data(as_text=True)

    def restricted_meanwhile(_db, registration):
        raise saves.RegistrationRestricted(registration.id)

    monkeypatch.setattr(saves, "hold_for_writing", restricted_meanwhile)
    response = client.post(url, data={
        "occupation_text": "nurse", "occupation": "2221", "arrangement": "employed",
        "tasks": "Changed meanwhile", "years": "5", "country": "ER", "licence": "yes",
        "revision": _hidden(form_page, "revision"),
        "entry_digest": _hidden(form_page, "entry_digest"),
    })
    assert response.status_code == 404
    assert "Changed meanwhile" not in str(_load(app, registration_id)[0])
