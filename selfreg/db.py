"""One SQLAlchemy engine per app and one session per request.

SQLite is the embedded default; PostgreSQL is chosen by ``SELFREG_DATABASE_URL``. On SQLite we turn
on foreign keys, WAL, a busy timeout and ``secure_delete`` (so deleted ciphertext and wrapped keys
do not linger in free pages after crypto-shredding).
"""
from __future__ import annotations

from flask import Flask, current_app, g
from sqlalchemy import create_engine, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

EXTENSION_KEY = "selfreg.db"


class Database:
    def __init__(self, url: str, sqlite_busy_timeout_ms: int = 15000) -> None:
        self.url = url
        self.engine = make_engine(url, sqlite_busy_timeout_ms)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)

    def session(self) -> Session:
        return self.sessionmaker()


def make_engine(url: str, sqlite_busy_timeout_ms: int = 15000) -> Engine:
    if url.startswith("sqlite"):
        busy_ms = max(0, int(sqlite_busy_timeout_ms))
        engine = create_engine(url, connect_args={"timeout": busy_ms / 1000})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA secure_delete=ON")
            cursor.execute(f"PRAGMA busy_timeout={busy_ms}")
            cursor.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = Database(
        app.config["SELFREG_DATABASE_URL"],
        app.config.get("SELFREG_SQLITE_BUSY_TIMEOUT_MS", 15000),
    )
    app.teardown_appcontext(_close_session)


def database(app: Flask | None = None) -> Database:
    return (app or current_app).extensions[EXTENSION_KEY]


def session() -> Session:
    """The session for this app context, created on first use."""
    if "db_session" not in g:
        g.db_session = database().session()
    return g.db_session


def _close_session(exc: BaseException | None) -> None:
    db_session = g.pop("db_session", None)
    if db_session is not None:
        if exc is not None:
            db_session.rollback()
        db_session.close()
