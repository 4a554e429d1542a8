"""Commands for staff accounts and the audit trail: ``create-user``, ``verify-audit``."""
from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from . import accounts, audit, db, registrations
from .models import Role


def _read_password() -> str:
    """From standard input: one line when piped, asked twice (hidden) at a terminal."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


@click.command("create-user")
@with_appcontext
@click.argument("email")
@click.option("--role", required=True, type=click.Choice(Role.ALL))
@click.option("--centre", "centre_names", multiple=True,
              help="Reception centre of a guide (repeat for several).")
@click.option("--region", "region_name", default=None, help="Region of a counsellor.")
def create_user_command(email: str, role: str, centre_names: tuple[str, ...],
                        region_name: str | None) -> None:
    """Add a staff user; the password is read from standard input.

    The user sets up the second factor (TOTP) at the first login.
    """
    session = db.session()
    try:
        centres = [registrations.centre_by_name(session, name) for name in centre_names]
    except registrations.CentreNotFound as exc:
        raise click.ClickException(f"No centre called {exc.args[0]!r}.") from exc
    if role == Role.GUIDE and not centres:
        raise click.ClickException("A guide needs at least one --centre.")
    region = None
    if region_name:
        region = registrations.region_by_name(session, region_name, create=True)
    if role == Role.COUNSELLOR and region is None:
        raise click.ClickException("A counsellor needs a --region.")
    try:
        user = accounts.create_user(session, email, role, _read_password(), centres=centres,
                                    region=region)
    except accounts.AccountError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record(session, audit.Action.USER_CREATE, detail=f"user {user.id} {role}",
                 actor=audit.SYSTEM)
    session.commit()
    click.echo(f"Created {role} {user.email}. The second factor is set up at the first login.")


@click.command("verify-audit")
@with_appcontext
def verify_audit_command() -> None:
    """Check the audit trail's hash chain; exits 1 at the first broken link."""
    report = audit.verify(db.session())
    if report.intact:
        click.echo(f"Audit trail intact: {report.checked} events.")
        return
    click.echo(
        f"Audit trail BROKEN at event {report.broken_at}: {report.reason} "
        f"({report.checked} events before it are intact).", err=True,
    )
    sys.exit(1)


COMMANDS = [create_user_command, verify_audit_command]
