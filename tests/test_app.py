"""App-wide behaviour: health, headers, CSRF, configuration, installed resources."""
from __future__ import annotations

import pytest

from selfreg import create_app
from selfreg.config import ConfigError, load_settings


def test_healthz_answers_with_json(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_healthz_reports_a_broken_database(make_app, tmp_path):
    app = make_app()
    app.extensions["selfreg.db"].engine.dispose()
    from selfreg import db

    broken = db.Database(f"sqlite:///{tmp_path}/missing/dir/x.sqlite")
    app.extensions["selfreg.db"] = broken
    response = app.test_client().get("/healthz")
    assert response.status_code == 503


def test_pages_are_not_cached_and_have_a_strict_csp(client):
    response = client.get("/")
    assert response.headers["Cache-Control"] == "no-store"
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_csrf_is_enforced_when_enabled(make_app, create_registration):
    app = make_app(csrf=True)
    client = app.test_client()
    _rid, code, _ = create_registration()
    response = client.post("/", data={"code": code}, headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "open too long" in response.get_data(as_text=True)
    page = client.get("/").get_data(as_text=True)
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/", data={"code": code, "csrf_token": token}).status_code == 302


def test_unknown_page_is_a_translated_404(client):
    response = client.get("/nowhere", headers={"Accept-Language": "en"})
    assert response.status_code == 404
    assert "This page does not exist" in response.get_data(as_text=True)


def test_generated_secret_is_kept_in_the_instance_folder(tmp_path, caplog):
    env = {"SELFREG_INSTANCE": str(tmp_path / "inst")}
    first = load_settings(env)
    assert (tmp_path / "inst" / "secret_key").stat().st_mode & 0o777 == 0o600
    assert "generated a new secret key" in caplog.text
    assert load_settings(env).secret_key == first.secret_key


def test_production_refuses_missing_or_short_secrets(tmp_path):
    base = {"SELFREG_INSTANCE": str(tmp_path), "SELFREG_ENV": "production",
            "SELFREG_KEYRING": str(tmp_path / "k.json")}
    with pytest.raises(ConfigError):
        load_settings(base)
    with pytest.raises(ConfigError):
        load_settings({**base, "SELFREG_SECRET_KEY": "short"})
    with pytest.raises(ConfigError):
        load_settings({"SELFREG_INSTANCE": str(tmp_path), "SELFREG_ENV": "production",
                       "SELFREG_SECRET_KEY": "x" * 40})


def test_database_url_defaults_to_sqlite_in_the_instance_folder(tmp_path):
    settings = load_settings({"SELFREG_INSTANCE": str(tmp_path), "SELFREG_SECRET_KEY": "k" * 40})
    assert settings.database_url == f"sqlite:///{tmp_path / 'selfreg.sqlite'}"


def test_app_runs_before_init_db_and_says_it_is_not_ready(instance):
    app = create_app({"TESTING": True})
    response = app.test_client().post("/", data={"code": "x"})
    assert response.status_code in (400, 503)


def test_every_post_route_refuses_a_missing_csrf_token(make_app, create_registration):
    """Walk the URL map: no POST view may change anything without a valid token."""
    app = make_app(csrf=True)
    _rid, code, _ = create_registration()
    client = app.test_client()
    import re

    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/").get_data(as_text=True)).group(1)
    assert client.post("/", data={"code": code, "csrf_token": token}).status_code == 302
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/privacy").get_data(as_text=True)).group(1)
    assert client.post("/privacy", data={"accept": "y", "csrf_token": token}).status_code == 303
    examples = {"step_key": "name", "entry_id": "000000000000", "token": "x"}
    checked = 0
    for rule in app.url_map.iter_rules():
        # Staff routes need a staff login first: tests/staff/test_csrf.py walks them.
        if "POST" not in rule.methods or rule.endpoint == "static" or rule.endpoint.startswith("staff."):
            continue
        url = rule.build(examples)[1] if rule.arguments else rule.rule
        if "<" in url:
            url = rule.rule
            for name, value in examples.items():
                url = url.replace(f"<{name}>", value)
        response = client.post(url, data={"given_names": "Mallory", "family_name": "X", "accept": "y"})
        assert response.status_code in (400, 404), (rule.rule, response.status_code)
        checked += 1
    assert checked >= 6
    page = client.get("/q/name").get_data(as_text=True)
    assert "Mallory" not in page


def test_forwarded_headers_count_only_behind_configured_proxies(make_app):
    from flask import request

    for hops, expected in ((0, "127.0.0.1"), (1, "203.0.113.7")):
        app = make_app(SELFREG_TRUSTED_PROXIES=hops)
        seen = {}

        @app.get("/_probe")
        def probe():
            seen["addr"], seen["scheme"] = request.remote_addr, request.scheme
            return "ok"

        # A client's own X-Forwarded-For before the proxy's is not believed: only the last hop.
        app.test_client().get("/_probe", headers={
            "X-Forwarded-For": "198.51.100.1, 203.0.113.7", "X-Forwarded-Proto": "https"})
        assert seen["addr"] == expected
        assert seen["scheme"] == ("https" if hops else "http")
