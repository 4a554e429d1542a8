"""Staff accounts: create, passwords, the TOTP second factor, slowing down guessing.

Passwords are hashed with scrypt (Werkzeug). Failed logins and failed TOTP codes are counted
per account name *and* per client address in the shared ``code_attempts`` table (under their own
keyed-hash purposes), so every worker sees the same count, and an unknown e-mail address is
slowed exactly like a known one (the answer never tells whether an account exists).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from . import registrations
from .crypto import Keyring, totp, unwrap_dek, wrap_dek, wrapped_key_id
from .crypto.blind_index import blind_index
from .models import Centre, Region, Role, User, utcnow
from .questionnaire.sanitise import clean_line
from .staff_i18n import _ls

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,63}")
LOGIN_NAME_PURPOSE = "staff-login-name"
LOGIN_CLIENT_PURPOSE = "staff-login-client"
# A dummy hash to compare against when the account does not exist (same time either way).
_DUMMY_HASH = generate_password_hash("not a real password, only for timing")


class AccountError(ValueError):
    """A request that cannot be carried out; the message is safe to show to staff."""


def normalise_email(raw: str) -> str:
    """Cleaned like all typed text (no control or direction characters: PostgreSQL refuses a
    NUL with an error), then lower case."""
    return clean_line(raw or "").lower()


def check_new_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(_ls("The password must be at least %(count)d characters.", count=MIN_PASSWORD_LENGTH))
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(_ls("The password must be at most %(count)d characters.", count=MAX_PASSWORD_LENGTH))


def create_user(
    db: Session,
    email: str,
    role: str,
    password: str,
    *,
    centres: list[Centre] = (),
    region: Region | None = None,
    must_change_password: bool = False,
) -> User:
    email = normalise_email(email)
    if not EMAIL.fullmatch(email):
        raise AccountError(_ls("That is not an e-mail address."))
    if role not in Role.ALL:
        raise AccountError(_ls("The role must be one of: %(roles)s.", roles=", ".join(Role.ALL)))
    if db.scalar(select(func.count()).select_from(User).where(User.email == email)):
        raise AccountError(_ls("A user with that e-mail address exists already."))
    check_new_password(password)
    user = User(email=email, role=role, password_hash=generate_password_hash(password),
                centres=list(centres), region=region, must_change_password=must_change_password)
    db.add(user)
    db.flush()
    return user


def set_password(user: User, password: str, *, must_change: bool = False) -> None:
    check_new_password(password)
    user.password_hash = generate_password_hash(password)
    user.must_change_password = must_change


def temporary_password() -> str:
    """For a reset by an admin: shown once, to be changed at the next login."""
    return os.urandom(12).hex()


def find_by_password(db: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, else None (same work either way)."""
    user = db.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.active:
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if len(password or "") > MAX_PASSWORD_LENGTH:
        return None
    return user if check_password_hash(user.password_hash, password or "") else None


# --- the second factor ------------------------------------------------------------------------


def _binding(user: User) -> str:
    return f"user:{user.id}"


def start_totp_enrolment(keyring: Keyring, user: User) -> None:
    """A fresh secret, not yet confirmed; login needs a confirmed one."""
    wrapped = wrap_dek(keyring, os.urandom(32), _binding(user))
    user.totp_wrapped = wrapped
    user.totp_kek_id = wrapped_key_id(wrapped)
    user.totp_confirmed = False
    user.totp_last_step = 0


def totp_secret(keyring: Keyring, user: User) -> bytes:
    if user.totp_wrapped is None:
        raise AccountError(_ls("No second factor is set up for this user."))
    return unwrap_dek(keyring, user.totp_wrapped, _binding(user))


def accept_totp(keyring: Keyring, user: User, code: str, *, now: float | None = None) -> bool:
    """Check a code and use it up; confirms an enrolment on its first good code."""
    if user.totp_wrapped is None:
        return False
    step = totp.matching_step(totp_secret(keyring, user), code, last_step=user.totp_last_step,
                              now=now)
    if step is None:
        return False
    user.totp_last_step = step
    user.totp_confirmed = True
    return True


def reset_totp(user: User) -> None:
    """The user sets up a new authenticator at the next login."""
    user.totp_wrapped = None
    user.totp_kek_id = None
    user.totp_confirmed = False
    user.totp_last_step = 0


# --- slowing down guessing -----------------------------------------------------------------


@dataclass(frozen=True)
class LoginKeys:
    name: bytes
    client: bytes


def login_keys(keyring: Keyring, email: str, address: str | None) -> LoginKeys:
    return LoginKeys(
        blind_index(keyring, LOGIN_NAME_PURPOSE, normalise_email(email)),
        blind_index(keyring, LOGIN_CLIENT_PURPOSE, address or "unknown"),
    )


def lockout_remaining(db: Session, keys: LoginKeys, *, limit: int, window_seconds: int) -> int:
    """Seconds until another try is allowed: per account name, and 4 x limit per address."""
    return max(
        registrations.lockout_remaining(db, keys.name, limit=limit, window_seconds=window_seconds),
        registrations.lockout_remaining(
            db, keys.client, limit=limit * 4, window_seconds=window_seconds
        ),
    )


def record_failure(db: Session, keys: LoginKeys, *, window_seconds: int) -> None:
    registrations.record_failed_code(db, keys.name, window_seconds=window_seconds)
    registrations.record_failed_code(db, keys.client, window_seconds=window_seconds)


def clear_failures(db: Session, keys: LoginKeys) -> None:
    registrations.clear_failed_codes(db, keys.name)


def record_login(user: User) -> None:
    user.last_login_at = utcnow()
