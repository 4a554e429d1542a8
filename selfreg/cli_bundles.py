"""Sealed exports on the command line: ``keygen-recipient``, ``export``, ``open-export``."""
from __future__ import annotations

import os
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from . import audit, db, keys, signing
from .crypto.sealed import open_sealed, open_sealed_integrity_only
from .crypto.sealed_errors import SealedBundleError
from .crypto.sealed_keys import (
    KeyFileError,
    generate_recipient_keypair,
    read_recipient_private_key,
    read_recipient_public_key,
    read_signing_public_key,
    write_recipient_keypair,
)
from .exports import bundles


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise click.BadParameter("use a date like 2026-11-01 or 2026-11-01T08:00:00+01:00") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


@click.command("keygen-recipient")
@click.option("--out", "prefix", required=True, type=click.Path(dir_okay=False),
              help="Writes PREFIX.pub (give it to selfreg) and PREFIX.key (keep it secret).")
def keygen_recipient_command(prefix: str) -> None:
    """Make a key pair for a recipient of sealed exports (ML-KEM-768 + X25519)."""
    private, public = generate_recipient_keypair()
    try:
        pub_path, key_path = write_recipient_keypair(prefix, private)
    except (FileExistsError, KeyFileError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Public key:  {pub_path}  (fingerprint {public.fingerprint})")
    click.echo(f"Private key: {key_path}  (mode 0600; only the recipient keeps it)")


@click.command("export")
@with_appcontext
@click.option("--recipient", "recipient_file", required=True,
              type=click.Path(exists=True, dir_okay=False), help="The recipient's .pub file.")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False))
@click.option("--since", "since", default=None,
              help="Only registrations changed at or after this date (ISO 8601).")
def export_command(recipient_file: str, out_file: str, since: str | None) -> None:
    """Seal every submitted registration (changed since DATE) into one signed bundle."""
    try:
        recipient = read_recipient_public_key(recipient_file)
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from exc
    session = db.session()
    win = bundles.window(_since(since))
    query = bundles.selection(win)
    total = bundles.count(session, query)
    target = Path(out_file)
    # Written beside the target and renamed at the end: a half-written file never looks done.
    fd, temp_name = tempfile.mkstemp(prefix=".export-", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as out, click.progressbar(
            length=total, label="Sealing case files", file=sys.stderr
        ) as bar:
            summary, records = bundles.write_bundle(
                session, keys.keyring(), query, win, recipient, signing.signing_key(), out,
                on_record=lambda: bar.update(1))
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    marked = bundles.mark_exported(session, query, win,
                                   recipient_fingerprint=recipient.fingerprint,
                                   user_id=None, actor=audit.SYSTEM)
    click.echo(f"Sealed {records} case file(s) for {recipient.fingerprint} into {target} "
               f"({summary.bundle_bytes} bytes); marked {marked} as exported.")


@click.command("open-export")
@with_appcontext
@click.argument("bundle_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--key", "key_file", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The recipient's private .key file.")
@click.option("--signer", "signer_file", default=None,
              type=click.Path(exists=True, dir_okay=False),
              help="The exporting installation's signing .pub (default: this installation's).")
@click.option("--out", "out_file", default=None, type=click.Path(dir_okay=False),
              help="Where to write the case files (JSON Lines); default standard output.")
def open_export_command(bundle_file: str, key_file: str, signer_file: str | None,
                        out_file: str | None) -> None:
    """Verify a bundle's signature, then decrypt it to JSON Lines; exit 1 on any tampering."""
    try:
        private = read_recipient_private_key(key_file)
        signer = _trusted_signer(signer_file)
    except KeyFileError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        with open(bundle_file, "rb") as infile:
            if signer is None:
                click.echo("WARNING: no signer key given and none in this installation: the "
                           "signature proves the bundle is intact, not who made it.", err=True)
                opened = open_sealed_integrity_only(infile, private)
            else:
                opened = open_sealed(infile, private, signer)
            written = _write_out(opened, out_file)
    except SealedBundleError as exc:
        click.echo(f"REFUSED: {exc}", err=True)
        sys.exit(1)
    click.echo(f"Signature verified ({opened.signer_fingerprint}); "
               f"{opened.closing_metadata.get('records', '?')} case file(s), {written} bytes.",
               err=True)


def _trusted_signer(signer_file: str | None):
    if signer_file:
        return read_signing_public_key(signer_file)
    own = signing.public_key_path(current_app)
    return read_signing_public_key(own) if own.exists() else None


def _write_out(opened, out_file: str | None) -> int:
    if out_file is None:
        return opened.copy_to(sys.stdout.buffer)
    target = Path(out_file)
    fd, temp_name = tempfile.mkstemp(prefix=".open-", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "wb") as out:
            written = opened.copy_to(out)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return written


COMMANDS = [keygen_recipient_command, export_command, open_export_command]
