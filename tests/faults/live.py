"""A real server in a subprocess (gunicorn with the project's gunicorn.conf.py) and a browser
that talks to it over HTTP: cookies, CSRF tokens from the pages, form posts.

The server gets its own process group, so a SIGKILL reaches the arbiter and every worker at
once, as when a machine loses power or the OOM killer takes the whole service.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

PROJECT = Path(__file__).resolve().parents[2]
GUNICORN_CONF = PROJECT / "gunicorn.conf.py"
START_TIMEOUT = 30.0
REQUEST_TIMEOUT = 20.0
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
REVISION_FIELD = re.compile(r'name="revision" value="(\d+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class AppServer:
    """gunicorn serving ``selfreg:create_app()`` with the current SELFREG_* environment."""

    def __init__(self, log_path: Path, *, workers: int = 2, threads: int = 4) -> None:
        self.port = free_port()
        self.log_path = log_path
        env = dict(os.environ)
        env.update(SELFREG_BIND=f"127.0.0.1:{self.port}", WEB_CONCURRENCY=str(workers),
                   SELFREG_THREADS=str(threads), SELFREG_ACCESSLOG="off")
        with open(log_path, "ab") as log:  # the server keeps its own copy of the file
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF),
                 "selfreg:create_app()"],
                cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: killpg reaches every worker
            )
        self._wait_until_healthy()

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited at start; see {self.log_path}")
            try:
                if Browser(self.port, timeout=2).get("/healthz").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        self.kill()
        raise RuntimeError(f"no answer from /healthz in {START_TIMEOUT}s; see {self.log_path}")

    def kill(self) -> None:
        """SIGKILL the whole process group: no request finishes, no cleanup runs."""
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")

    def json(self):
        return json.loads(self.body)


class Browser:
    """One browser: its own cookies; speaks to the server like a phone without JavaScript
    would, plus the JSON save the page's script uses."""

    def __init__(self, port: int, *, timeout: float = REQUEST_TIMEOUT,
                 language: str = "en") -> None:
        self.port = port
        self.timeout = timeout
        self.language = language
        self.cookies: dict[str, str] = {}
        self.csrf_token = ""

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> Response:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            sent = {"Accept-Language": self.language, **(headers or {})}
            if self.cookies:
                sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            connection.request(method, path, body=body, headers=sent)
            raw = connection.getresponse()
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()},
                                raw.read())
            for header in raw.headers.get_all("Set-Cookie") or ():
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        response = self.request("GET", path)
        token = CSRF_FIELD.search(response.body.decode("utf-8", "replace"))
        if token:
            self.csrf_token = token.group(1)
        return response

    def post(self, path: str, fields: dict[str, str | list[str]], **headers: str) -> Response:
        body = urlencode({"csrf_token": self.csrf_token, **fields}, doseq=True).encode("ascii")
        return self.request("POST", path, body, {
            "Content-Type": "application/x-www-form-urlencoded", **headers})

    def sign_in(self, code: str) -> None:
        """Type the code on the start page and accept the privacy notice."""
        self.get("/")
        signed_in = self.post("/", {"code": code})
        assert signed_in.status == 302, signed_in.status
        self.get("/privacy")
        accepted = self.post("/privacy", {"accept": "y"})
        assert accepted.status == 303, accepted.status

    def save(self, step: str, values: dict[str, str], *, revision: int,
             key: str | None = None) -> Response:
        """The page's save (``POST /q/<step>/save``) with the revision it showed and a key."""
        return self.post(f"/q/{step}/save", {
            **values, "revision": str(revision), "idempotency_key": key or str(uuid.uuid4())},
            Accept="application/json")
