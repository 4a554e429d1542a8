"""Recorded audio per question and locale, for people who read little.

A clip is just a file: ``static/audio/<locale>/<step>.<question>.mp3`` (or ``.ogg``). When it
exists, the question gets a play button (the browser's own controls, so no JavaScript needed).
"""
from __future__ import annotations

from functools import lru_cache

from .assets import static_url
from .i18n import current_locale_code
from .resources import static_dir

AUDIO_EXTENSIONS = ("mp3", "ogg")


@lru_cache(maxsize=4096)
def _clip_name(locale: str, step_key: str, question_key: str) -> str | None:
    for extension in AUDIO_EXTENSIONS:
        name = f"audio/{locale}/{step_key}.{question_key}.{extension}"
        if (static_dir() / name).is_file():
            return name
    return None


def audio_url(step_key: str, question_key: str) -> str | None:
    name = _clip_name(current_locale_code(), step_key, question_key)
    return static_url(name) if name else None


def pictogram_url(file_name: str) -> str | None:
    if file_name and (static_dir() / "img" / "sections" / file_name).is_file():
        return static_url(f"img/sections/{file_name}")
    return None
