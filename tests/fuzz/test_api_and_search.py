"""Hostile requests to the case system's pull API (tokens, cursors, ``since``) and to search as
you type. The pull API must refuse what it cannot use without moving the cursor, and a ``since``
given in any time zone selects exactly the registrations changed at or after that instant."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import example, given
from hypothesis import strategies as st

from tests.resident.walk import sign_in

from .cases import pull_state, records_in
from .hostile import NUMBERISH, fuzz_settings, hostile_text
from .support import assert_answered

OFFSETS = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: timezone(timedelta(minutes=m)))


@st.composite
def since_values(draw, changed_at: datetime) -> str:
    """Around the moment the registration changed, in any time zone; or anything at all."""
    near = changed_at + timedelta(seconds=draw(st.integers(-4 * 3600, 4 * 3600)))
    return draw(st.one_of(
        st.just(near.astimezone(draw(OFFSETS)).isoformat()),
        st.just(near.replace(tzinfo=None).isoformat()),
        st.sampled_from(["", "2025-01-31", "0001-01-01T00:00:00+01:00",
                         "9999-12-31T23:59:59-14:00", "9999-12-31", "now", "2025-02-30",
                         "2025-01-01T25:00", *NUMBERISH]),
        hostile_text(30)))


AUTHORIZATIONS = ["", "Bearer", "Bearer ", "bearer {token}", "Bearer  {token}", "Basic {token}",
                  "Bearer {token}x", "Bearer {token}\x00", "Bearer " + "y" * 5000, "Bearer é",
                  "Bearer {token}", "BEARER {token}"]


def _header(text: str) -> str:
    return text.encode("utf-8").decode("latin-1").replace("\r", "").replace("\n", "")


@fuzz_settings(14)
@given(data=st.data())
@example(data=None)
def test_pull_api(app, puller, data):
    cursor, changed_at = pull_state(app, puller)
    if data is None:  # the case system asks in Norwegian local time, an hour after UTC
        auth = "Bearer {token}"
        since = changed_at.astimezone(timezone(timedelta(hours=1))).isoformat()
    else:
        auth = data.draw(st.one_of(st.sampled_from(AUTHORIZATIONS), hostile_text(40)), label="auth")
        since = data.draw(st.one_of(st.none(), since_values(changed_at)), label="since")
    query = "" if since is None else f"?since={quote(since, safe='')}"
    response = puller.client.get(f"/api/v1/case-files{query}", headers={
        "Authorization": _header(auth.replace("{token}", puller.token))})
    assert_answered(response)
    bundle = response.get_data()
    after_cursor, _ = pull_state(app, puller)
    if response.status_code != 200:
        assert response.status_code in (400, 401, 409), response.status_code
        assert after_cursor == cursor
        return
    assert after_cursor is not None and (cursor is None or after_cursor >= cursor)
    if since:
        wanted = datetime.fromisoformat(since)
        wanted = wanted if wanted.tzinfo else wanted.replace(tzinfo=UTC)
    else:
        wanted = cursor
    expected = 1 if wanted is None or changed_at >= wanted else 0
    assert records_in(bundle, puller) == expected, (since, changed_at)


@pytest.fixture
def searcher(app, client, create_registration) -> FlaskClient:
    _rid, code, _token = create_registration()
    assert client.get("/api/search/occupation?q=nurse").status_code == 401
    sign_in(client, code)
    return client


@fuzz_settings(12)
@given(kind=st.one_of(st.sampled_from(["occupation", "language"]), hostile_text(12)),
       q=st.one_of(st.sampled_from(["nurse", "sykepleier", "ممرض", "ti", "a" * 101]),
                   hostile_text(60)),
       lang=st.one_of(st.sampled_from(["nb", "ar", "ti", "en"]), hostile_text(8)))
@example(kind="occupation", q="\x00", lang="\x00")
def test_search_as_you_type(searcher, kind, q, lang):
    response = searcher.get(
        f"/api/search/{quote(kind, safe='')}?q={quote(q, safe='')}&lang={quote(lang, safe='')}")
    assert_answered(response)
    assert response.status_code in (200, 404, 429)
    if response.status_code == 200:
        payload = response.get_json()
        assert len(payload["results"]) <= 10 and len(payload["query"]) <= 100
        assert all(set(hit) == {"code", "label"} for hit in payload["results"])
