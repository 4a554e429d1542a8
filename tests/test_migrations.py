"""Migrations run up and down on both databases, and build the schema the models describe."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, event, inspect, text

from selfreg import migrate
from selfreg.models import Base

from .conftest import DATABASES


@pytest.fixture(params=DATABASES)
def empty_engine(request, tmp_path):
    """An engine on an empty database: a new SQLite file, or a new PostgreSQL database."""
    if request.param == "sqlite":
        engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
        yield engine
        engine.dispose()
        return
    server = request.getfixturevalue("postgres_server")
    name = server.create_database(migrated=False)
    engine = create_engine(server.url_for(name))
    yield engine
    engine.dispose()
    server.drop_database(name)


def tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


def columns_of(engine, table: str) -> set[str]:
    return {column["name"] for column in inspect(engine).get_columns(table)}


def test_every_step_down_and_up_again(empty_engine):
    migrate.upgrade(empty_engine)
    full = tables(empty_engine)
    assert {"answers", "idempotency_keys", "audit_events", "rate_counters"} <= full
    columns = {c["name"] for c in inspect(empty_engine).get_columns("idempotency_keys")}
    assert columns == {"id", "registration_id", "key", "step", "revision", "created_at"}

    assert "restricted_at" in columns_of(empty_engine, "registrations")

    migrate.downgrade(empty_engine, "0004")
    assert "restricted_at" not in columns_of(empty_engine, "registrations")
    assert "exported_at" in columns_of(empty_engine, "registrations")
    migrate.downgrade(empty_engine, "0003")
    assert "rate_counters" not in tables(empty_engine)
    migrate.downgrade(empty_engine, "0002")
    assert "audit_events" not in tables(empty_engine) and "users" not in tables(empty_engine)
    migrate.downgrade(empty_engine, "0001")
    assert "idempotency_keys" not in tables(empty_engine)
    assert "answers" in tables(empty_engine)
    migrate.downgrade(empty_engine, "base")
    assert tables(empty_engine) <= {"alembic_version"}

    migrate.upgrade(empty_engine)
    assert tables(empty_engine) == full


def test_migrated_schema_matches_the_models(empty_engine):
    migrate.upgrade(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_going_down_keeps_the_rows(empty_engine):
    # SQLite with foreign keys on (as the app runs it): copying a table to drop a column
    # (0003's and 0005's downgrades) would delete the old table's rows first, and ON DELETE
    # CASCADE every answer with them; selfreg.migrate turns enforcement off meanwhile.
    if empty_engine.dialect.name == "sqlite":
        event.listen(empty_engine, "connect",
                     lambda connection, _record: connection.execute("PRAGMA foreign_keys=ON"))
    migrate.upgrade(empty_engine)
    with empty_engine.begin() as connection:
        connection.execute(text(
            "INSERT INTO centres (id, name, created_at) VALUES (1, 'C', CURRENT_TIMESTAMP)"))
        connection.execute(text(
            "INSERT INTO registrations (id, centre_id, code_lookup, status, steps_done, "
            "created_at, updated_at, restricted_at) VALUES ('r1', 1, :code, 'new', 0, "
            "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"), {"code": b"x" * 32})
        connection.execute(text(
            "INSERT INTO answers (registration_id, step, revision, payload, updated_at) "
            "VALUES ('r1', 'name', 1, :payload, CURRENT_TIMESTAMP)"), {"payload": b"ciphertext"})
    for revision in ("0004", "0002"):
        migrate.downgrade(empty_engine, revision)
        with empty_engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM registrations")).scalar() == 1
            assert connection.execute(text("SELECT count(*) FROM answers")).scalar() == 1
            if empty_engine.dialect.name == "sqlite":  # and enforcement is back on after
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
