"""CEFR answers and their order."""

import pytest

from selfreg.codes import cefr


def test_levels_and_choices():
    assert cefr.LEVELS == ("A1", "A2", "B1", "B2", "C1", "C2")
    assert cefr.CHOICES == ("none", *cefr.LEVELS)


def test_is_valid():
    assert cefr.is_valid("B1")
    assert cefr.is_valid(cefr.NONE)
    assert not cefr.is_valid("b1")
    assert not cefr.is_valid("D1")


def test_order():
    assert cefr.rank(cefr.NONE) == 0
    assert cefr.rank("C2") == 6
    assert cefr.at_least("B2", cefr.B1)
    assert not cefr.at_least("A2", cefr.B1)
    assert not cefr.at_least(cefr.NONE, cefr.A1)


def test_rank_rejects_unknown_answers():
    with pytest.raises(ValueError):
        cefr.rank("D1")
