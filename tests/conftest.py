"""Shared fixtures: an app per test on a temporary instance folder, and factories."""
from __future__ import annotations

import gc
import os
import socket

import pytest

from selfreg import create_app
from selfreg.cli import init_database
from selfreg.db import database

from .databases import POSTGRES_URL_VARIABLE, PostgresServer, configured_postgres_url

# CI must run everything on both; elsewhere PostgreSQL joins when one is configured.
DATABASES = ("sqlite", "postgresql") if configured_postgres_url() or os.environ.get("CI") \
    else ("sqlite",)


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Fail any outbound connection: nothing may phone home (loopback is allowed)."""
    real_connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and host not in ("127.0.0.1", "::1", "localhost") and not host.startswith("/"):
            raise AssertionError(f"test tried to reach the network: {host}")
        return real_connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "sqlite_only(reason): reads SQLite's own files; not run on PostgreSQL")


def pytest_report_header(config):
    if "postgresql" in DATABASES:
        return f"databases: SQLite and PostgreSQL ({POSTGRES_URL_VARIABLE})"
    return (f"databases: SQLite only; for PostgreSQL too: export {POSTGRES_URL_VARIABLE}="
            "$(bash tools/start-test-postgres.sh)")


@pytest.fixture(scope="session")
def postgres_server():
    url = configured_postgres_url()
    if url is None:
        pytest.fail(f"CI must run the suite on PostgreSQL too: set {POSTGRES_URL_VARIABLE}")
    server = PostgresServer(url)
    yield server
    server.close()


@pytest.fixture(params=DATABASES)
def database_url(request):
    """Every test that builds an app runs on both databases (None: SQLite in the instance folder)."""
    if request.param == "sqlite":
        yield None
        return
    marker = request.node.get_closest_marker("sqlite_only")
    if marker is not None:
        pytest.skip(f"SQLite only: {marker.args[0] if marker.args else 'reads SQLite files'}")
    server = request.getfixturevalue("postgres_server")
    name = server.create_database()
    yield server.url_for(name)
    # Connections the test left behind (a session in a dropped client, an app in a reference
    # cycle) are finalised now, while their database exists. Dropped first, a later garbage
    # collection rolls them back on a dead server, and when that happens inside compile()
    # CPython 3.11 fails the next test with "AST constructor recursion depth mismatch".
    gc.collect()
    server.drop_database(name)


@pytest.fixture
def on_postgres(database_url) -> bool:
    return database_url is not None


@pytest.fixture
def instance(tmp_path, monkeypatch, database_url):
    folder = tmp_path / "instance"
    monkeypatch.setenv("SELFREG_INSTANCE", str(folder))
    monkeypatch.setenv("SELFREG_SECRET_KEY", "test-secret-key-that-is-long-enough-0123456789")
    if database_url is None:
        monkeypatch.delenv("SELFREG_DATABASE_URL", raising=False)
    else:
        monkeypatch.setenv("SELFREG_DATABASE_URL", database_url)
    monkeypatch.delenv("SELFREG_KEYRING", raising=False)
    monkeypatch.delenv("SELFREG_KEYRING_JSON", raising=False)
    monkeypatch.delenv("SELFREG_ENV", raising=False)
    folder.mkdir()
    return folder


@pytest.fixture
def make_app(instance):
    """Build an app; ``csrf=True`` for the tests that prove CSRF protection."""

    made = []

    def factory(csrf: bool = False, **overrides):
        config = {"TESTING": True, "WTF_CSRF_ENABLED": csrf, **overrides}
        app = create_app(config)
        init_database(app)
        made.append(app)
        return app

    yield factory
    for app in made:  # close pooled connections before the test's database is dropped
        database(app).engine.dispose()


@pytest.fixture
def app(make_app):
    return make_app()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def centre(app):
    from selfreg import db, registrations

    with app.app_context():
        created = registrations.create_centre(db.session(), "Testmottak")
        db.session().commit()
        return created.name


@pytest.fixture
def create_registration(app, centre):
    """Factory: a new registration; returns (registration id, code, one-time link token)."""
    from selfreg import db, keys, registrations

    def factory():
        with app.app_context():
            session = db.session()
            found = registrations.centre_by_name(session, centre)
            item = registrations.create_registrations(session, keys.keyring(), found, 1)[0]
            session.commit()
            return item.registration.id, item.code, item.link_token

    return factory
