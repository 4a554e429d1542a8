"""Supported locales, locale choice and text direction — in one place.

Direction and language names come from CLDR through Babel. A locale is offered only when it is in
``SUPPORTED_LOCALES`` and has a compiled catalogue; ``check_catalogues`` fails start-up otherwise.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, support
from flask import Flask, g, has_request_context, request
from flask_babel import Babel, get_locale
from wtforms.i18n import messages_path as wtforms_messages_path

from .resources import translations_dir

# Order is the order shown on the language page.
SUPPORTED_LOCALES: tuple[str, ...] = (
    "nb", "en", "ar", "fa_AF", "fa", "ps", "ckb", "kmr", "ti", "am",
    "om", "so", "uk", "ru", "tr", "fr", "ka", "sw",
)
DEFAULT_LOCALE = "nb"
# Babel reads "kmr" as Turkish-region Kurdish ("ku_TR") and would then look for a catalogue
# under that name; CLDR's "ku" is Kurmanji, so that is where its catalogue lives. The public
# code (?lang=, <html lang>) stays "kmr".
CATALOGUE_NAMES = {"kmr": "ku"}
_PUBLIC_CODES = {value: key for key, value in CATALOGUE_NAMES.items()}
FALLBACK_CHAIN = ("nb", "en")
LANG_COOKIE = "selfreg_lang"
LANG_COOKIE_MAX_AGE = 60 * 60 * 24 * 365


@dataclass(frozen=True)
class LocaleInfo:
    code: str
    autonym: str  # the language's name in its own script
    direction: str  # "ltr" or "rtl"
    html_lang: str  # BCP 47 tag for the lang attribute


@lru_cache(maxsize=None)
def locale_info(code: str) -> LocaleInfo:
    loc = Locale.parse(code)
    name = loc.languages.get(code) or loc.language_name or loc.get_display_name(code) or code
    direction = "rtl" if loc.character_order == "right-to-left" else "ltr"
    return LocaleInfo(code, name, direction, code.replace("_", "-"))


def supported() -> list[LocaleInfo]:
    return [locale_info(code) for code in SUPPORTED_LOCALES]


def normalise_requested(value: str | None) -> str | None:
    """Map what came in (``?lang=fa-AF``, ``EN``) to a supported code, or None."""
    if not value:
        return None
    wanted = value.strip().replace("-", "_")[:16]
    for code in SUPPORTED_LOCALES:
        if code.lower() == wanted.lower():
            return code
    return None


def catalogue_name(code: str) -> str:
    """The folder under translations/ (and the locale Flask-Babel is given) for a code."""
    return CATALOGUE_NAMES.get(code, code)


def select_locale() -> str:
    """?lang= wins, then the remembered cookie, then Accept-Language, then Bokmål.

    Staff pages have their own choice (Bokmål or English; selfreg.staff_i18n).
    """
    from .staff_i18n import is_staff_path, staff_locale

    if not has_request_context():
        # Command-line output (e.g. an account error from create-user) is in English, the
        # source language; anything rendered for a person outside a request forces its locale.
        return "en"
    if is_staff_path(request.path) and "forced_locale" not in g:
        return staff_locale()
    return catalogue_name(_select_public_code())


def _select_public_code() -> str:
    if "forced_locale" in g:
        return g.forced_locale
    chosen = normalise_requested(request.args.get("lang"))
    if chosen:
        g.locale_to_remember = chosen
        return chosen
    remembered = normalise_requested(request.cookies.get(LANG_COOKIE))
    if remembered:
        return remembered
    offered = [code.replace("_", "-") for code in SUPPORTED_LOCALES]
    best = request.accept_languages.best_match(offered)
    if best:
        return best.replace("-", "_")
    # Norwegian "no"/"nn" readers get Bokmål; everyone else too, as the documented default.
    return DEFAULT_LOCALE


def current_locale_code() -> str:
    selected = get_locale()
    if selected is None:
        return DEFAULT_LOCALE
    code = str(selected)
    return _PUBLIC_CODES.get(code, code)


def current_locale_info() -> LocaleInfo:
    return locale_info(current_locale_code())


def remember_locale(response):
    """After a ``?lang=`` switch, keep the choice in a cookie (not personal data)."""
    chosen = g.get("locale_to_remember")
    if chosen:
        response.set_cookie(
            LANG_COOKIE,
            chosen,
            max_age=LANG_COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure,
        )
    return response


def check_catalogues(directory: Path) -> None:
    """Every supported locale except the source language must have a compiled catalogue."""
    missing = [
        code
        for code in SUPPORTED_LOCALES
        if not (directory / catalogue_name(code) / "LC_MESSAGES" / "messages.mo").is_file()
    ]
    if missing:
        raise RuntimeError(
            "Missing compiled translations for: " + ", ".join(missing) + ". Run "
            "`pybabel compile -d translations`."
        )


@lru_cache(maxsize=None)
def _wtforms_catalogue(locale: str) -> support.Translations:
    return support.Translations.load(wtforms_messages_path(), [locale], domain="wtforms")


class _WtformsTranslations:
    """WTForms' own messages in the page's language, each catalogue read once per process.

    Flask-WTF keeps the catalogue it loads on the request only (``request.wtforms_translations``),
    so it read and parsed the file from disk for every request that shows or checks a form;
    this object in that attribute answers from the process-wide copy instead."""

    def ugettext(self, string: str) -> str:
        return _wtforms_catalogue(str(get_locale())).ugettext(string)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        return _wtforms_catalogue(str(get_locale())).ungettext(singular, plural, n)


def _share_wtforms_translations() -> None:
    request.wtforms_translations = _WtformsTranslations()


def init_app(app: Flask) -> None:
    directory = translations_dir()
    check_catalogues(directory)
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(directory)
    Babel(app, locale_selector=select_locale)
    app.before_request(_share_wtforms_translations)
    app.after_request(remember_locale)

    @app.context_processor
    def inject_locale():
        return {"locale_info": current_locale_info(), "supported_locales": supported()}
