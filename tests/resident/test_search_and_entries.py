"""The no-JavaScript search step and repeatable entries (add, change, remove)."""
from __future__ import annotations

import pytest

from .walk import ENTRIES, accept_privacy, path_of, sign_in, walk

EN = {"Accept-Language": "en"}


@pytest.fixture
def at_work(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    walk(client, stop_before="work")
    return client


def test_search_button_lists_occupations_without_saving(at_work):
    response = at_work.post("/q/work/add", data={"occupation_text": "nurse", "action": "search:occupation"}, headers=EN)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="occupation" value="2221"' in page
    assert "None of these" in page
    assert 'value="nurse"' in page  # what was typed stays
    assert "Nothing added yet" in at_work.get("/q/work", headers=EN).get_data(as_text=True)


def test_search_with_no_hits_says_so(at_work):
    page = at_work.post("/q/work/add", data={"occupation_text": "qqqqzzzz", "action": "search:occupation"}, headers=EN).get_data(as_text=True)
    assert "We found nothing" in page


def test_own_words_are_kept_when_nothing_fits(at_work):
    data = dict(ENTRIES["work"][0], occupation="", occupation_text="national service, radio operator",
                arrangement="military")
    assert at_work.post("/q/work/add", data=data).status_code == 303
    page = at_work.get("/q/work").get_data(as_text=True)
    assert "national service, radio operator" in page


def test_made_up_occupation_code_is_refused(at_work):
    data = dict(ENTRIES["work"][0], occupation="9999x")
    assert at_work.post("/q/work/add", data=data).status_code == 400


def test_entries_are_added_changed_and_removed(at_work):
    at_work.post("/q/work/add", data=ENTRIES["work"][0])
    second = dict(ENTRIES["work"][0], occupation="7411", occupation_text="electrician", years="5")
    at_work.post("/q/work/add", data=second)
    listing = at_work.get("/q/work", headers=EN).get_data(as_text=True)
    assert listing.count('class="entry"') == 2
    import re

    ids = re.findall(r'href="/q/work/([0-9a-f]{12})"', listing)
    assert len(ids) == 2
    changed = dict(second, years="7", occupation_text="electrician (industrial)")
    assert path_of(at_work.post(f"/q/work/{ids[1]}", data=changed)) == "/q/work"
    assert 'value="7"' in at_work.get(f"/q/work/{ids[1]}").get_data(as_text=True)
    confirm = at_work.get(f"/q/work/{ids[0]}/remove", headers=EN)
    assert "Do you want to remove this?" in confirm.get_data(as_text=True)
    assert path_of(at_work.post(f"/q/work/{ids[0]}/remove")) == "/q/work"
    listing = at_work.get("/q/work").get_data(as_text=True)
    assert listing.count('class="entry"') == 1 and ids[0] not in listing


def test_continue_without_entries_asks_for_one(at_work):
    response = at_work.post("/q/work", data={}, headers=EN)
    assert response.status_code == 400
    assert "Add at least one" in response.get_data(as_text=True)


def test_unknown_entry_is_404(at_work):
    assert at_work.get("/q/work/000000000000").status_code == 404
    assert at_work.post("/q/work/000000000000/remove").status_code == 404


def test_language_search_finds_languages_beyond_the_interface(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    walk(client, stop_before="mother_tongue")
    for typed, expected in (("lingala", "ln"), ("tigre", "tig"), ("ትግርኛ", "ti")):
        page = client.post("/q/mother_tongue/add", data={"language_text": typed, "action": "search:language"}).get_data(as_text=True)
        assert f'name="language" value="{expected}"' in page, typed


def test_changing_from_review_returns_to_review(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    walk(client)
    response = client.post("/q/name?from=review", data={"given_names": "Amina", "family_name": "Tesfay"})
    assert path_of(response) == "/review"


def test_a_change_that_opens_a_new_step_asks_it_before_review(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    walk(client, answers={"training_any": {"any": "no"}})
    response = client.post("/q/training_any?from=review", data={"any": "yes"})
    assert path_of(response) == "/q/training"
