"""The two databases the suite runs on: SQLite files, and PostgreSQL when one is configured.

PostgreSQL is named by ``SELFREG_TEST_POSTGRES_URL`` (a URL of its maintenance database, which
``tools/start-test-postgres.sh`` prints). The migrations run once into a template database; each
test gets a copy of it (``CREATE DATABASE … TEMPLATE``), dropped again when the test ends.
"""
from __future__ import annotations

import os
import uuid

from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

POSTGRES_URL_VARIABLE = "SELFREG_TEST_POSTGRES_URL"


def configured_postgres_url() -> str | None:
    return os.environ.get(POSTGRES_URL_VARIABLE) or None


class PostgresServer:
    """Creates and drops the per-test databases on one PostgreSQL server."""

    def __init__(self, maintenance_url: str) -> None:
        self.url: URL = make_url(maintenance_url)
        self._admin = create_engine(self.url, isolation_level="AUTOCOMMIT", pool_size=1)
        self._template_ready = False
        # One template per test run, so that runs side by side do not drop each other's.
        self.template = f"selfreg_template_{uuid.uuid4().hex[:12]}"

    def url_for(self, name: str) -> str:
        return self.url.set(database=name).render_as_string(hide_password=False)

    def _ensure_template(self) -> None:
        if self._template_ready:
            return
        from selfreg import migrate

        self._execute(f'CREATE DATABASE "{self.template}"')
        engine = create_engine(self.url_for(self.template))
        try:
            migrate.upgrade(engine)
        finally:
            engine.dispose()
        self._template_ready = True

    def create_database(self, *, migrated: bool = True) -> str:
        """A new database: a copy of the migrated template, or empty."""
        name = f"selfreg_test_{uuid.uuid4().hex[:16]}"
        if migrated:
            self._ensure_template()
            self._execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{self.template}" STRATEGY FILE_COPY')
        else:
            self._execute(f'CREATE DATABASE "{name}"')
        return name

    def copy_database(self, source: str) -> str:
        """A copy of a database (as a backup job would take it); no one may be connected to it."""
        name = f"selfreg_test_{uuid.uuid4().hex[:16]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{source}" STRATEGY FILE_COPY')
        return name

    def drop_database(self, name: str) -> None:
        self._drop(name)

    def _drop(self, name: str) -> None:
        self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _execute(self, statement: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(statement))

    def close(self) -> None:
        if self._template_ready:
            self._drop(self.template)
        self._admin.dispose()


def stored_bytes(app) -> bytes:
    """Everything the app's database holds, for tests that look for text stored in clear.

    SQLite: the raw bytes of the database file and its WAL and journal (free pages included).
    PostgreSQL: every value of every row of every table (bytea as its raw bytes), read over SQL;
    the server's files are not ours to read.
    """
    from pathlib import Path

    from sqlalchemy import inspect, table, select, literal_column

    from selfreg import db

    url = app.config["SELFREG_DATABASE_URL"]
    if url.startswith("sqlite:///"):
        database = Path(url.removeprefix("sqlite:///"))
        paths = [database] + [Path(f"{database}{suffix}") for suffix in ("-wal", "-journal")]
        return b"".join(path.read_bytes() for path in paths if path.exists())
    engine = db.database(app).engine
    parts: list[bytes] = []
    with engine.connect() as connection:
        for name in inspect(connection).get_table_names():
            rows = connection.execute(select(literal_column("*")).select_from(table(name)))
            for row in rows:
                for value in row:
                    if isinstance(value, (bytes, memoryview)):
                        parts.append(bytes(value))
                    elif value is not None:
                        parts.append(str(value).encode("utf-8"))
    return b"\n".join(parts)
