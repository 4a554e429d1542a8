from datetime import date

import pytest

from selfreg.questionnaire import checks


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch):
    monkeypatch.setattr(checks, "today", lambda: date(2026, 6, 15))


@pytest.mark.parametrize("value", ["1990", "2010", "2010-06", "2010-06-15", "1950-02-28"])
def test_people_16_or_older_are_accepted(value):
    assert checks.check_birth_date(value) is None


@pytest.mark.parametrize("value", ["2011", "2010-07", "2010-06-16", "2020-01-01"])
def test_younger_than_16_is_refused(value):
    assert checks.check_birth_date(value) is not None


@pytest.mark.parametrize("value", ["2027", "2026-07", "2026-12-01"])
def test_future_dates_are_refused(value):
    assert checks.check_birth_date(value) is not None


@pytest.mark.parametrize("value", ["1990-02-30", "1990-04-31", "1991-02-29"])
def test_dates_that_do_not_exist_are_refused(value):
    assert checks.check_birth_date(value) is not None


def test_leap_day_exists():
    assert checks.check_birth_date("1992-02-29") is None


def test_impossibly_old_is_refused():
    assert checks.check_birth_date("1890") is not None


def test_duf_numbers():
    assert checks.check_duf("202312345678") is None
    assert checks.check_duf("20231234567") is not None
    assert checks.normalise_duf("2023-1234 5678") == "202312345678"
    assert checks.normalise_duf("٢٠٢٣١٢٣٤٥٦٧٨") == "202312345678"


def test_phone_numbers():
    assert checks.check_phone("+47 912 34 567") is None
    assert checks.check_phone("91234567") is None
    assert checks.check_phone("call me") is not None
    assert checks.check_phone("12") is not None
