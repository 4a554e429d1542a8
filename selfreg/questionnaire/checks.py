"""Value checks that need more than a type: real dates, age, DUF numbers, phone numbers.

Each returns ``None`` when the value is fine, or a lazy, translatable message.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date

from flask_babel import lazy_gettext as _l

MINIMUM_AGE = 16
MAXIMUM_AGE = 120
DUF_LENGTH = 12
_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,24}$")


def today() -> date:
    """Separate so tests can pin the date."""
    return date.today()


def parse_partial_date(value: str) -> tuple[int, int | None, int | None]:
    parts = [int(part) for part in value.split("-")]
    return parts[0], (parts[1] if len(parts) > 1 else None), (parts[2] if len(parts) > 2 else None)


def check_birth_date(value: str) -> object | None:
    """Born at least 16 years ago, not in the future; a year alone is enough."""
    year, month, day = parse_partial_date(value)
    now = today()
    if month is not None and day is not None:
        try:
            born = date(year, month, day)
        except ValueError:
            return _l("This date does not exist. Check the day and the month.")
        if born > now:
            return _l("The date of birth cannot be in the future.")
        age = now.year - born.year - ((now.month, now.day) < (born.month, born.day))
    else:
        if year > now.year or (month is not None and (year, month) > (now.year, now.month)):
            return _l("The date of birth cannot be in the future.")
        # With only a year (or a month), give the benefit of the doubt: assume the birthday
        # is as early as it can be.
        age = now.year - year - (1 if month is not None and month > now.month else 0)
    if age < MINIMUM_AGE:
        return _l("You must be 16 years or older to register here. Ask the staff for help.")
    if age > MAXIMUM_AGE:
        return _l("Check the year. It looks too early.")
    return None


def normalise_duf(text: str) -> str:
    """Digits only, whatever script they were typed in (Arabic-Indic, Persian, …)."""
    out = []
    for char in text:
        digit = unicodedata.decimal(char, None)
        if digit is not None:
            out.append(str(digit))
    return "".join(out)


def check_duf(value: str) -> object | None:
    if len(value) != DUF_LENGTH:
        return _l("A DUF number has 12 digits. You can find it on your papers from UDI.")
    return None


def check_phone(value: str) -> object | None:
    if not _PHONE.match(value):
        return _l("Write the phone number with digits only, for example +47 912 34 567.")
    return None
