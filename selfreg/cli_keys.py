"""``flask --app selfreg`` commands for keys, erasure and retention (docs/SECURITY.md).

The commands print ids and counts only, never personal data or key material. Each one that
changes the keyring saves it in place (``SELFREG_KEYRING``); a keyring given whole in
``SELFREG_KEYRING_JSON`` cannot be rewritten, so those commands stop before touching anything.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import click
from flask import current_app
from flask.cli import with_appcontext

from . import access_codes, db, keyops, keys, registrations
from .crypto import RETIRED, CryptoError, Keyring, KeyringError
from .keyops import RotationStats

T = TypeVar("T")


def _save(updated: Keyring) -> None:
    keys.save(current_app, updated)


def _progress(what: str, done: int, total: int) -> None:
    click.echo(f"{what} {done}/{total}")


def _run(operation: Callable[[], T]) -> T:
    """Run a key operation alone (file lock), turning refusals into a message and exit 1."""
    try:
        with keyops.exclusive(current_app.config["SELFREG_KEYRING"]):
            return operation()
    except (keyops.KeyStillInUse, keyops.KeyOperationRunning) as exc:
        raise click.ClickException(str(exc)) from None
    except (KeyringError, CryptoError) as exc:
        # Crypto errors name keys and formats, never values.
        raise click.ClickException(f"{type(exc).__name__}: {exc}") from None


def _report_rotation(stats: RotationStats) -> None:
    """Echo what a rotation did; exit 1 if something was left that needs an operator."""
    if stats.new_key_id:
        click.echo(f"New active key: {stats.new_key_id}")
    elif stats.total:
        click.echo(f"Continued the unfinished rotation to key {stats.active_key_id}")
    click.echo(f"Re-wrapped {stats.rewrapped} of {stats.total} data keys.")
    if stats.retired:
        click.echo(f"Destroyed keys: {', '.join(stats.retired)}")
    click.echo("Back up the keyring now, and destroy older keyring backups when their "
               "database backups expire (docs/SECURITY.md).")
    problems = []
    if stats.unavailable:
        problems.append(
            f"{stats.unavailable} data key(s) could not be re-wrapped: their key is unknown "
            "or destroyed, or the wrapped key is damaged (see key-status)"
        )
    if stats.erasure_pending:
        blocked = ", ".join(f"{k} ({n})" for k, n in sorted(stats.still_in_use.items()))
        problems.append(
            "erasure not complete: the key(s) of erased registrations still exist ("
            + ", ".join(stats.erasure_pending) + ")"
            + (f"; old keys still wrapping data keys: {blocked}" if blocked else "")
        )
    if problems:
        raise click.ClickException("; ".join(problems))


@click.command("rotate-keys")
@with_appcontext
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000),
              help="Data keys re-wrapped per transaction.")
def rotate_keys_command(batch_size: int) -> None:
    """Make a new active key and re-wrap every data key with it (or continue a cut-off run)."""
    stats = _run(lambda: keyops.rotate(
        db.session(), keys.keyring(), save_keyring=_save, batch_size=batch_size,
        progress=_progress,
    ))
    _report_rotation(stats)


@click.command("retire-key")
@with_appcontext
@click.argument("key_id")
def retire_key_command(key_id: str) -> None:
    """Destroy a key that no data key needs any more (older backups then cannot be read)."""
    _run(lambda: keyops.retire(keys.keyring(), key_id, db.session(), save_keyring=_save))
    click.echo(f"Key {key_id} is retired; its material is gone from the keyring file.")
    click.echo("Older copies of the keyring still hold it until they are destroyed.")


@click.command("reindex")
@with_appcontext
@click.option("--invalidate-codes", is_flag=True,
              help="Forget the old index key at once: outstanding resident codes and one-time "
                   "links stop working. Use after a suspected leak of the index key.")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
def reindex_command(invalidate_codes: bool, batch_size: int) -> None:
    """Rotate the blind-index key and recompute the DUF and name + birth indexes."""
    stats = _run(lambda: keyops.reindex(
        db.session(), keys.keyring(), save_keyring=_save, invalidate_codes=invalidate_codes,
        batch_size=batch_size, progress=_progress,
    ))
    click.echo(("New index key: " if stats.new_key else "Continued with index key: ")
               + stats.index_key_id)
    click.echo(f"Re-indexed {stats.reindexed} registrations.")
    if stats.codes_invalidated:
        click.echo("Resident codes and one-time links made before this key no longer work.")
    else:
        click.echo("Older resident codes keep working through the previous index key until "
                   "the next reindex.")
    if stats.unreadable:
        raise click.ClickException(
            f"{stats.unreadable} registration(s) could not be read; their indexes were cleared"
        )


@click.command("erase")
@with_appcontext
@click.option("--code", required=True, help="The resident's code.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
def erase_command(code: str, yes: bool, batch_size: int) -> None:
    """Erase one person's registration for good, backups included (crypto-shredding)."""
    canonical = access_codes.normalise(code)
    if not access_codes.is_well_formed(canonical):
        raise click.ClickException("This is not a valid resident code (check each character).")
    session = db.session()
    keyring = keys.keyring()
    registration = registrations.find_by_code(session, keyring, canonical)
    if registration is None:
        raise click.ClickException("No registration has this code, or it is erased already.")
    if not yes:
        click.confirm(
            f"Erase registration {registration.id}? Its answers cannot be recovered, "
            "not even from backups.", abort=True,
        )
    report = _run(lambda: keyops.erase_registrations(
        session, keys.keyring(), [registration], save_keyring=_save, batch_size=batch_size,
        progress=_progress,
    ))
    click.echo(f"Erased registration {registration.id}.")
    _tell_recipients(session, registration.id)
    if report.rotation is not None:
        _report_rotation(report.rotation)


