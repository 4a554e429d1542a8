"""``flask --app selfreg import FILE``: case files (JSON Lines) in, with every refusal said.

An operator moving registrations between installations needs to know exactly which lines did
not come across and why, so each refusal is printed with its line number and field, progress
goes to stderr now and then, and the exit status is non-zero when any line was refused.
"""
from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from . import db, keys
from .exports.importer import ImportCounts, Refusal, import_case_files, read_lines
from .models import User

PROGRESS_EVERY = 1000


def _staff_user_id(email: str | None) -> int | None:
    if not email:
        return None
    user = db.session().scalar(select(User).where(User.email == email.strip().lower()))
    if user is None or not user.active:
        raise click.ClickException(f"No active staff user with the e-mail address {email!r}.")
    return user.id


@click.command("import")
@with_appcontext
@click.argument("file", type=click.File("rb"))
@click.option("--staff-user", "staff_email", metavar="EMAIL",
              help="Staff user here who answers for steps the file says staff changed.")
@click.option("--progress-every", default=PROGRESS_EVERY, show_default=True,
              type=click.IntRange(1), help="Print a progress line after this many lines.")
def import_command(file, staff_email: str | None, progress_every: int) -> None:
    """Import case files (JSON Lines, one per line; - for stdin)."""
    staff_user_id = _staff_user_id(staff_email)

    def refused(refusal: Refusal) -> None:
        for message in refusal.messages():
            click.echo(message, err=True)

    def progress(counts: ImportCounts) -> None:
        click.echo(f"{counts.read} lines read: {counts.imported} imported, "
                   f"{counts.refused} refused", err=True)

    counts = import_case_files(
        db.session(), keys.keyring(), read_lines(file), staff_user_id=staff_user_id,
        on_refusal=refused, on_progress=progress, progress_every=progress_every,
    )
    click.echo(f"Imported {counts.imported} of {counts.read} case files; {counts.refused} refused.")
    if counts.refused:
        raise click.exceptions.Exit(1)


COMMANDS = [import_command]
