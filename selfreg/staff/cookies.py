"""Two session cookies: the residents' and the staff's, never mixed.

Flask has one session interface per app; this one picks by path. Under ``/staff`` the session
is read from and written to its own cookie (``selfreg_staff``), signed with its own salt so a
resident's cookie can never pass for a staff cookie, limited to ``Path=/staff``, ``SameSite=Strict``
and kept only for the browser session. Everywhere else the residents' cookie is used as before,
so nothing on the public side sees a staff session.
"""
from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from ..staff_i18n import STAFF_PREFIX, is_staff_path

STAFF_COOKIE = "selfreg_staff"


class StaffCookieSessionInterface(SecureCookieSessionInterface):
    salt = "selfreg-staff-session"

    def get_cookie_name(self, app: Flask) -> str:
        return STAFF_COOKIE

    def get_cookie_path(self, app: Flask) -> str:
        return STAFF_PREFIX

    def get_cookie_samesite(self, app: Flask) -> str:
        return "Strict"

    def get_expiration_time(self, app: Flask, session: SessionMixin):
        # A browser-session cookie; idle and absolute limits are enforced on the server
        # (selfreg.staff.auth), where logging out also ends the session for good.
        return None


class SplitSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self.staff = StaffCookieSessionInterface()

    def open_session(self, app: Flask, request_):
        if is_staff_path(request_.path):
            return self.staff.open_session(app, request_)
        return super().open_session(app, request_)

    def save_session(self, app: Flask, session: SessionMixin, response) -> None:
        if is_staff_path(request.path):
            return self.staff.save_session(app, session, response)
        return super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SplitSessionInterface()
