"""Hostile input for the fuzz tests: text, values, duplicated and missing fields, and settings.

Examples are fixed (``derandomize``) and few, so CI is deterministic and quick; set
``SELFREG_FUZZ_SCALE`` (e.g. 20) to run many more examples locally. Nothing is written to a
``.hypothesis`` folder.
"""
from __future__ import annotations

import os
import unicodedata

from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st

from selfreg.questionnaire.sanitise import clean_text

SCALE = max(1, int(os.environ.get("SELFREG_FUZZ_SCALE", "1")))
# Shrinking replays whole multi-request examples: minutes. Off unless asked for; a failure is
# reported with every value drawn, which is enough to write the regression test.
SHRINK = os.environ.get("SELFREG_FUZZ_SHRINK") == "1"


def fuzz_settings(examples: int) -> settings:
    """``examples`` per test function (times SELFREG_FUZZ_SCALE); the app is made once per test."""
    return settings(
        max_examples=examples * SCALE,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=False,
        phases=[phase for phase in Phase
                if SHRINK or phase not in (Phase.shrink, Phase.explain)],
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                               HealthCheck.data_too_large, HealthCheck.large_base_example],
    )


class Long(str):
    """A long value that prints short in a failure report."""

    def __repr__(self) -> str:
        if len(set(self)) == 1:
            return f"Long({self[:1]!r} * {len(self)})"
        return f"Long(len={len(self)})"


# Echoed back as text it must be escaped: the raw tag in a page is a failure.
MARKUP = "<fuzz-tag onload=x>"
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
CONTROLS = "".join(chr(c) for c in (*range(0x20), 0x7f, *range(0x80, 0xa0)))

# Values that trip naive parsing, storage or escaping.
NASTY = (
    # blank, control, zero-width and direction characters
    "", " ", "\t", "\n\n\n", "\x00", "\x00abc", "a\x00b", "\u202eevil\u202c", "\u2066x\u2069",
    "\ufeff", "\u200b", "\u200c\u200d", "\u2028\u2029",
    # combining marks, emoji sequences, private use, unassigned, case folding surprises
    Long("e\u0301" * 50), "\U0001F469\u200d\U0001F52C", "\U0010fffd", "\ue000", "\U000e0001",
    "\ud7ff", "\u0378", "İ", "ß", "ﬀ", "Ⅻ", "ǅ",
    # numbers in other forms
    "²", "³³³³", "½", "١٩٩٠", "۱۳۶۹", "१२", "٣", "1990²", "1_000", "0x10", "1e3", "-1", "+3",
    " 12 ", "00000000000000000000007", Long("9" * 30), Long("9" * 5000), "NaN", "Infinity",
    # what templates, SQL, paths and the pages' own field values look like
    "null", "true", "[]", "{}", MARKUP, "<script>alert(1)</script>", "{{7*7}}", "${7*7}",
    "%s%n%x", "' OR 1=1 --", "\\", '"', "'; DROP TABLE answers; --", "../../etc/passwd",
    "search:", "search:occupation", "search:language", "search:nothing",
    # just over the limits, far over them, and over the request size
    Long("A" * 101), Long("B" * 1001), Long("C" * 4001), Long("x" * 200_000),
)


# Numbers as they should not be typed: superscripts pass str.isdigit() but not int(), Python's
# int() takes "1_0" and " 3 ", and thousands of digits exceed its conversion limit.
NUMBERISH = ("²", "³³³³", "1990²", "٣", "١٩٩٠", "1_0", " 3 ", "-1", "+3", "0x1", "3.0", "1e3",
             "00000000000000000000003", Long("9" * 12), Long("9" * 5000), "\u0663\u0663", "⑫", "Ⅻ")


def _no_surrogates() -> st.SearchStrategy[str]:
    # The test client sends UTF-8; lone surrogates cannot be encoded (invalid UTF-8 bytes are
    # sent separately, as raw bodies).
    return st.characters(blacklist_categories=("Cs",))


def hostile_text(max_size: int = 60) -> st.SearchStrategy[str]:
    special = st.sampled_from(BIDI + CONTROLS + "\u200b\u200c\u200d\ufeff\u00ad")
    mixed = st.lists(st.one_of(_no_surrogates(), special), max_size=max_size).map("".join)
    return st.one_of(st.sampled_from(NASTY), mixed, st.text(_no_surrogates(), max_size=max_size))


def posted_values(valid: list[str] | tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    """What one field may carry: nothing (missing), one value, or the same name several times."""
    one = st.one_of(st.sampled_from(list(valid)), hostile_text()) if valid else hostile_text()
    return st.lists(one, min_size=0, max_size=3)


def hostile_ids(real: str) -> st.SearchStrategy[str]:
    """Ids no page links to: garbage, and near misses of a real one."""
    near = st.sampled_from([real.upper(), real + "0", real[:-1], f" {real}", real + "\x00",
                            real[:16], "0" * 32, "../" + real, real + "/"])
    return st.one_of(hostile_text(40), near)


EXTRA_NAMES = ("csrf_token", "revision", "idempotency_key", "entry_id", "entry_digest", "owner",
               "action", "from", "lang", "\x00", MARKUP, "given_names__year", "id")


def extra_fields() -> st.SearchStrategy[list[tuple[str, str]]]:
    """Fields no form asks for (meta fields with bad values, unknown names)."""
    name = st.one_of(st.sampled_from(EXTRA_NAMES), hostile_text(12))
    return st.lists(st.tuples(name, hostile_text(20)), max_size=3)


def pairs_for(fields: dict[str, list[str]]) -> st.SearchStrategy[list[tuple[str, str]]]:
    """(name, value) pairs for a form: each field missing, once or repeated; plus extras."""
    per_field = [posted_values(valid).map(lambda values, name=name: [(name, v) for v in values])
                 for name, valid in fields.items()]
    return st.tuples(st.tuples(*per_field), extra_fields()).map(
        lambda parts: [pair for group in parts[0] for pair in group] + parts[1])


def json_values() -> st.SearchStrategy:
    """Any JSON value: what a replayed or forged JSON body may hold."""
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                        hostile_text(20))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(hostile_text(8), inner, max_size=3)),
        max_leaves=8)


def is_clean(text: str, *, multiline: bool) -> bool:
    """What the sanitiser promises about text it lets through."""
    if any(char in BIDI for char in text):
        return False
    for char in text:
        if unicodedata.category(char) == "Cc" and not (multiline and char == "\n"):
            return False
    return clean_text(text, multiline=multiline) == text
