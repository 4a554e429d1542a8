"""gunicorn settings for selfreg (docs/OPERATIONS.md).

    gunicorn -c gunicorn.conf.py "selfreg:create_app()"

Environment:
  SELFREG_BIND          address to listen on (default 127.0.0.1:8000; the reverse proxy talks to it)
  WEB_CONCURRENCY       worker processes (default one per core, at least 2, at most 12)
  SELFREG_THREADS       threads per worker (default 4)
  SELFREG_ACCESSLOG     access log: "-" for standard output (default), a file path, or "off"
  FORWARDED_ALLOW_IPS   proxies whose X-Forwarded-Proto gunicorn believes (default 127.0.0.1,::1).
                        The client address and scheme the *app* sees come from
                        SELFREG_TRUSTED_PROXIES (Werkzeug's ProxyFix), not from this.

Access log: one-time links (``/l/<token>``) open a person's registration, so the token must never
be written anywhere. ``SelfregLogger`` below logs method, path, status, bytes and time only; it
drops every query string (search-as-you-type sends what the person typed) and replaces the
token of ``/l/...`` paths, also in gunicorn's own error messages. Referer, user agent, cookies
and other headers are never logged. The reverse proxy must not log ``/l/`` paths either.
"""
from __future__ import annotations

import multiprocessing
import os
import re

from gunicorn.glogging import Logger

# --- where and how many ------------------------------------------------------------------

bind = [os.environ.get("SELFREG_BIND", "127.0.0.1:8000")]


def _workers() -> int:
    """One worker per core. A page is CPU work (rendering, decrypting), and the threads cover
    waits on the database; more processes than cores only take turns on them, each with its own
    copy of templates and code lists going cold in the CPU caches. bench.load, 2 cores, 32
    clients: 2 workers gave 10-30 % more pages and saves per second than 2 x cores + 1 and
    about half the p95 (docs/OPERATIONS.md). At least 2, so one slow request or a restarting
    worker never leaves nobody to answer."""
    raw = os.environ.get("WEB_CONCURRENCY", "").strip()
    if raw:
        return max(1, int(raw))
    return max(2, min(multiprocessing.cpu_count(), 12))


workers = _workers()
worker_class = "gthread"
threads = max(1, int(os.environ.get("SELFREG_THREADS", "4")))
proc_name = "selfreg"
# gunicorn >= 25's runtime control socket (in $XDG_RUNTIME_DIR or ~/.gunicorn) is not used:
# manage workers with signals (HUP reload, TERM graceful stop, TTIN/TTOU more/fewer workers).
control_socket_disable = True

# Each worker builds its own app and loads the keyring itself (and re-reads it when the key
# commands rewrite the file); nothing is shared through a forked parent.
preload_app = False

# Heartbeat files in memory, not on a (possibly slow or read-only) container disk.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# --- time limits ---------------------------------------------------------------------------

timeout = 60            # a worker silent this long is killed and replaced
graceful_timeout = 30   # on SIGTERM/SIGHUP, running requests get this long to finish
keepalive = 5           # seconds an idle keep-alive connection from the proxy is kept

# --- request limits (the app also caps bodies at 256 KiB: MAX_CONTENT_LENGTH) -------------

limit_request_line = 2048
limit_request_fields = 50
limit_request_field_size = 8190

# --- proxies -------------------------------------------------------------------------------

forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- logging -------------------------------------------------------------------------------

_ONE_TIME_LINK = re.compile(r"/l/[^\s?#\"'/]+")
_QUERY = re.compile(r"(/[^\s?\"']*)\?[^\s\"']*")


def redact(text: str) -> str:
    """Replace one-time link tokens with ``-`` and drop query strings."""
    return _QUERY.sub(r"\1", _ONE_TIME_LINK.sub("/l/-", text))


class SelfregLogger(Logger):
    """gunicorn's logger, with no URL secrets in the access or error log."""

    SAFE_ATOMS = ("h", "l", "u", "t", "s", "m", "H", "b", "B", "T", "D", "M", "L", "p")

    def atoms(self, resp, req, environ, request_time):
        full = super().atoms(resp, req, environ, request_time)
        # A fixed whitelist: no header, environ, referer, user agent or query atoms.
        atoms = {key: full[key] for key in self.SAFE_ATOMS if key in full}
        atoms["u"] = "-"
        path = redact(environ.get("PATH_INFO") or "-")
        atoms["U"] = path
        atoms["q"] = "-"
        atoms["r"] = "%s %s %s" % (full.get("m") or "-", path, full.get("H") or "-")
        return atoms

    def access(self, resp, req, environ, request_time):
        super().access(resp, req, environ, request_time)

    def _clean(self, msg, args):
        msg = redact(msg) if isinstance(msg, str) else msg
        args = tuple(redact(a) if isinstance(a, str) else a for a in args)
        return msg, args

    def critical(self, msg, *args, **kwargs):
        msg, args = self._clean(msg, args)
        super().critical(msg, *args, **kwargs)

    def error(self, msg, *args, **kwargs):
        msg, args = self._clean(msg, args)
        super().error(msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs):
        msg, args = self._clean(msg, args)
        super().warning(msg, *args, **kwargs)

    def info(self, msg, *args, **kwargs):
        msg, args = self._clean(msg, args)
        super().info(msg, *args, **kwargs)

    def debug(self, msg, *args, **kwargs):
        msg, args = self._clean(msg, args)
        super().debug(msg, *args, **kwargs)

    def exception(self, msg, *args, **kwargs):
        msg, args = self._clean(msg, args)
        super().exception(msg, *args, **kwargs)


# The name the brief and docs use for it.
selfreg_logger = SelfregLogger
logger_class = SelfregLogger

_accesslog = os.environ.get("SELFREG_ACCESSLOG", "-").strip()
accesslog = None if _accesslog.lower() in ("", "off", "none", "0") else _accesslog
errorlog = "-"
loglevel = "info"
access_log_format = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms'
