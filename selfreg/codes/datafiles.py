"""Reading the shipped data files, wherever the package is installed.

importlib.resources finds the files in a checkout and in an installed wheel alike, so the
loaders never depend on the working directory.
"""

from __future__ import annotations

import csv
import io
import json
from importlib import resources
from typing import Any


def _text(name: str) -> str:
    return resources.files("selfreg.codes").joinpath("data", name).read_text(encoding="utf-8")


def read_csv(name: str) -> list[dict[str, str]]:
    """Rows of a data CSV file as dicts keyed by its header."""
    return list(csv.DictReader(io.StringIO(_text(name), newline="")))


def read_json(name: str) -> Any:
    """The parsed content of a data JSON file."""
    return json.loads(_text(name))
