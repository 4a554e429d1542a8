"""``flask --app selfreg ...`` commands. Names and options are a contract (docs/ARCHITECTURE.md)."""
from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from . import access_codes, db, keys, migrate, registrations
from .models import SystemInfo


def _fail(message: str) -> None:
    raise click.ClickException(message)


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema, and the keyring on first use."""
    init_database(current_app)
    click.echo("Database is up to date.")


def init_database(app: Flask) -> None:
    from pathlib import Path

    from . import signing

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)  # the SQLite file lives there
    database = db.database(app)
    migrate.upgrade(database.engine)
    keyring, _created = keys.ensure_keyring(app)
    signing.ensure_signing_key(app)
    with database.session() as session:
        stored = session.get(SystemInfo, keys.KEYRING_ID)
        if stored is None:
            session.add(SystemInfo(key=keys.KEYRING_ID, value=keyring.keyring_id))
            session.commit()
        else:
            keyring.check_keyring_id(stored.value)


@click.command("create-centre")
@with_appcontext
@click.argument("name")
def create_centre_command(name: str) -> None:
    """Add a reception centre."""
    session = db.session()
    clean = name.strip()
    if not clean or len(clean) > 200:
        _fail("The centre name must be 1 to 200 characters.")
    from .models import Centre

    if session.scalar(select(Centre).where(Centre.name == clean)):
        _fail(f"A centre called {clean!r} exists already.")
    registrations.create_centre(session, clean)
    session.commit()
    click.echo(f"Created centre {clean!r}.")


@click.command("new-registration")
@with_appcontext
@click.option("--centre", "centre_name", required=True, help="Name of the reception centre.")
@click.option("--count", default=1, show_default=True, type=click.IntRange(1, 1000))
@click.option("--links", is_flag=True, help="Also print the one-time link path after each code.")
def new_registration_command(centre_name: str, count: int, links: bool) -> None:
    """Create registrations; prints one resident code per line."""
    session = db.session()
    try:
        centre = registrations.centre_by_name(session, centre_name)
    except registrations.CentreNotFound:
        _fail(f"No centre called {centre_name!r}. Create it with create-centre.")
    created = registrations.create_registrations(session, keys.keyring(), centre, count)
    session.commit()
    for item in created:
        line = access_codes.format_code(item.code)
        if links:
            line += f"\t/l/{item.link_token}"
        click.echo(line)


DEMO_CENTRE = "Demo mottak"


@click.command("demo-data")
@with_appcontext
@click.option("--people", default=0, show_default=True, type=click.IntRange(0, 1_000_000),
              help="How many filled-in, submitted fake registrations to add.")
def demo_data_command(people: int) -> None:
    """A demo centre, optional fake people, and a fresh resident code to try."""
    from .models import Centre

    session = db.session()
    centre = session.scalar(select(Centre).where(Centre.name == DEMO_CENTRE))
    if centre is None:
        centre = registrations.create_centre(session, DEMO_CENTRE)
    if people:
        from .demo import add_demo_people

        add_demo_people(session, keys.keyring(), centre, people, progress=click.echo)
    fresh = registrations.create_registrations(session, keys.keyring(), centre, 1)[0]
    session.commit()
    click.echo(f"Demo centre: {DEMO_CENTRE}")
    click.echo(f"Try this resident code: {access_codes.format_code(fresh.code)}")


def register(app: Flask) -> None:
    from .cli_bundles import COMMANDS as BUNDLE_COMMANDS
    from .cli_exports import COMMANDS as IMPORT_COMMANDS
    from .cli_keys import COMMANDS as KEY_COMMANDS
    from .cli_staff import COMMANDS as STAFF_COMMANDS
    from .cli_stats import COMMANDS as STATS_COMMANDS

    for command in (init_db_command, create_centre_command, new_registration_command,
                    demo_data_command):
        app.cli.add_command(command)
    for command in (*KEY_COMMANDS, *STAFF_COMMANDS, *STATS_COMMANDS, *BUNDLE_COMMANDS,
                    *IMPORT_COMMANDS):
        app.cli.add_command(command)
