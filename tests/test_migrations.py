"""Migrations run up and down on both databases, and build the schema the models describe."""
from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

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


def test_every_step_down_and_up_again(empty_engine):
    migrate.upgrade(empty_engine)
    full = tables(empty_engine)
    assert {"answers", "idempotency_keys", "audit_events", "rate_counters"} <= full
    columns = {c["name"] for c in inspect(empty_engine).get_columns("idempotency_keys")}
    assert columns == {"id", "registration_id", "key", "step", "revision", "created_at"}

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
