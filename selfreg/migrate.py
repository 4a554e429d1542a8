"""Schema migrations with Alembic, shipped inside the package (no alembic.ini needed)."""
from __future__ import annotations

from typing import Callable

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection, Engine

from .resources import migrations_dir


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    _run(engine, command.upgrade, revision)


def downgrade(engine: Engine, revision: str) -> None:
    _run(engine, command.downgrade, revision)


def _run(engine: Engine, alembic_command: Callable[[Config, str], None], revision: str) -> None:
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.connect() as connection:
        enforced = _sqlite_foreign_keys(connection, None)
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                alembic_command(config, revision)
        finally:
            _sqlite_foreign_keys(connection, enforced)


def _sqlite_foreign_keys(connection: Connection, restore: bool | None) -> bool | None:
    """Off for the migration on SQLite; returns what it was, or sets it back (``restore``).

    Alembic's batch mode changes a SQLite table by copying it and dropping the old one; with
    foreign keys enforced (as the app connects), that DROP would cascade to every answer.
    The pragma only takes effect outside a transaction, hence the commits.
    """
    if connection.dialect.name != "sqlite":
        return None
    if restore is None:
        was_on = bool(connection.exec_driver_sql("PRAGMA foreign_keys").scalar())
        connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
        connection.commit()
        return was_on
    connection.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if restore else 'OFF'}")
    connection.commit()
    return restore
