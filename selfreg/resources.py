"""Where templates, static files and translations are, installed or in a checkout.

A wheel carries them inside the package (mapped at build time); a checkout or an editable install
has them at the top level of the repository.
"""
from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _find(name: str) -> Path:
    inside = _PACKAGE / name
    if inside.is_dir():
        return inside
    return _PACKAGE.parent / name


def templates_dir() -> Path:
    return _find("templates")


def static_dir() -> Path:
    return _find("static")


def translations_dir() -> Path:
    return _find("translations")


def migrations_dir() -> Path:
    return _PACKAGE / "migrations"
