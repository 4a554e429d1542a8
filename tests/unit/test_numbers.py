"""Numbers sent as text: ASCII digits only, bounded length."""
from __future__ import annotations

import pytest

from selfreg.numbers import small_int


@pytest.mark.parametrize("raw, expected", [
    ("7", 7), (" 12 ", 12), ("000123", 123), ("123456", 123456),
    ("1234567", None), ("", None), (None, None), ("-1", None), ("1.5", None),
    ("²", None), ("٣", None), ("1_0", None), ("12\x00", None),
])
def test_only_ascii_digits_up_to_the_limit(raw, expected):
    assert small_int(raw, 6) == expected
