"""The staff side's own translation domain ("staff"): Norwegian Bokmål first, English too.

Staff texts live apart from the residents' catalogues (``messages``, 18 languages): staff work
in Norwegian, and a staff string never needs Tigrinya. English is the source language, so only
``translations/nb/LC_MESSAGES/staff.po`` exists. Extraction: ``python tools/i18n.py update``.
"""
from __future__ import annotations

from flask import request
from flask_babel import Domain

from .resources import translations_dir

STAFF_LOCALES = ("nb", "en")
STAFF_DEFAULT_LOCALE = "nb"
STAFF_LANG_COOKIE = "selfreg_staff_lang"
STAFF_PREFIX = "/staff"

domain = Domain(translation_directories=[str(translations_dir())], domain="staff")
gettext = domain.gettext
ngettext = domain.ngettext
lazy_gettext = domain.lazy_gettext
_s = gettext
_ls = lazy_gettext


def is_staff_path(path: str) -> bool:
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")


def staff_locale() -> str:
    chosen = request.args.get("lang") or request.cookies.get(STAFF_LANG_COOKIE)
    return chosen if chosen in STAFF_LOCALES else STAFF_DEFAULT_LOCALE
