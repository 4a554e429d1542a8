"""``flask --app selfreg stats [--format csv|json] [--min-cell N]``: counts, never people.

Writes to standard output; the rules (what is counted, which cells are suppressed and why)
are in ``selfreg.exports.stats``.

CSV: one header row ``dimension,category,label_nb,count,suppressed``, then the number of
people (dimension ``people``, category ``_total``), then one row per cell. A suppressed cell
has an empty count and ``suppressed`` ``true``.

JSON (``format_version`` 1)::

    {
      "format": "selfreg-statistics",
      "format_version": 1,
      "generated_at": "2026-05-04T10:15:00Z",     # UTC; ages are counted on this day
      "catalogue_version": "2026.1",
      "min_cell": 5,                               # counts from 1 to min_cell - 1 are suppressed
      "people": {"count": 1234, "suppressed": false},   # count null when suppressed
      "unreadable_registrations": 0,               # submitted but not decryptable: skipped
      "tables": [
        {"dimension": "age_band", "title_nb": "Aldersgruppe",
         "multiple": false,                        # true: a person may be in several cells
         "cells": [{"category": "18-24", "label_nb": "18–24 år", "count": 40,
                    "suppressed": false},
                   {"category": "67+", "label_nb": "67 år og eldre", "count": null,
                    "suppressed": true}]}
      ]
    }

Each run is recorded in the audit trail (``stats.export``, no registration id): it decrypts
every submitted registration.
"""
from __future__ import annotations

import csv
import json
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

from . import audit, db, keys
from .exports import stats

STATS_EXPORT = audit.Action.STATS_EXPORT


@click.command("stats")
@with_appcontext
@click.option("--format", "output_format", type=click.Choice(["csv", "json"]), default="csv",
              show_default=True)
@click.option("--min-cell", type=click.IntRange(min=stats.MIN_CELL_FLOOR), default=None,
              help="Suppress counts below this (default: SELFREG_STATS_MIN_CELL, else 5).")
def stats_command(output_format: str, min_cell: int | None) -> None:
    """Counts by centre, municipality, age, education, languages, work and wishes."""
    try:
        chosen = min_cell or stats.configured_min_cell(current_app.config)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    session = db.session()
    result = stats.compute(session, keys.keyring(), min_cell=chosen)
    audit.record(session, STATS_EXPORT, actor=audit.SYSTEM,
                 detail=f"format {output_format} min_cell {chosen}")
    session.commit()
    if output_format == "json":
        click.echo(json.dumps(stats.as_json(result), ensure_ascii=False, indent=2))
    else:
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerows(stats.csv_rows(result))
    if result.unreadable:
        click.echo(f"{result.unreadable} submitted registrations could not be decrypted and "
                   "were not counted (see key-status).", err=True)


COMMANDS = [stats_command]
