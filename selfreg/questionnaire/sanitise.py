"""Clean text people type before it is validated or stored.

Control characters and bidirectional overrides/isolates are removed on purpose: they can hide or
reorder text for the counsellor who later reads it ("Trojan Source"-style spoofing). Zero-width
joiner and non-joiner stay: Persian, Pashto, Sorani and Indic scripts need them.
"""
from __future__ import annotations

import re
import unicodedata

# LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM: formatting that reorders or hides text.
_BIDI_CONTROLS = frozenset(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
)
_KEEP_FORMAT = frozenset("\u200c\u200d")  # ZWNJ, ZWJ
_SPACES = re.compile(r"[^\S\n]+")


def _keep(char: str, multiline: bool) -> bool:
    if char == "\n":
        return multiline
    if char in _BIDI_CONTROLS:
        return False
    category = unicodedata.category(char)
    if category == "Cc":
        return False
    if category == "Cf":
        return char in _KEEP_FORMAT
    # Unassigned, private use and lone surrogates are not text anyone meant to type.
    return category not in ("Cn", "Co", "Cs")


def clean_text(value: str | None, *, multiline: bool = False) -> str | None:
    """NFC-normalise, drop control/bidi characters, fold runs of spaces, strip the ends."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\t", " ")
    text = "".join(char for char in text if _keep(char, multiline))
    text = _SPACES.sub(" ", text)
    if multiline:
        lines = [line.strip() for line in text.split("\n")]
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines))
    return text.strip()


def clean_line(value: str | None) -> str | None:
    return clean_text(value, multiline=False)


def clean_multiline(value: str | None) -> str | None:
    return clean_text(value, multiline=True)


def to_ascii_digits(value: str | None) -> str | None:
    """Arabic-Indic, Persian and other decimal digits become 0-9; other characters stay."""
    if value is None:
        return None
    out = []
    for char in value:
        digit = unicodedata.decimal(char, None)
        out.append(str(digit) if digit is not None else char)
    return "".join(out)
