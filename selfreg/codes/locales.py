"""Reading the plain locale strings ("nb", "fa_AF", "en-GB") the rest of the app passes in.

Callers hand us whatever their request or their user chose. An odd or unknown locale must
never break a label: it falls back to English.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError

NORWEGIAN = frozenset({"nb", "no", "nn"})
"""Language parts that get the Bokmål labels: Bokmål is the only Norwegian our sources have."""


def language_of(locale: str | None) -> str:
    """The lower-case language part of a locale string: "fa_AF" -> "fa", "nb-NO" -> "nb"."""
    if not locale:
        return ""
    return locale.replace("-", "_").split("_")[0].lower()


@lru_cache(maxsize=128)
def babel_locale(locale: str | None) -> Locale | None:
    """The CLDR locale for a locale string, or None when CLDR does not know it.

    Both separators are accepted, since browsers send "fa-AF" and Babel expects "fa_AF".
    """
    if not locale:
        return None
    try:
        return Locale.parse(locale.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return None


def english() -> Locale:
    """The fallback locale for names CLDR lacks in the reader's language."""
    return Locale("en")
