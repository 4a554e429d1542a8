"""Time-based one-time passwords (RFC 6238) for staff logins, each code accepted only once.

The secret is stored like a registration's data key: 32 random bytes wrapped by the keyring's
active KEK (``wrap_dek`` bound to ``"user:<id>"``), so it is ciphertext at rest and follows key
rotation. The first 20 bytes are the HMAC-SHA1 key (160 bits, RFC 4226's recommended length),
which every authenticator app accepts.
"""
from __future__ import annotations

import base64
import time

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor import InvalidToken
from cryptography.hazmat.primitives.twofactor.totp import TOTP

DIGITS = 6
STEP_SECONDS = 30
SECRET_LENGTH = 20
# One step either side: a phone clock a little off, or a code typed just as it changed.
DRIFT_STEPS = 1


def _totp(secret: bytes) -> TOTP:
    # nosec B303: RFC 6238's HMAC-SHA1, what authenticator apps use; HMAC-SHA1 is not broken
    return TOTP(secret[:SECRET_LENGTH], DIGITS, SHA1(), STEP_SECONDS,  # nosec B303
                enforce_key_length=True)


def base32_secret(secret: bytes) -> str:
    """The secret as authenticator apps want it typed in (no padding)."""
    return base64.b32encode(secret[:SECRET_LENGTH]).decode("ascii").rstrip("=")


def provisioning_uri(secret: bytes, account: str, issuer: str) -> str:
    return _totp(secret).get_provisioning_uri(account, issuer)


def code_at(secret: bytes, when: float) -> str:
    return _totp(secret).generate(int(when)).decode("ascii")


def matching_step(secret: bytes, code: str, *, last_step: int, now: float | None = None) -> int | None:
    """The time step ``code`` belongs to, if valid and newer than ``last_step``; else None.

    Refusing steps at or before the last one used makes every code single-use (RFC 6238 5.2).
    """
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isascii() or not code.isdigit():
        return None
    now = time.time() if now is None else now
    current = int(now) // STEP_SECONDS
    totp = _totp(secret)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if step <= last_step:
            continue
        try:
            totp.verify(code.encode("ascii"), step * STEP_SECONDS)
        except InvalidToken:
            continue
        return step
    return None
