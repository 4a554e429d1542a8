"""Migrations run up and down, and the schema they build is the one the models describe."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from selfreg import migrate
from selfreg.models import Base


def test_upgrade_downgrade_upgrade(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    migrate.upgrade(engine)
    assert "idempotency_keys" in inspect(engine).get_table_names()
    columns = {c["name"] for c in inspect(engine).get_columns("idempotency_keys")}
    assert columns == {"id", "registration_id", "key", "step", "revision", "created_at"}
    migrate.downgrade(engine, "0001")
    assert "idempotency_keys" not in inspect(engine).get_table_names()
    assert "answers" in inspect(engine).get_table_names()
    migrate.upgrade(engine)
    assert "idempotency_keys" in inspect(engine).get_table_names()


def test_migrated_schema_matches_the_models(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'm.sqlite'}")
    migrate.upgrade(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