def _tell_recipients(session, registration_id: str) -> None:
    """Recipients that hold the case file keep their copy: the controller must tell them."""
    from .exports.disclosures import recipients_holding

    disclosures = recipients_holding(session, registration_id)
    if not disclosures:
        return
    click.echo("Its case file was sent to these recipients; tell them that it is erased "
               "(GDPR article 19):")
    for item in disclosures:
        name = item.recipient or f"a recipient no longer registered (key {item.fingerprint})"
        click.echo(f"  {name}, last sent {item.last_at:%Y-%m-%d}")


@click.command("purge")
@with_appcontext
@click.option("--older-than", "days", type=click.IntRange(min=1), default=None,
              help="Retention in days (default: the admin setting, else SELFREG_RETENTION_DAYS).")
@click.option("--batch-size", default=500, show_default=True, type=click.IntRange(1, 100_000))
def purge_command(days: int | None, batch_size: int) -> None:
    """Erase every registration untouched for longer than the retention period."""
    from .retention import effective_retention_days

    retention = days if days is not None else effective_retention_days(db.session(), current_app.config)
    if retention < 1:
        raise click.ClickException("SELFREG_RETENTION_DAYS must be at least 1.")
    report = _run(lambda: keyops.purge(
        db.session(), keys.keyring(), retention, save_keyring=_save, batch_size=batch_size,
        progress=_progress,
    ))
    click.echo(f"Erased {report.erased} registration(s) older than {retention} days.")
    if report.rotation is not None:
        _report_rotation(report.rotation)


@click.command("key-status")
@with_appcontext
def key_status_command() -> None:
    """List the keys, how many data keys each wraps, and any unfinished work."""
    session = db.session()
    keyring = keys.keyring()
    usage = keyops.keys_in_use(session)
    click.echo(f"Keyring {keyring.keyring_id}")
    for kek in keyring.keks:
        click.echo(f"  {kek.id}  {kek.status:<12}  {usage.get(kek.id, 0):>9} data keys")
    known = {kek.id for kek in keyring.keks}
    for key_id, count in sorted(usage.items()):
        if key_id not in known:
            click.echo(f"  {key_id}  {'UNKNOWN':<12}  {count:>9} data keys (cannot be read)")
    retired_in_use = [k.id for k in keyring.keks if k.status == RETIRED and usage.get(k.id)]
    if retired_in_use:
        click.echo(f"  keys retired but still named by data keys: {', '.join(retired_in_use)}")
    previous = keyring.previous_index_key
    click.echo(f"Index key {keyring.index_key_id}"
               + (f" (previous {previous.id} kept for code lookups)" if previous else ""))
    if keyops.indexed_with(session, keyring) != keyring.index_key_id:
        click.echo("Reindex unfinished: run reindex.")
    if keyops.unfinished_rotation(keyring, usage):
        click.echo("Rotation unfinished: run rotate-keys.")
    pending = keyops.erasure_pending_keys(session, keyring)
    if pending:
        click.echo("Erasure unfinished (keys of erased registrations still exist: "
                   f"{', '.join(sorted(pending))}): run purge or rotate-keys.")


COMMANDS = (
    rotate_keys_command,
    retire_key_command,
    reindex_command,
    erase_command,
    purge_command,
    key_status_command,
)
