"""Error pages: translated, without stack traces or personal data."""
from __future__ import annotations

import logging

from flask import Flask, render_template
from flask_babel import gettext
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from .crypto import CryptoError
from .keys import NotInitialised

log = logging.getLogger(__name__)


def _page(status: int, title: str, message: str):
    return render_template("error.html", title=title, message=message, status=status), status


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 404:
            return _page(404, gettext("Page not found"),
                         gettext("This page does not exist. Go back to the start."))
        if exc.code == 413:
            return _page(413, gettext("Too much text"),
                         gettext("You sent more text than we can take. Go back and shorten it."))
        if exc.code in (400, 405):
            return _page(exc.code, gettext("Something went wrong"),
                         gettext("We could not read what was sent. Go back and try again."))
        return _page(exc.code or 500, gettext("Something went wrong"),
                     gettext("Go back and try again."))

    @app.errorhandler(OperationalError)
    def database_down(exc: OperationalError):
        # The exception text can hold SQL parameters (ciphertext, ids): log only its type.
        log.error("database unavailable: %s", type(exc).__name__)
        return _page(503, gettext("Try again in a moment"),
                     gettext("The service is busy right now. Your saved answers are safe. "
                             "Wait a moment and try again."))

    @app.errorhandler(NotInitialised)
    def not_initialised(exc: NotInitialised):
        log.error("not initialised: %s", exc)
        return _page(503, gettext("Not ready"), gettext("The service is not set up yet."))

    @app.errorhandler(CryptoError)
    def crypto_error(exc: CryptoError):
        log.error("crypto error: %s", type(exc).__name__)
        return _page(500, gettext("Something went wrong"),
                     gettext("We could not open the saved answers. Ask the staff for help."))

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        # Log the type and where, not the message: messages can carry values.
        log.error("unexpected error: %s", type(exc).__name__, exc_info=app.debug)
        return _page(500, gettext("Something went wrong"),
                     gettext("Go back and try again. If it happens again, ask the staff."))
