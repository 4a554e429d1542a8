"""Template helpers: language links that keep the page, field ids, step urls."""
from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, g, request, url_for
from flask_babel import format_date
from markupsafe import Markup


def lang_url(code: str) -> str:
    """This page in another language (answers are server-side, so nothing is lost).

    Every page links to itself in each supported language: the page's own URL is built once
    per request and ``lang`` appended (the same URL ``url_for`` gives with ``lang=code``)."""
    base = g.get("lang_url_base")
    if base is None:
        base = g.lang_url_base = _this_page()
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'lang': code})}"


def _this_page() -> str:
    if request.method != "GET" or request.endpoint is None:
        return url_for("resident.index")
    args = {key: value for key, value in request.args.items() if key == "from"}
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def field_id(name: str, index: int | None = None) -> str:
    return f"f-{name}" if index is None else f"f-{name}-{index}"


def init_app(app: Flask) -> None:
    from .media import audio_url, pictogram_url

    app.jinja_env.globals.update(
        lang_url=lang_url, field_id=field_id, audio_url=audio_url, pictogram_url=pictogram_url
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.jinja_env.filters["option_triplet"] = lambda option: (
        option.code, option.label, option.hint
    )
    app.jinja_env.filters["format_date_long"] = lambda value: format_date(value, "long")
    app.jinja_env.filters["nl2br"] = lambda text: Markup("<br>").join(
        (text or "").split("\n")
    )
