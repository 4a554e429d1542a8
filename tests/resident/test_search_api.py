"""Search as you type: a small JSON endpoint behind the no-JavaScript Search button."""
from __future__ import annotations

import pytest

from .walk import accept_privacy, sign_in


@pytest.fixture
def signed_in(client, create_registration):
    _rid, code, _ = create_registration()
    sign_in(client, code)
    accept_privacy(client)
    return client


def test_occupations_in_the_readers_language(signed_in):
    english = signed_in.get("/api/search/occupation?q=nurse&lang=en").get_json()
    assert english["query"] == "nurse"
    assert 1 <= len(english["results"]) <= 10
    assert english["results"][0] == {"code": "2221", "label": "Nursing professionals"}
    bokmal = signed_in.get("/api/search/occupation?q=nurse&lang=nb").get_json()
    assert bokmal["results"][0]["code"] == "2221"
    assert bokmal["results"][0]["label"] != "Nursing professionals"


def test_languages_and_at_most_ten(signed_in):
    found = signed_in.get("/api/search/language?q=ar&lang=en").get_json()["results"]
    assert len(found) == 10
    tigrinya = signed_in.get("/api/search/language?q=tigrinya&lang=en").get_json()["results"]
    assert tigrinya[0]["code"] == "ti"


def test_empty_query_and_unknown_kind(signed_in):
    assert signed_in.get("/api/search/language?q=").get_json()["results"] == []
    assert signed_in.get("/api/search/recipes?q=x").status_code == 404


def test_only_for_a_signed_in_resident(client):
    assert client.get("/api/search/occupation?q=nurse").status_code == 401


def test_too_many_searches_are_slowed_down(signed_in, monkeypatch):
    from selfreg.resident import search_api

    monkeypatch.setattr(search_api.LIMITER, "_clock", lambda: 1_000_000.0)  # one window
    codes = [signed_in.get("/api/search/language?q=ar").status_code for _ in range(31)]
    assert codes[:30] == [200] * 30
    limited = signed_in.get("/api/search/language?q=ar")
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
