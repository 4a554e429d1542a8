"""Reading a PDF's text back for assertions: poppler's tools, and text normalised to compare."""
from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest

BIDI_MARKS = dict.fromkeys(map(ord, "\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                                    "\u2066\u2067\u2068\u2069"))


def normalised(text: str) -> str:
    """NFKC (Arabic presentation forms to letters), no bidi marks, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(BIDI_MARKS).split())


def poppler(command: list[str], pdf: bytes) -> str:
    """Run a poppler tool on ``pdf`` given on stdin ("-")."""
    path = shutil.which(command[0])
    if path is None:
        pytest.skip(f"{command[0]} is not installed (Debian package poppler-utils)")
    result = subprocess.run([path, *command[1:]], input=pdf, capture_output=True, check=True,
                            timeout=30)
    return result.stdout.decode("utf-8")
