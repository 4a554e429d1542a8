"""Typed settings read from ``SELFREG_*`` environment variables.

Only the embedded default (no ``SELFREG_ENV=production``) may generate a secret key; it does so
inside the instance folder and says so loudly. Production refuses to start without real secrets.
"""
from __future__ import annotations

import logging
import os
import secrets
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

MIN_SECRET_KEY_LENGTH = 32
MAX_NOTICE_TEXT_LENGTH = 300


class ConfigError(RuntimeError):
    """Settings that cannot work; the message says which variable to fix."""


@dataclass
class Settings:
    instance_path: Path
    database_url: str
    secret_key: str
    keyring_path: Path
    keyring_json: str | None = None
    signing_key_path: Path | None = None
    production: bool = False
    retention_days: int = 365 * 2
    code_attempt_limit: int = 5
    code_lockout_seconds: int = 15 * 60
    session_lifetime_seconds: int = 60 * 60 * 24 * 30
    gzip: bool = True
    staff_idle_seconds: int = 30 * 60
    staff_max_session_seconds: int = 12 * 60 * 60
    login_attempt_limit: int = 5
    login_lockout_seconds: int = 15 * 60
    stats_min_cell: int = 5
    trusted_proxies: int = 0
    sqlite_busy_timeout_ms: int = 15000
    controller: str = ""
    dpo_contact: str = ""
    extra: dict = field(default_factory=dict)

    def flask_config(self) -> dict:
        return {
            "SECRET_KEY": self.secret_key,
            "SELFREG_DATABASE_URL": self.database_url,
            "SELFREG_KEYRING": str(self.keyring_path),
            "SELFREG_KEYRING_JSON": self.keyring_json,
            "SELFREG_SIGNING_KEY": str(self.signing_key_path or self.instance_path / "signing_key.pem"),
            "SELFREG_PRODUCTION": self.production,
            "SELFREG_RETENTION_DAYS": self.retention_days,
            "SELFREG_CODE_ATTEMPT_LIMIT": self.code_attempt_limit,
            "SELFREG_CODE_LOCKOUT_SECONDS": self.code_lockout_seconds,
            "PERMANENT_SESSION_LIFETIME": self.session_lifetime_seconds,
            "SELFREG_GZIP": self.gzip,
            "SELFREG_STAFF_IDLE_SECONDS": self.staff_idle_seconds,
            "SELFREG_STAFF_MAX_SESSION_SECONDS": self.staff_max_session_seconds,
            "SELFREG_LOGIN_ATTEMPT_LIMIT": self.login_attempt_limit,
            "SELFREG_LOGIN_LOCKOUT_SECONDS": self.login_lockout_seconds,
            "SELFREG_STATS_MIN_CELL": self.stats_min_cell,
            "SELFREG_TRUSTED_PROXIES": self.trusted_proxies,
            "SELFREG_SQLITE_BUSY_TIMEOUT_MS": self.sqlite_busy_timeout_ms,
            "SELFREG_CONTROLLER": self.controller,
            "SELFREG_DPO_CONTACT": self.dpo_contact,
            **self.extra,
        }


def _instance_path(env: dict) -> Path:
    raw = env.get("SELFREG_INSTANCE")
    return Path(raw).expanduser().resolve() if raw else (Path.cwd() / "instance").resolve()


def _secret_key(env: dict, instance: Path, production: bool) -> str:
    key = env.get("SELFREG_SECRET_KEY")
    if key:
        if production and len(key) < MIN_SECRET_KEY_LENGTH:
            raise ConfigError(
                f"SELFREG_SECRET_KEY is shorter than {MIN_SECRET_KEY_LENGTH} characters."
            )
        return key
    if production:
        raise ConfigError("SELFREG_SECRET_KEY must be set when SELFREG_ENV=production.")
    key_file = instance / "secret_key"
    if key_file.exists():
        return key_file.read_text(encoding="ascii").strip()
    instance.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key)
    log.warning(
        "WARNING: generated a new secret key in %s. Fine for a trial; in production set "
        "SELFREG_SECRET_KEY.",
        key_file,
    )
    return key


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, not {raw!r}.") from exc


def _notice_text(env: dict, name: str) -> str:
    """Text the operator writes for the privacy page (who is responsible, how to reach them).

    Shown to every resident as it is, so it is refused at start-up rather than shown broken:
    control and format characters (a bidi override would turn the text round in every
    right-to-left page) and more than a short paragraph."""
    text = " ".join((env.get(name) or "").split())
    if len(text) > MAX_NOTICE_TEXT_LENGTH:
        raise ConfigError(f"{name} is longer than {MAX_NOTICE_TEXT_LENGTH} characters.")
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in text):
        raise ConfigError(f"{name} holds control or formatting characters; write plain text.")
    return text


def load_settings(env: dict | None = None) -> Settings:
    """Read settings from ``env`` (default ``os.environ``)."""
    env = dict(os.environ if env is None else env)
    production = env.get("SELFREG_ENV", "").lower() == "production"
    instance = _instance_path(env)
    database_url = env.get("SELFREG_DATABASE_URL") or f"sqlite:///{instance / 'selfreg.sqlite'}"
    if production and not env.get("SELFREG_KEYRING") and not env.get("SELFREG_KEYRING_JSON"):
        raise ConfigError("SELFREG_KEYRING (or SELFREG_KEYRING_JSON) must be set in production.")
    return Settings(
        instance_path=instance,
        database_url=database_url,
        secret_key=_secret_key(env, instance, production),
        keyring_path=Path(env.get("SELFREG_KEYRING") or instance / "keyring.json"),
        keyring_json=env.get("SELFREG_KEYRING_JSON"),
        signing_key_path=Path(env["SELFREG_SIGNING_KEY"]) if env.get("SELFREG_SIGNING_KEY") else None,
        production=production,
        retention_days=_int(env, "SELFREG_RETENTION_DAYS", 365 * 2),
        code_attempt_limit=_int(env, "SELFREG_CODE_ATTEMPT_LIMIT", 5),
        code_lockout_seconds=_int(env, "SELFREG_CODE_LOCKOUT_SECONDS", 15 * 60),
        staff_idle_seconds=_int(env, "SELFREG_STAFF_IDLE_MINUTES", 30) * 60,
        staff_max_session_seconds=_int(env, "SELFREG_STAFF_MAX_SESSION_HOURS", 12) * 3600,
        login_attempt_limit=_int(env, "SELFREG_LOGIN_ATTEMPT_LIMIT", 5),
        login_lockout_seconds=_int(env, "SELFREG_LOGIN_LOCKOUT_SECONDS", 15 * 60),
        stats_min_cell=_int(env, "SELFREG_STATS_MIN_CELL", 5),
        trusted_proxies=_int(env, "SELFREG_TRUSTED_PROXIES", 0),
        # How long a SQLite write waits for another writer before the "try again" page.
        sqlite_busy_timeout_ms=_int(env, "SELFREG_SQLITE_BUSY_TIMEOUT_MS", 15000),
        # Named on the privacy page and in the own copy (GDPR art. 13(1)(a) and (b)).
        controller=_notice_text(env, "SELFREG_CONTROLLER"),
        dpo_contact=_notice_text(env, "SELFREG_DPO_CONTACT"),
        # Off when a reverse proxy compresses instead (see selfreg/compression.py).
        gzip=env.get("SELFREG_GZIP", "1").strip().lower() not in ("0", "false", "no", "off"),
    )
