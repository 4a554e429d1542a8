"""Text folding shared by every search and sort in this package.

A resident types on a phone keyboard that may lack accents, or uses a Persian keyboard to
search an Arabic name. So matching ignores case, accents and a few letter variants that
keyboards of the same script produce for the same sound. The same function folds the
indexed text and the query, so the two always agree.
"""

from __future__ import annotations

import re
import unicodedata


class _FoldTable(dict[int, int | str | None]):
    """A str.translate table that drops marks and unifies letter variants.

    Which characters are marks is looked up once per character actually seen and kept, so
    folding a label costs one C-level translate instead of a Python loop over its characters.
    """

    def __missing__(self, codepoint: int) -> int | str | None:
        value = None if unicodedata.category(chr(codepoint)).startswith("M") else codepoint
        self[codepoint] = value
        return value


# Arabic-script letters that Persian, Kurdish, Pashto and Arabic keyboards type differently for
# the same letter: Persian yeh and alef maksura -> Arabic yeh, keheh -> kaf, teh marbuta -> heh.
# Without this, "عربی" (Persian spelling) would never find "العربية". Tatweel is only a
# stretching stroke, so it goes.
_FOLDS = _FoldTable(
    {
        0x06CC: 0x064A,  # ی FARSI YEH -> ي
        0x0649: 0x064A,  # ى ALEF MAKSURA -> ي
        0x06A9: 0x0643,  # ک KEHEH -> ك
        0x0629: 0x0647,  # ة TEH MARBUTA -> ه
        0x0640: None,  # ـ TATWEEL
        # Latin letters NFKD leaves whole, typed without them on a foreign keyboard:
        # "sjafor" should find "sjåfør", "Lodz" "Łódź".
        0x00F8: "o",  # ø
        0x00E6: "ae",  # æ
        0x0153: "oe",  # œ
        0x0111: "d",  # đ
        0x0142: "l",  # ł
        0x0127: "h",  # ħ
        0x0131: "i",  # ı dotless i
    }
)

_WORD = re.compile(r"\w+")
_UNDERSCORE = str.maketrans("_", " ")

# Norwegian sorts æ, ø, å after z, in that order; NFKD would fold å into a. "{", "|" and "}"
# are the three characters that follow "z".
_NORDIC_SORT = str.maketrans({"æ": "{", "ø": "|", "å": "}"})


def fold(text: str) -> str:
    """Fold text for comparison: NFKD, combining marks removed, casefolded.

    Every mark (category M) is removed, not only accents: Python's ``\\w`` does not count
    spacing vowel signs as word characters, and keeping them would cut Indic words in two.
    Query and index are folded alike, so nothing is lost for matching.
    """
    if text.isascii():
        return text.casefold()
    return unicodedata.normalize("NFKD", text).casefold().translate(_FOLDS)


def words(text: str) -> list[str]:
    """Split folded text into words; punctuation, slashes and apostrophes separate words."""
    return _WORD.findall(fold(text).translate(_UNDERSCORE))


def normalized(text: str) -> str:
    """The folded words joined by single spaces: the form in which whole terms are compared."""
    return " ".join(words(text))


def sort_key(text: str, locale: str = "") -> str:
    """A cheap, locale-aware-enough sort key for choice lists.

    Full collation would need ICU; folding gives a stable order that ignores case and accents,
    and for Norwegian and Danish the letters æ, ø, å go after z as readers expect.
    """
    if locale.split("_")[0].split("-")[0].lower() in {"nb", "nn", "no", "da"}:
        return fold(unicodedata.normalize("NFC", text.casefold()).translate(_NORDIC_SORT))
    return fold(text)
