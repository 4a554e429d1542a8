"""JSON request bodies: read only where a view asks for JSON, and never a crash when unreadable.

Flask-WTF reads a JSON body as a form's fields: a list or a number there is a 500 from any form,
and nested objects become fields' text. No page posts JSON: only the save endpoint takes it, and
it reads the body itself. So a JSON body sent anywhere else is refused as unreadable (400), and
JSON nested deeper than Python's parser can go counts as invalid JSON instead of a crash.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from flask.json.provider import DefaultJSONProvider

JSON_ENDPOINTS = frozenset({"resident.save_step"})
_SUBMIT_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class _JsonProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            # A ValueError is what request.get_json() treats as invalid JSON.
            raise ValueError("JSON nested too deeply") from None


def init_app(app: Flask) -> None:
    app.json = _JsonProvider(app)

    @app.before_request
    def refuse_json_to_forms():
        if (request.method in _SUBMIT_METHODS and request.is_json
                and request.endpoint not in JSON_ENDPOINTS):
            abort(400)
